/**
 * The check a session start makes before it asks the server for anything (see ./engine-support.ts).
 * @packageDocumentation
 */
import { EngineSupportError, missingForTransport, type TransportKind } from './engine-support.js';

/** Throws an {@link EngineSupportError} when this browser lacks what `transport` (of `adapter`) needs. */
export function assertTransportSupported(transport: TransportKind, adapter?: string, scope: object = globalThis): void {
  const missing = missingForTransport(transport, scope);
  if (missing.length === 0) return;
  const who = adapter ? `The "${adapter}" adapter` : `A ${transport} transport`;
  if (transport === 'webrtc') {
    throw new EngineSupportError(
      'webrtc_unsupported',
      `${who} needs WebRTC, and this browser has no RTCPeerConnection. Use the openai-websocket adapter ` +
        '(on <charivo-realtime>: fallback-adapter="openai-websocket").',
      missing,
      adapter,
    );
  }
  const secure = typeof isSecureContext === 'boolean' && !isSecureContext ? ' (AudioWorklet needs a secure context: https or localhost)' : '';
  throw new EngineSupportError('websocket_unsupported', `${who} needs ${missing.join(', ')}, which this browser lacks${secure}.`, missing, adapter);
}
