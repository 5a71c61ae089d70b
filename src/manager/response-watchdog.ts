/**
 * Deadlines for replies: a key (the awaited reply, or a response id) expires when nothing touched it
 * for `timeoutMs`. One timer for all keys, re-armed only when it fires, so touching a key on every
 * streamed delta costs a map write, not a timer.
 */

/** Time and timers, injectable so the deadline logic is tested without waiting. */
export interface WatchdogClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: WatchdogClock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class ResponseWatchdog {
  #lastActivity = new Map<string, number>();
  #timer: unknown = null;

  /** `timeoutMs` may be `Infinity`: nothing ever expires. */
  constructor(
    private readonly timeoutMs: number,
    private readonly expired: (keys: string[]) => void,
    private readonly clock: WatchdogClock = realClock,
  ) {}

  /** Something arrived for `key`: its deadline moves to now + timeout. */
  touch(key: string): void {
    if (!Number.isFinite(this.timeoutMs)) return;
    this.#lastActivity.set(key, this.clock.now());
    if (this.#timer === null) this.#arm(this.timeoutMs);
  }

  forget(key: string): void {
    this.#lastActivity.delete(key);
  }

  clear(): void {
    this.#lastActivity.clear();
    if (this.#timer !== null) this.clock.clearTimeout(this.#timer);
    this.#timer = null;
  }

  #arm(ms: number): void {
    this.#timer = this.clock.setTimeout(() => this.#fire(), Math.max(0, ms));
  }

  #fire(): void {
    this.#timer = null;
    const now = this.clock.now();
    const expired: string[] = [];
    let next = Infinity;
    for (const [key, last] of this.#lastActivity) {
      const due = last + this.timeoutMs;
      if (due <= now) expired.push(key);
      else next = Math.min(next, due);
    }
    for (const key of expired) this.#lastActivity.delete(key);
    if (next !== Infinity) this.#arm(next - now);
    if (expired.length) this.expired(expired);
  }
}
