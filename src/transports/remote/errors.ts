/**
 * Errors of the remote client, each with a stable code: what the page shows differs for "offline",
 * "the route said no" and "the route answered nonsense".
 */

/** Stable codes of {@link RemoteRealtimeError}. */
export type RemoteRealtimeErrorCode =
  | 'network_error'
  | 'http_error'
  | 'invalid_bootstrap'
  | 'timeout'
  | 'unknown_adapter'
  | 'adapter_mismatch'
  | 'adapter_load_failed'
  /** The adapter has no such feature (e.g. delegations, which only GPT-Live has). */
  | 'unsupported';

export class RemoteRealtimeError extends Error {
  override readonly name = 'RemoteRealtimeError';
  /** HTTP status of the route's answer, for `http_error`. */
  readonly status?: number;
  /** The route's own error code (`{ error: { code } }`), for `http_error`. */
  readonly routeCode?: string;

  constructor(
    readonly code: RemoteRealtimeErrorCode,
    message: string,
    options: { cause?: unknown; status?: number; routeCode?: string } = {},
  ) {
    super(message, { cause: options.cause });
    if (options.status !== undefined) this.status = options.status;
    if (options.routeCode !== undefined) this.routeCode = options.routeCode;
  }
}
