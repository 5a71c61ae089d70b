/**
 * The manager's structured logging: every line goes through the page's logger with the session id in
 * its context, and a broken logger cannot break the session.
 */
import type { RealtimeLogger } from './types.js';

// Here for the session code that imports it with the log; it lives with the errors, which the lazy
// manager needs before the session code loads.
export { errorMessage } from './errors.js';

type Level = 'debug' | 'info' | 'warn' | 'error';

export class ManagerLog {
  constructor(
    private readonly logger: RealtimeLogger | undefined,
    private readonly sessionId: () => string | null,
  ) {}

  /** Whether the logger asked for tool argument values (`logToolArguments`); off by default. */
  get wantsToolArguments(): boolean {
    try {
      return this.logger?.logToolArguments === true;
    } catch {
      return false;
    }
  }

  debug(message: string, context?: Record<string, unknown>): void {
    this.#write('debug', message, context);
  }

  info(message: string, context?: Record<string, unknown>): void {
    this.#write('info', message, context);
  }

  warn(message: string, context?: Record<string, unknown>): void {
    this.#write('warn', message, context);
  }

  error(message: string, context?: Record<string, unknown>): void {
    this.#write('error', message, context);
  }

  #write(level: Level, message: string, context: Record<string, unknown> = {}): void {
    const logger = this.logger;
    if (!logger) return;
    try {
      // The manager's session id wins over a context key of the same name.
      logger[level](message, { ...context, sessionId: this.sessionId() });
    } catch {
      // A broken logger must not break the session.
    }
  }
}
