/**
 * What the emulated Live model hears: microphone audio from the WebRTC track through the energy VAD
 * the Realtime emulator uses (GPT-Live has no turn-detection settings, so fixed ones), a stand-in
 * transcript streamed as `session.input_transcript.delta` on the session timeline, and the turn
 * handed to the session. Muted input is heard as silence.
 */
import { standInTranscript } from '../responder.js';
import type { ServerEventInit } from '../types.js';
import { EnergyVad, type VadEvent, type VadSettings } from '../vad.js';

/** What the input side needs from its session. */
export interface LiveInputHost {
  timelineMs(): number;
  emit(event: ServerEventInit): void;
  /** The user started speaking: a full-duplex model may stop to listen. */
  speechStarted(): void;
  /** A turn ended: what was heard, and for how long. */
  userTurn(turn: { text: string; audioMs: number }): void;
}

/** Server VAD's defaults (threshold 0.5, 300 ms padding, 500 ms silence). */
const SETTINGS: VadSettings = { rmsThreshold: 0.03, prefixPaddingMs: 300, silenceDurationMs: 500 };

export class LiveInput {
  readonly #vad = new EnergyVad();
  /** Timeline position of the current turn's onset. */
  #onsetMs = 0;
  muted = false;

  constructor(private readonly host: LiveInputHost) {}

  /** Milliseconds of microphone audio received. */
  get receivedMs(): number {
    return this.#vad.clockMs;
  }

  append(samples: Int16Array, sampleRate: number): void {
    if (samples.length === 0 || sampleRate <= 0) return;
    // Muted: the model hears silence (the clock still runs, so turn timing stays right).
    const heard = this.muted ? new Int16Array(samples.length) : samples;
    for (const event of this.#vad.feed(heard, sampleRate, SETTINGS)) this.#onVad(event);
  }

  #onVad(event: VadEvent): void {
    const { host } = this;
    if (event.type === 'speech_started') {
      this.#onsetMs = host.timelineMs();
      host.speechStarted();
      return;
    }
    const transcript = standInTranscript(event.speechMs);
    const words = [...transcript.matchAll(/\S+\s*/g)].map((match) => match[0]);
    const end = host.timelineMs();
    const span = Math.max(1, end - this.#onsetMs);
    words.forEach((delta, index) => {
      const start = Math.round(this.#onsetMs + (span * index) / words.length);
      const stop = Math.round(this.#onsetMs + (span * (index + 1)) / words.length);
      host.emit({ type: 'session.input_transcript.delta', delta, start_ms: start, end_ms: stop });
    });
    host.userTurn({ text: transcript, audioMs: event.speechMs });
  }
}
