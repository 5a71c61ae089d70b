/**
 * The assistant's output device: `setSinkId()` on the media element that plays it. Chromium has it;
 * Firefox has it from 116 (it lists outputs only once the page may use the microphone); WebKit has
 * not, and there the system's output is used (the picker says so).
 * @packageDocumentation
 */
import { AudioDeviceError, toSpeakerError } from './errors.js';

type SinkElement = HTMLMediaElement & { setSinkId?: (id: string) => Promise<void>; sinkId?: string };

/** Whether this browser can choose where a media element plays. */
export function outputSelectionSupported(): boolean {
  return typeof HTMLMediaElement !== 'undefined' && typeof (HTMLMediaElement.prototype as SinkElement).setSinkId === 'function';
}

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
