/**
 * Errors of the `openai-live-webrtc` adapter, each with a stable `code` (the manager wraps them;
 * `cause` keeps the original).
 */

/** Stable codes of {@link OpenAILiveError}. */
export type OpenAILiveErrorCode =
  /** This browser has no `RTCPeerConnection`: GPT-Live reaches browsers over WebRTC only. */
  | 'webrtc_unsupported'
  /** A method that needs a live connection was called before `connect()` or after a loss. */
  | 'not_connected'
  /** The bootstrap from the route lacks what this adapter needs. */
  | 'invalid_bootstrap'
  /** The peer connection or its data channel did not come up. */
  | 'connection_failed'
  /** The data channel opened but `session.started` never came. */
  | 'session_start_timeout'
  /** The server's data-channel permissions do not let this page send that event. */
  | 'event_not_allowed'
  /** GPT-Live has no such operation (a typed turn without Responses delegation, a live voice change, …). */
  | 'unsupported'
  /** `answerDelegation` named a delegation this session did not hand to the page. */
  | 'unknown_delegation'
  /** The server did not acknowledge a command in time. */
  | 'ack_timeout'
  /** The connection closed while a command waited for its acknowledgement. */
  | 'connection_closed';

export class OpenAILiveError extends Error {
  override readonly name = 'OpenAILiveError';
  constructor(
    readonly code: OpenAILiveErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A Live `error` event (`code`, `type`, `param` and the client command's id copied when they are strings). */
export class OpenAILiveServerError extends Error {
  override readonly name = 'OpenAILiveServerError';
  readonly code: string | undefined;
  readonly type: string | undefined;
  readonly param: string | undefined;
  /** The `event_id` of the client command that caused it. */
  readonly clientEventId: string | undefined;

  constructor(message: string, details: { code?: string; type?: string; param?: string; clientEventId?: string } = {}) {
    super(message);
    this.code = details.code;
    this.type = details.type;
    this.param = details.param;
    this.clientEventId = details.clientEventId;
  }
}
