/**
 * Errors of the WebSocket adapter. Their codes are the transports' one vocabulary (`../errors.ts`);
 * the manager wraps them and keeps this one as `cause`.
 */
import { RealtimeTransportError, type ProtocolErrorCode, type RealtimeTransportErrorDetails } from '../errors.js';

/** The codes {@link OpenAIWebSocketError} uses (a subset of the transports' {@link ProtocolErrorCode}). */
export type OpenAIWebSocketErrorCode = ProtocolErrorCode;

/** An error of the WebSocket adapter (a {@link RealtimeTransportError}). */
export class OpenAIWebSocketError extends RealtimeTransportError {
  override readonly name = 'OpenAIWebSocketError';
  declare readonly code: OpenAIWebSocketErrorCode;
  constructor(code: OpenAIWebSocketErrorCode, message: string, options: RealtimeTransportErrorDetails = {}) {
    super(code, message, options);
  }
}
