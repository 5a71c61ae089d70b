/**
 * Errors of the WebSocket adapter, each with a stable `code` the manager and pages can branch on
 * (the manager wraps them and keeps this one as `cause`).
 */

/** Stable codes of {@link OpenAIWebSocketError}. */
export type OpenAIWebSocketErrorCode =
  /** A method that needs a live connection was called before `connect()`, after a loss or after `disconnect()`. */
  | 'not_connected'
  /** The bootstrap from the route lacks what this adapter needs (`url`, `clientSecret.value`). */
  | 'invalid_bootstrap'
  /** The socket did not open, or the server sent no `session.created`, in time. */
  | 'connect_timeout'
  /** The socket closed while a request waited for its answer. */
  | 'connection_closed'
  /** The provider did not acknowledge a `session.update` in time. */
  | 'session_update_timeout'
  /** The provider answered a `session.update` with an error. */
  | 'session_update_rejected'
  /** The conversation could not be replayed into a new connection. */
  | 'replay_failed'
  /** The provider answered with an `error` event (`providerCode` has its code). */
  | 'server_error'
  /** Push-to-talk: less than the provider's minimum (100 ms) of audio was captured; nothing was committed. */
  | 'input_too_short'
  /** Any other wait that ran out of time. */
  | 'timeout';

export class OpenAIWebSocketError extends Error {
  override readonly name = 'OpenAIWebSocketError';
  /** The provider's own error code, for `server_error` and `session_update_rejected`. */
  readonly providerCode: string | undefined;

  constructor(
    readonly code: OpenAIWebSocketErrorCode,
    message: string,
    options: { cause?: unknown; providerCode?: string | undefined } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.providerCode = options.providerCode;
  }
}
