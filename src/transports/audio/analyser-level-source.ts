/**
 * The level of audio actually played (or captured): time-domain RMS from an AnalyserNode on the audio
 * thread, read once per animation frame by whoever samples it, smoothed with attack/release.
 * Byte frequency data smoothed by 0.8 (Charivo's design) lags ~47 ms and releases slowly; time-domain
 * RMS with a 512-sample window lags ~14 ms (../shared/FIELD-NOTES.md).
 */
import type { LevelSource } from '../types.js';
import { LevelSmoother, type SmoothingOptions } from './smoothing.js';

/** Options of {@link AnalyserLevelSource}. */
export interface AnalyserLevelOptions extends SmoothingOptions {
  /** Analysis window (default 512 samples ≈ 11 ms at 48 kHz). */
  fftSize?: number;
  /** RMS → level gain: speech at RMS ≈ 0.15 should open the mouth most of the way (default 4). */
  gain?: number;
  /** Levels below this after gain read as 0, so noise does not twitch the mouth (default 0.02). */
  floor?: number;
}

export class AnalyserLevelSource implements LevelSource {
  readonly analyser: AnalyserNode;
  #buffer: Float32Array<ArrayBuffer>;
  #smoother: LevelSmoother;
  #active = false;
  #listeners = new Set<(active: boolean) => void>();
  #lastRead = { time: -1, value: 0 };
  readonly #gain: number;
  readonly #floor: number;

  constructor(context: BaseAudioContext, options: AnalyserLevelOptions = {}) {
    this.analyser = context.createAnalyser();
    this.analyser.fftSize = options.fftSize ?? 512;
    this.analyser.smoothingTimeConstant = 0;
    this.#buffer = new Float32Array(this.analyser.fftSize);
    this.#smoother = new LevelSmoother(options);
    this.#gain = options.gain ?? 4;
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
    this.analyser.getFloatTimeDomainData(this.#buffer);
    let sum = 0;
    for (let i = 0; i < this.#buffer.length; i += 1) sum += this.#buffer[i]! * this.#buffer[i]!;
    const rms = Math.sqrt(sum / this.#buffer.length);
    const target = Math.min(1, rms * this.#gain);
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
