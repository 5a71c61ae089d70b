/**
 * The optional methods of {@link RealtimeTransport}, for the layers that forward to another transport
 * (the remote client, the deferred transport): each forwards when the target has it, and otherwise
 * refuses with `unsupported`, or for a rollover falls back to replacing the connection at the
 * hand-over (what the manager does for a transport without `rollover()`).
 */
import { RealtimeTransportError } from './errors.js';
import type { RealtimeTransport, TransportImage, TransportMicrophoneStatus, TransportRolloverRequest } from './types.js';

export function forwardSendImage(target: RealtimeTransport, image: TransportImage, options?: { text?: string; requestResponse?: boolean }): Promise<void> {
  if (!target.sendImage) throw new RealtimeTransportError('unsupported', 'This transport cannot send images.');
  return target.sendImage(image, options);
}

export function forwardRetryMicrophone(target: RealtimeTransport): Promise<TransportMicrophoneStatus> {
  if (!target.retryMicrophone) throw new RealtimeTransportError('unsupported', 'This transport has no microphone to retry.');
  return target.retryMicrophone();
}

export async function forwardRollover(target: RealtimeTransport, request: TransportRolloverRequest, signal: AbortSignal): Promise<void> {
  if (target.rollover) return target.rollover(request, signal);
  const history = await request.handover();
  await target.connect({ session: request.session, reason: 'reconnect', history, sessionId: request.sessionId }, signal);
}
