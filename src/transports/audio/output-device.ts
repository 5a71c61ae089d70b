/**
 * Points the assistant's media element at the chosen output (see ./output-sink.ts).
 * @packageDocumentation
 */
import { toSpeakerError } from './error-mapping.js';
import { AudioDeviceError } from './errors.js';
import type { SinkElement } from './output-sink.js';

/**
 * Points `element` at the output `deviceId` (`undefined`: the system default). Rejects with an
 * {@link AudioDeviceError}: `speaker_unsupported` where the browser cannot choose, `speaker_not_found`,
 * `speaker_permission_denied`.
 */
export async function setOutputDevice(element: HTMLMediaElement, deviceId: string | undefined): Promise<void> {
  const sink = element as SinkElement;
  if (typeof sink.setSinkId !== 'function') {
    if (deviceId === undefined) return;
    throw new AudioDeviceError('speaker_unsupported', 'This browser cannot choose the audio output; it plays through the system default.');
  }
  const id = deviceId ?? '';
  if (sink.sinkId === id) return;
  try {
    await sink.setSinkId(id);
  } catch (error) {
    throw toSpeakerError(error);
  }
}
