/**
 * Binds a transport's microphone and output element to the page's {@link AudioDeviceChoice}: the
 * microphone opens on the chosen device, a change while connected switches it live (the transport's
 * track listeners do replaceTrack or re-point the capture graph), the output element plays on the
 * chosen speaker, and a device that is missing or goes away is reported back so the choice falls
 * back to the default visibly. Every transport with audio uses this one module.
 * @packageDocumentation
 */
import type { AudioDeviceChoice } from './device-choice.js';
import { AudioDeviceError } from './errors.js';
import type { Microphone, MicrophoneOptions } from './microphone.js';
import { setOutputDevice } from './output-device.js';

/** The microphone options with the chosen device (a page's own stream or explicit device stays as given). */
export function microphoneOptionsFor(options: MicrophoneOptions | undefined, choice: AudioDeviceChoice | undefined): MicrophoneOptions {
  const base = options ?? {};
  if (!choice || base.stream) return base;
  const deviceId = choice.input ?? base.deviceId;
  return deviceId === undefined ? base : { ...base, deviceId };
}

/** What a transport has open. Either may be absent (a text-only session has no microphone). */
export interface LinkedAudio {
  microphone?: Microphone | null;
  /** The media element the assistant plays through. */
  output?: HTMLMediaElement | null;
}

/**
 * Links `audio` to `choice` until the returned function is called. Link right after creating the
 * microphone (before `open()`): a device missing at open is then reported too.
 */
export function linkAudioDevices(choice: AudioDeviceChoice | undefined, audio: LinkedAudio): () => void {
  if (!choice) return () => {};
  const { microphone, output } = audio;
  const offLost = microphone?.onDeviceLost((deviceId) => choice.lost('input', deviceId)) ?? (() => {});
  const detach = choice.attach(async ({ kind, deviceId }) => {
    if (kind === 'output') {
      if (output) await setOutputDevice(output, deviceId);
      return;
    }
    if (!microphone) return;
    if (microphone.external) {
      throw new AudioDeviceError('microphone_unsupported', 'This session uses a microphone stream the page provides; its device cannot be switched here.');
    }
    await microphone.setDevice(deviceId);
  });
  const wanted = choice.output;
  if (output && wanted !== undefined) {
    // A speaker that is gone must not fail the session: the default plays and the choice says so.
    setOutputDevice(output, wanted).catch(() => choice.lost('output', wanted));
  }
  return () => {
    offLost();
    detach();
  };
}
