/**
 * Errors of the `openai-live-webrtc` adapter. Their codes are the transports' one vocabulary
 * (`../errors.ts`), as on every adapter; the manager wraps them and keeps this one as `cause`. An
 * `error` event from GPT-Live is an `OpenAIServerError` (code `server_error`, GPT-Live's own code in
 * `providerCode`), as on the Realtime adapters.
 *
 * What the codes mean here:
 * - `unsupported`: this browser has no WebRTC; GPT-Live has no such operation (a typed turn under
 *   client delegation, `sendAudio`); or the server's data-channel permissions leave the event out.
 * - `connection_failed`: the peer connection or its data channel did not come up, or `session.started`
 *   did not arrive within `connectTimeoutMs` (`reason: 'timeout'`).
 * - `session_update_timeout`: GPT-Live did not acknowledge a session command (a delegation's answer,
 *   mute at connect) within `sessionUpdateTimeoutMs`.
 * - `unknown_delegation`: `answerDelegation()` named a delegation this connection did not hand to the
 *   page (ids do not survive a reconnect).
 * - `not_connected`, `invalid_bootstrap`, `connection_closed`, `connection_lost`: as on every adapter.
 */
import { RealtimeTransportError, type ProtocolErrorCode, type RealtimeTransportErrorDetails } from '../errors.js';

/** The codes {@link OpenAILiveError} uses (a subset of the transports' {@link ProtocolErrorCode}). */
export type OpenAILiveErrorCode = ProtocolErrorCode;

/** An error of the GPT-Live adapter (a {@link RealtimeTransportError}). */
export class OpenAILiveError extends RealtimeTransportError {
  override readonly name = 'OpenAILiveError';
  declare readonly code: OpenAILiveErrorCode;
  constructor(code: OpenAILiveErrorCode, message: string, options: RealtimeTransportErrorDetails = {}) {
    super(code, message, options);
  }
}
