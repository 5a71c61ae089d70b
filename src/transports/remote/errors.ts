/**
 * Errors of the remote client, each with a stable code: what the page shows differs for "offline",
 * "the route said no" and "the route answered nonsense". The codes are listed, with every other
 * transport code, in `../errors.ts`.
 */
import { RealtimeTransportError, type RemoteErrorCode } from '../errors.js';

/** Stable codes of {@link RemoteRealtimeError}. */
export type RemoteRealtimeErrorCode = RemoteErrorCode;

/** An error of the remote client (a {@link RealtimeTransportError}). */
export class RemoteRealtimeError extends RealtimeTransportError {
  override readonly name = 'RemoteRealtimeError';
  declare readonly code: RemoteRealtimeErrorCode;
  /** HTTP status of the route's answer, when it refused (`unauthorized`, `rate_limited`, `http_error`, …). */
  readonly status?: number;
  /** The route's own error code (`{ error: { code } }`), when it refused. */
  readonly routeCode?: string;
  /** For `rate_limited`: whole seconds until the route accepts a new request (its `Retry-After`), when it said. */
  readonly retryAfterSeconds?: number;

  constructor(
    code: RemoteRealtimeErrorCode,
    message: string,
    options: { cause?: unknown; status?: number; routeCode?: string; retryAfterSeconds?: number } = {},
  ) {
    super(code, message, { cause: options.cause });
    if (options.status !== undefined) this.status = options.status;
    if (options.routeCode !== undefined) this.routeCode = options.routeCode;
    if (options.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
  }
}
