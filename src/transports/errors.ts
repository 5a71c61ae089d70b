/**
 * The one vocabulary of transport errors. Every error a transport throws, rejects with or reports in an
 * event carries a stable snake_case `code` from {@link TRANSPORT_ERROR_CODES}, and a failure has the
 * same code on every adapter (WebRTC, WebSocket, the remote client, a page's own adapter built on
 * {@link RealtimeTransportError}). Branch on `code`, never on messages or class names.
 *
 * A connect cancelled through its `AbortSignal` rejects with a `DOMException` named `AbortError`
 * instead (the platform's convention, which the manager checks by name). A transport `error` event
 * carries the error and a `code`: for an error the provider sent (`OpenAIServerError`, code
 * `server_error`) that `code` is the provider's own (`providerCode`, e.g. `rate_limit_exceeded`),
 * otherwise one of these.
 * @packageDocumentation
 */
import type { AudioDeviceErrorCode } from './audio/errors.js';

/**
 * Codes of the protocol and the adapters.
 *
 * - `not_connected`: a method that needs a live connection was called before `connect()` resolved,
 *   after a loss or after `disconnect()`.
 * - `unsupported`: the transport cannot do this (push-to-talk on an adapter without it, `sendAudio`
 *   over WebRTC, where the microphone track carries the audio).
 * - `invalid_bootstrap`: the bootstrap lacks what the adapter needs (or the route answered nonsense).
 * - `connection_failed`: the connection did not come up: refused, closed while opening, or too slow
 *   (then `reason` is `'timeout'`).
 * - `connection_lost`: the error in a `connection:lost` event (its `cause` says how it was lost).
 * - `connection_closed`: the connection closed while a request still waited for its answer.
 * - `session_update_timeout`: the provider did not acknowledge a `session.update` within
 *   `sessionUpdateTimeoutMs`.
 * - `session_update_rejected`: the provider answered a `session.update` with an `error`
 *   (`providerCode` has the provider's code).
 * - `replay_failed`: the conversation could not be replayed into a new connection (refused, or not
 *   acknowledged within `sessionUpdateTimeoutMs`).
 * - `server_error`: the provider reported an error of its own (`providerCode`).
 * - `invalid_server_event`: a frame from the provider was not a realtime event; it was ignored.
 * - `input_too_short`: push-to-talk captured less than the provider's minimum (100 ms); nothing was committed.
 * - `unknown_delegation` (GPT-Live): `answerDelegation()` named a delegation the current connection did
 *   not hand to the page (delegation ids do not survive a reconnect).
 *
 * GPT-Live (`openai-live-webrtc`) uses the same codes: `session_update_timeout` when it does not
 * acknowledge a session command (a delegation's answer, mute at connect) within
 * `sessionUpdateTimeoutMs`, and `unsupported` for what GPT-Live or the server's data-channel
 * permissions do not allow (or a browser without WebRTC).
 * - `message_too_large`: one client event is larger than the connection carries (a WebRTC data
 *   channel's `maxMessageSize`, e.g. an image): nothing was sent.
 */
export type ProtocolErrorCode =
  | 'not_connected'
  | 'unsupported'
  | 'invalid_bootstrap'
  | 'connection_failed'
  | 'connection_lost'
  | 'connection_closed'
  | 'session_update_timeout'
  | 'session_update_rejected'
  | 'replay_failed'
  | 'server_error'
  | 'invalid_server_event'
  | 'input_too_short'
  | 'unknown_delegation'
  | 'message_too_large';

/**
 * Codes of the remote client (`RemoteRealtimeError`), which fetches bootstraps from the page's route
 * (each refusal carries the HTTP `status` and the route's own `routeCode`):
 * - `network_error`: the route could not be reached.
 * - `unauthorized`: the route answered 401: nobody is signed in (the route's `authorize` said no).
 * - `forbidden`: the route answered 403: signed in but not allowed, or the page's origin is not
 *   (`routeCode` `origin_not_allowed`).
 * - `rate_limited`: the route answered 429; `retryAfterSeconds` (from `Retry-After`) says when to try
 *   again, and the manager's reconnect waits at least that long.
 * - `request_timeout`: the route answered 408: the request body arrived too slowly.
 * - `payload_too_large`: the route answered 413: the request (the session, the reconnect history) is
 *   bigger than the route accepts.
 * - `http_error`: the route answered another error status (`status`, `routeCode`).
 * - `invalid_bootstrap`: the route's answer is not a valid bootstrap.
 * - `timeout`: the route did not answer within the client's `timeoutMs`.
 * - `unknown_adapter`: no adapter of that name is registered.
 * - `adapter_mismatch`: the route answered for another adapter than the one asked for.
 * - `adapter_load_failed`: the adapter's code could not be loaded.
 */
