/**
 * The level of audio actually played (or captured), read once per animation frame by whoever samples
 * it: the peak amplitude of the last `windowMs` of the signal, from an AnalyserNode's time-domain data.
 *
 * Why the peak of ~8.5 ms: a window as long as one pitch period of a low voice always holds that
 * period's peak, so the level is steady while a syllable is (as steady as the voice's own loudness),
 * and it falls as soon as the voice stops; an RMS that short flickers with the pitch, and smoothing it
 * costs lag. Measured in bench/browser/lipsync.bench.ts: about half a millisecond behind an unsmoothed
 * 256-sample RMS (the floor of sampling once per 60 Hz frame), releases within a frame, and changes
 * frame to frame no more than the voice's envelope does. Charivo's design (byte frequency data
 * smoothed by 0.8) lags ~50 ms and releases in ~120 ms.
 */
import type { LevelSource } from '../types.js';
import { LevelSmoother, type SmoothingOptions } from './smoothing.js';

/** Options of {@link AnalyserLevelSource}. */
export interface AnalyserLevelOptions extends SmoothingOptions {
  /** How much signal each reading covers, in ms (default 8.5: one pitch period of a low voice). */
  windowMs?: number;
  /** Peak → level gain: speech peaking at ≈ 0.3 opens the mouth most of the way (default 2). */
  gain?: number;
  /** Levels below this after gain read as 0, so noise does not twitch the mouth (default 0.02). */
  floor?: number;
}

export class AnalyserLevelSource implements LevelSource {
  readonly analyser: AnalyserNode;
  #buffer: Float32Array<ArrayBuffer>;
  /** Samples of the window (the last ones of `#buffer`). */
  readonly #window: number;
  #smoother: LevelSmoother;
  #active = false;
  #listeners = new Set<(active: boolean) => void>();
  #lastRead = { time: -1, value: 0 };
  readonly #gain: number;
  readonly #floor: number;

  constructor(context: BaseAudioContext, options: AnalyserLevelOptions = {}) {
    this.analyser = context.createAnalyser();
    const windowMs = options.windowMs !== undefined && options.windowMs > 0 ? options.windowMs : 8.5;
    const window = Math.min(32_768, Math.max(32, Math.round((windowMs * context.sampleRate) / 1000)));
    // The analyser keeps the latest fftSize samples: the smallest power of two that holds the window.
    this.analyser.fftSize = 2 ** Math.ceil(Math.log2(window));
    this.analyser.smoothingTimeConstant = 0;
    this.#buffer = new Float32Array(this.analyser.fftSize);
    this.#window = window;
    // No smoothing unless asked: the window already steadies the level, and smoothing is lag.
    this.#smoother = new LevelSmoother({ attackMs: options.attackMs ?? 0, releaseMs: options.releaseMs ?? 0 });
    this.#gain = options.gain ?? 2;
    this.#floor = options.floor ?? 0.02;
  }

  get active(): boolean {
    return this.#active;
  }

  /** The transport says whether audio is playing; inactive reads exactly 0. */
  setActive(active: boolean): void {
    if (active === this.#active) return;
    this.#active = active;
    this.#smoother.reset();
    this.#lastRead = { time: -1, value: 0 };
    for (const listener of [...this.#listeners]) listener(active);
  }

  onActiveChange(listener: (active: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  read(): number {
    if (!this.#active) return 0;
    const now = performance.now();
    // Several consumers may sample in the same frame: analyse once.
    if (now - this.#lastRead.time < 4) return this.#lastRead.value;
    const buffer = this.#buffer;
    this.analyser.getFloatTimeDomainData(buffer);
    let peak = 0;
    for (let i = buffer.length - this.#window; i < buffer.length; i += 1) {
      const sample = Math.abs(buffer[i]!);
      if (sample > peak) peak = sample;
    }
    const target = Math.min(1, peak * this.#gain);
    const value = this.#smoother.next(target < this.#floor ? 0 : target, now);
    this.#lastRead = { time: now, value };
    return value;
  }

  dispose(): void {
    this.setActive(false);
    this.#listeners.clear();
    this.analyser.disconnect();
  }
}
