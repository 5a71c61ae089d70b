/**
 * The audio side of one WebSocket session: microphone → capture worklet (PCM16 chunks out), and
 * PCM16 deltas in → playback worklet → output analyser → a MediaStream destination → an `<audio>`
 * element → speakers. It outlives reconnects (the microphone stays open while the socket is replaced)
 * and is released by the transport's `disconnect()`.
 *
 * The assistant plays through a media element, never straight to `AudioContext.destination`, as it
 * does over WebRTC, so one output path serves every adapter: the page's chosen speaker (`setSinkId`)
 * applies to the element, and the browser treats the voice as media playback, which is what its echo
 * canceller is built around (Chromium's classic canceller ignores Web Audio output, crbug 687574;
 * see the README's "No echo" section for what each engine does).
 * @packageDocumentation
 */
import { AnalyserLevelSource } from '../audio/analyser-level-source.js';
import type { AudioDeviceChoice } from '../audio/device-choice.js';
import { linkAudioDevices, microphoneOptionsFor } from '../audio/device-link.js';
import { AudioDeviceError } from '../audio/errors.js';
import { Microphone, type MicrophoneOptions } from '../audio/microphone.js';
import { openMicrophone, type MicrophoneReport } from '../audio/microphone-fallback.js';
import type { LevelSource } from '../types.js';
import { PcmCapture, type PcmCaptureOptions } from './capture.js';
import { PcmPlayback, type PcmPlaybackOptions, type PlaybackListener } from './playback.js';

/** What {@link AudioPipeline.open} needs. */
export interface AudioPipelineOptions {
  microphone?: MicrophoneOptions;
  capture?: PcmCaptureOptions;
  playback?: PcmPlaybackOptions;
  /** Receives each captured PCM16 chunk (24 kHz mono). */
  onChunk(pcm: ArrayBuffer): void;
  listener: PlaybackListener;
  /** Where the assistant plays; it stays the caller's (only `srcObject` is set, and cleared on release). A detached element by default. */
  audioElement?: HTMLAudioElement;
  /** The page's microphone and speaker choice, followed live. */
  devices?: AudioDeviceChoice;
}

/** Microphone, capture, playback and the two levels, on one AudioContext. */
export class AudioPipeline {
  readonly outputLevel: AnalyserLevelSource;
  readonly inputLevel: LevelSource;
  /** The node the assistant's audio leaves Web Audio through; its stream plays in {@link output}. */
  readonly destination: MediaStreamAudioDestinationNode;
  #source: MediaStreamAudioSourceNode | null = null;
  #offTrackChange: () => void;
  #released = false;

  private constructor(
    readonly context: AudioContext,
    readonly microphone: Microphone,
    readonly capture: PcmCapture,
    readonly playback: PcmPlayback,
    /** The element the assistant plays through. */
    readonly output: OutputElement,
    readonly unlinkDevices: () => void,
    /** What the microphone came to: `live`, or why the session runs without it (typed turns only). */
    public microphoneReport: MicrophoneReport,
  ) {
    this.outputLevel = new AnalyserLevelSource(context);
    this.destination = context.createMediaStreamDestination();
    // The level is read before the element: it leads what is heard by the element's small buffer.
    playback.node.connect(this.outputLevel.analyser).connect(this.destination);
    output.play(this.destination.stream);
    this.inputLevel = microphone.level(context);
    this.#wireMicrophone();
    // A device switch (or an unplugged one replaced by the default) must keep feeding the capture.
    this.#offTrackChange = microphone.onTrackChange(() => this.#wireMicrophone());
  }

  /**
   * Opens the microphone and loads the worklets. A microphone that is denied, missing or busy leaves
   * the pipeline without one (unless `microphone.required`): playback works, nothing is captured, and
   * {@link microphoneReport} says why. On any other failure everything opened so far is released and
   * an {@link AudioDeviceError} is thrown: the microphone's, or `audio_unavailable` for the worklets.
   */
  static async open(context: AudioContext, options: AudioPipelineOptions): Promise<AudioPipeline> {
    const microphone = new Microphone(microphoneOptionsFor(options.microphone, options.devices));
    const output = new OutputElement(options.audioElement);
    // Before open(): a chosen device that is missing falls back to the default, and the choice says so.
    const unlinkDevices = linkAudioDevices(options.devices, { microphone, output: output.element });
    // allSettled, not all: releasing while getUserMedia is still pending would leave its track live.
    const [opened, capture, playback] = await Promise.allSettled([
      openMicrophone(microphone, options.microphone?.required === true),
      PcmCapture.create(context, options.onChunk, options.capture),
      PcmPlayback.create(context, options.listener, options.playback),
    ]);
    if (opened.status === 'fulfilled' && capture.status === 'fulfilled' && playback.status === 'fulfilled') {
      return new AudioPipeline(context, microphone, capture.value, playback.value, output, unlinkDevices, opened.value);
    }
    unlinkDevices();
    output.release();
    microphone.release();
    if (capture.status === 'fulfilled') capture.value.dispose();
    if (playback.status === 'fulfilled') playback.value.dispose();
    const failed = [opened, capture, playback].find((result) => result.status === 'rejected') as PromiseRejectedResult;
    if (failed.reason instanceof AudioDeviceError) throw failed.reason;
    // The worklets could not load (a page whose CSP forbids blob: modules, a closed context).
    throw new AudioDeviceError('audio_unavailable', `The audio worklets could not be started: ${(failed.reason as Error)?.message ?? String(failed.reason)}`, {
      cause: failed.reason,
    });
  }

  /** Asks for the microphone again (after it was denied, absent or busy); the capture follows its track. */
  async retryMicrophone(): Promise<MicrophoneReport> {
    if (this.microphone.track?.readyState === 'live') return (this.microphoneReport = { status: 'live' });
    this.microphoneReport = await openMicrophone(this.microphone, false);
    return this.microphoneReport;
  }

  /** Mutes the microphone: the track is disabled (meters read 0) and the capture sends zeros. */
  setMuted(muted: boolean): void {
    this.microphone.setMuted(muted);
    this.capture.setMuted(muted);
  }

  /** Stops everything and disconnects every node; idempotent. The AudioContext stays (it is shared). */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.#offTrackChange();
    this.capture.dispose();
    this.#source?.disconnect();
    this.#source = null;
    this.playback.dispose();
    this.outputLevel.dispose();
    this.destination.disconnect();
    this.unlinkDevices();
    this.output.release();
    this.microphone.release();
  }

  #wireMicrophone(): void {
    if (this.#released) return;
    const stream = this.microphone.stream;
    const previous = this.#source;
    this.#source = stream ? this.context.createMediaStreamSource(stream) : null;
    this.capture.connect(this.#source);
    previous?.disconnect();
  }
}

/** The `<audio>` element the assistant plays through: the caller's, or a detached one of our own. */
class OutputElement {
  readonly element: HTMLAudioElement;
  readonly #owned: boolean;

  constructor(element: HTMLAudioElement | undefined) {
    this.#owned = !element;
    this.element = element ?? document.createElement('audio');
    if (this.#owned) this.element.autoplay = true;
  }

  play(stream: MediaStream): void {
    this.element.srcObject = stream;
    void this.element.play().catch(() => {
      // Autoplay refused (no gesture yet): start() is meant to be called from one; the level still moves.
    });
  }

  release(): void {
    if (this.#owned) this.element.pause();
    this.element.srcObject = null;
  }
}