export type RemoteErrorCode =
  | 'network_error'
  | 'unauthorized'
  | 'forbidden'
  | 'rate_limited'
  | 'request_timeout'
  | 'payload_too_large'
  | 'http_error'
  | 'invalid_bootstrap'
  | 'timeout'
  | 'unknown_adapter'
  | 'adapter_mismatch'
  | 'adapter_load_failed';

/** Every code a transport error may carry: protocol, remote client and audio devices (`AudioDeviceError`). */
export type TransportErrorCode = ProtocolErrorCode | RemoteErrorCode | AudioDeviceErrorCode;

/** Every {@link TransportErrorCode}, for code that checks or lists them. */
export const TRANSPORT_ERROR_CODES = [
  'not_connected',
  'unsupported',
  'invalid_bootstrap',
  'connection_failed',
  'connection_lost',
  'connection_closed',
  'session_update_timeout',
  'session_update_rejected',
  'replay_failed',
  'server_error',
  'invalid_server_event',
  'input_too_short',
  'unknown_delegation',
  'message_too_large',
  'network_error',
  'unauthorized',
  'forbidden',
  'rate_limited',
  'request_timeout',
  'payload_too_large',
  'http_error',
  'timeout',
  'unknown_adapter',
  'adapter_mismatch',
  'adapter_load_failed',
  'microphone_permission_denied',
  'microphone_not_found',
  'microphone_busy',
  'microphone_unsupported',
  'audio_unavailable',
  'speaker_unsupported',
  'speaker_not_found',
  'speaker_permission_denied',
] as const satisfies readonly TransportErrorCode[];

/** Why a `connection_failed` happened, when it is one of these. */
export type ConnectionFailedReason = 'timeout' | 'refused' | 'closed';

/** Details an error may carry besides its code. */
export interface RealtimeTransportErrorDetails {
  cause?: unknown;
  /** The provider's own error code (`server_error`, `session_update_rejected`). */
  providerCode?: string | undefined;
  /** For `connection_failed`: `timeout` when it took too long, `refused`, or `closed` while opening. */
  reason?: ConnectionFailedReason | undefined;
}

/**
 * The error every transport throws, rejects with and reports (the OpenAI adapters' own classes extend
 * it). Its `code` is one of {@link TRANSPORT_ERROR_CODES}; `cause` keeps the original.
 */
export class RealtimeTransportError extends Error {
  override readonly name: string = 'RealtimeTransportError';
  readonly code: TransportErrorCode;
  /** The provider's own error code, for `server_error` and `session_update_rejected`. */
  readonly providerCode: string | undefined;
  /** For `connection_failed`: why, when known. */
  readonly reason: ConnectionFailedReason | undefined;

  constructor(code: TransportErrorCode, message: string, details: RealtimeTransportErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.providerCode = details.providerCode;
    this.reason = details.reason;
  }
}

/**
 * `error` itself when it already carries a string `code` (or is the `AbortError` of a cancelled
 * connect); otherwise a {@link RealtimeTransportError} with `code` that keeps it as `cause`. Used at
 * the edge of a transport so that nothing leaves it without a code.
 */
export function withCode(error: unknown, code: TransportErrorCode, context: string): unknown {
  if (error instanceof Error && (error.name === 'AbortError' || typeof (error as { code?: unknown }).code === 'string')) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new RealtimeTransportError(code, `${context}: ${message}`, { cause: error });
}

// Compile-time check that the list is complete.
type Missing = Exclude<TransportErrorCode, (typeof TRANSPORT_ERROR_CODES)[number]>;
const complete: Missing extends never ? true : Missing = true;
void complete;
