import { rms } from './pcm.js';

/** The knobs of energy-based turn detection, taken from the session's `turn_detection`. */
export interface VadSettings {
  /** RMS (0..1) a 10 ms frame must reach to count as voiced. */
  rmsThreshold: number;
  /** Audio kept before the detected onset, reported in `audio_start_ms`. */
  prefixPaddingMs: number;
  /** Silence that ends a turn. */
  silenceDurationMs: number;
}

/** What one fed chunk of audio changed. Times are milliseconds of audio since the session began. */
export type VadEvent = { type: 'speech_started'; audioStartMs: number } | { type: 'speech_stopped'; audioEndMs: number; speechMs: number };

/** Consecutive voiced frames needed to call it speech: one loud click is not a turn. */
const ONSET_FRAMES = 2;
const FRAME_MS = 10;

/**
 * Frame-by-frame energy detector. It counts time in audio milliseconds rather than wall-clock so
 * that audio arriving in bursts (a WebSocket client sending a second of PCM at once) is judged the
 * same as audio streamed in real time.
 */
export class EnergyVad {
  #pending: Int16Array = new Int16Array(0);
  #pendingRate = 0;
  #clockMs = 0;
  #voicedRun = 0;
  #speaking = false;
  #onsetMs = 0;
  #lastVoicedEndMs = 0;

  /** Milliseconds of audio seen so far. */
  get clockMs(): number {
    return this.#clockMs;
  }

  get speaking(): boolean {
    return this.#speaking;
  }

  /**
   * Feeds mono samples at `sampleRate`; returns the turn boundaries they contain. With `settings`
   * null (turn detection off) it only advances the clock.
   */
  feed(samples: Int16Array, sampleRate: number, settings: VadSettings | null): VadEvent[] {
    const frameSize = Math.max(1, Math.round((sampleRate * FRAME_MS) / 1000));
    if (this.#pendingRate !== sampleRate) {
      this.#pending = new Int16Array(0);
      this.#pendingRate = sampleRate;
    }
    let buffer = samples;
    if (this.#pending.length > 0) {
      buffer = new Int16Array(this.#pending.length + samples.length);
      buffer.set(this.#pending);
      buffer.set(samples, this.#pending.length);
    }
    const events: VadEvent[] = [];
    let offset = 0;
    for (; offset + frameSize <= buffer.length; offset += frameSize) {
      const frameStart = this.#clockMs;
      this.#clockMs += FRAME_MS;
      if (!settings) {
        this.#reset();
        continue;
      }
      const voiced = rms(buffer, offset, offset + frameSize) >= settings.rmsThreshold;
      const event = this.#step(voiced, frameStart, settings);
      if (event) events.push(event);
    }
    this.#pending = buffer.slice(offset);
    return events;
  }

  /** Forgets an ongoing turn, e.g. when the client clears the input buffer. */
  reset(): void {
    this.#reset();
  }

  #reset(): void {
    this.#voicedRun = 0;
    this.#speaking = false;
  }

  #step(voiced: boolean, frameStart: number, settings: VadSettings): VadEvent | undefined {
    if (voiced) {
      this.#voicedRun += 1;
      this.#lastVoicedEndMs = frameStart + FRAME_MS;
      if (!this.#speaking && this.#voicedRun >= ONSET_FRAMES) {
        this.#speaking = true;
        this.#onsetMs = frameStart - (ONSET_FRAMES - 1) * FRAME_MS;
        return { type: 'speech_started', audioStartMs: Math.max(0, this.#onsetMs - settings.prefixPaddingMs) };
      }
      return undefined;
    }
    this.#voicedRun = 0;
    if (this.#speaking && frameStart + FRAME_MS - this.#lastVoicedEndMs >= settings.silenceDurationMs) {
      this.#speaking = false;
      return {
        type: 'speech_stopped',
        audioEndMs: this.#lastVoicedEndMs,
        speechMs: this.#lastVoicedEndMs - this.#onsetMs,
      };
    }
    return undefined;
  }
}
