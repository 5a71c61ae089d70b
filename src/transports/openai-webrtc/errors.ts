/**
 * Errors of the OpenAI WebRTC adapters. Their codes are the transports' one vocabulary
 * (`../errors.ts`); the manager wraps them and keeps this one as `cause`.
 */
import { RealtimeTransportError, type ProtocolErrorCode, type RealtimeTransportErrorDetails } from '../errors.js';

export { abortable, abortError, throwIfAborted, withTimeout } from '../abort.js';
export { OpenAIServerError } from '../protocol/server-error.js';

/** The codes {@link OpenAIWebRTCError} uses (a subset of the transports' {@link ProtocolErrorCode}). */
export type OpenAIWebRTCErrorCode = ProtocolErrorCode;

/** An error of a WebRTC adapter (a {@link RealtimeTransportError}). */
export class OpenAIWebRTCError extends RealtimeTransportError {
  override readonly name = 'OpenAIWebRTCError';
  declare readonly code: OpenAIWebRTCErrorCode;
  constructor(code: OpenAIWebRTCErrorCode, message: string, options?: RealtimeTransportErrorDetails) {
    super(code, message, options);
  }
}
