import type { EmulatorFaults } from './faults.js';
import type { EmulatorViolation, EventValidator } from './recorder.js';
import type { EmulatorScenario } from './scenario.js';
import { SecretStore } from './secrets.js';
import type { LiveSession } from './live/live-session.js';
import { EmulatorSession } from './session.js';
import type { SessionObject, TransportKind } from './types.js';

/** A Realtime session, or a GPT-Live one (src/emulator/live/). */
export type AnyEmulatorSession = EmulatorSession | LiveSession;

/** Closed sessions kept for inspection before the oldest are forgotten. */
const MAX_CLOSED_SESSIONS = 500;

export interface CoreOptions {
  apiKey: string;
  scenario: EmulatorScenario | undefined;
  faults: EmulatorFaults;
  validator: EventValidator | undefined;
  /** Answer SDP carries loopback candidates only. */
  loopbackOnly: boolean;
  /** The provider's cap on a session's length, in seconds (default 3600). */
  maxSessionSeconds?: number;
}

/**
 * The emulator's shared state: the server key, secrets, sessions, and the server-wide faults that
 * are also the defaults for new sessions. The HTTP, WebSocket and control layers all work on it.
 */
export class EmulatorCore {
  readonly apiKey: string;
  readonly scenario: EmulatorScenario | undefined;
  readonly validator: EventValidator | undefined;
  readonly loopbackOnly: boolean;
  readonly maxSessionSeconds: number | undefined;
  readonly secrets = new SecretStore();
  readonly sessions = new Map<string, AnyEmulatorSession>();
  /** Called with every new session (tests wait on these). */
  readonly sessionListeners = new Set<(session: AnyEmulatorSession) => void>();
  #faults: EmulatorFaults;

  constructor(options: CoreOptions) {
    this.apiKey = options.apiKey;
    this.scenario = options.scenario;
    this.validator = options.validator;
    this.loopbackOnly = options.loopbackOnly;
    this.maxSessionSeconds = options.maxSessionSeconds;
    this.#faults = { ...options.faults };
  }

  /** Server-wide faults (also the defaults for new sessions). */
  get faults(): EmulatorFaults {
    return { ...this.#faults };
  }

  createSession(transport: TransportKind, config: SessionObject, callId?: string): EmulatorSession {
    const session = new EmulatorSession({
      transport,
      config,
      scenario: this.scenario,
      faults: this.#faults,
      validator: this.validator,
      ...(callId ? { callId } : {}),
      ...(this.maxSessionSeconds !== undefined ? { maxSessionSeconds: this.maxSessionSeconds } : {}),
    });
    this.addSession(session);
    return session;
  }

  /** Registers a session made elsewhere (the Live endpoint makes its own). */
  addSession(session: AnyEmulatorSession): void {
    this.sessions.set(session.id, session);
    this.#prune();
    for (const listener of this.sessionListeners) listener(session);
  }

  /** Finds a session by its id or, for WebRTC, its call id. */
  findSession(idOrCallId: string): AnyEmulatorSession | undefined {
    const direct = this.sessions.get(idOrCallId);
    if (direct) return direct;
    for (const session of this.sessions.values()) if (session.callId === idOrCallId) return session;
    return undefined;
  }

  /**
   * Replaces faults: for `'all'`, the server-wide set (and every open session's); otherwise one
   * session's. Returns false when the session is unknown.
   */
  setFaults(target: string, faults: EmulatorFaults): boolean {
    if (target === 'all') {
      this.#faults = { ...faults };
      for (const session of this.sessions.values()) if (session.state !== 'closed') session.setFaults(faults);
      return true;
    }
    const session = this.findSession(target);
    if (!session) return false;
    session.setFaults(faults);
    return true;
  }

  violations(sessionId?: string): EmulatorViolation[] {
    if (sessionId !== undefined) return [...(this.findSession(sessionId)?.recorder.violations ?? [])];
    return [...this.sessions.values()].flatMap((session) => session.recorder.violations);
  }

  closeAll(reason: string): void {
    for (const session of this.sessions.values()) session.close(reason);
  }

  #prune(): void {
    const closed = [...this.sessions.values()].filter((s) => s.state === 'closed');
    for (const session of closed.slice(0, Math.max(0, closed.length - MAX_CLOSED_SESSIONS))) this.sessions.delete(session.id);
  }
}
