/**
 * Attack/release smoothing of a level, frame-rate independent: each step moves toward the target by
 * `1 - exp(-dt / tau)`, with a short tau when rising (mouth opens at once) and a longer one when
 * falling (no flicker between syllables).
 */
export interface SmoothingOptions {
  /** Time constant when the level rises, in ms (default 12). */
  attackMs?: number;
  /** Time constant when the level falls, in ms (default 70). */
  releaseMs?: number;
}

export class LevelSmoother {
  #value = 0;
  #lastTime: number | undefined;
  readonly #attackMs: number;
  readonly #releaseMs: number;

  constructor(options: SmoothingOptions = {}) {
    this.#attackMs = options.attackMs ?? 12;
    this.#releaseMs = options.releaseMs ?? 70;
  }

  /** Feeds `target` observed at `now` (ms) and returns the smoothed value. */
  next(target: number, now: number): number {
    const dt = this.#lastTime === undefined ? Infinity : Math.max(0, now - this.#lastTime);
    this.#lastTime = now;
    const tau = target > this.#value ? this.#attackMs : this.#releaseMs;
    const k = tau <= 0 ? 1 : 1 - Math.exp(-dt / tau);
    this.#value += (target - this.#value) * k;
    return this.#value;
  }

  reset(): void {
    this.#value = 0;
    this.#lastTime = undefined;
  }
}
