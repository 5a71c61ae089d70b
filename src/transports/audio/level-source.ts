/**
 * Level sources that UIs sample once per animation frame: a silent one, one the code sets, and a
 * forwarding one whose target can change without consumers re-subscribing.
 */
import type { LevelSource } from '../types.js';

type ActiveListener = (active: boolean) => void;

/** Shared bookkeeping for `active` and its listeners. */
abstract class BaseLevelSource implements LevelSource {
  #listeners = new Set<ActiveListener>();
  abstract read(): number;
  abstract get active(): boolean;

  onActiveChange(listener: ActiveListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  protected notify(active: boolean): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(active);
      } catch {
        // A consumer's bug must not stop the others from hearing about it.
      }
    }
  }
}

/** A source whose value is pushed by code (e.g. a worklet's message or a test); active while > 0. */
export class ManualLevelSource extends BaseLevelSource {
  #level = 0;
  #active = false;

  read(): number {
    return this.#active ? this.#level : 0;
  }

  get active(): boolean {
    return this.#active;
  }

  /** Sets the level; the source is active exactly while it is above 0. */
  set(level: number): void {
    this.#level = Number.isFinite(level) ? Math.min(1, Math.max(0, level)) : 0;
    this.setActive(this.#level > 0);
  }

  /** Marks the source active (something plays) independently of the level. */
  setActive(active: boolean): void {
    if (active === this.#active) return;
    this.#active = active;
    if (!active) this.#level = 0;
    this.notify(active);
  }
}

/**
 * Forwards to a target that may change (a transport created later, a new connection); consumers keep
 * one stable object. Reads 0 and is inactive while there is no target.
 */
export class ForwardingLevelSource extends BaseLevelSource {
  #target: LevelSource | undefined;
  #unsubscribe: (() => void) | undefined;

  read(): number {
    return this.#target?.active ? this.#target.read() : 0;
  }

  get active(): boolean {
    return this.#target?.active ?? false;
  }

  setTarget(target: LevelSource | undefined): void {
    if (target === this.#target) return;
    const wasActive = this.active;
    this.#unsubscribe?.();
    this.#target = target;
    this.#unsubscribe = target?.onActiveChange((active) => this.notify(active));
    if (this.active !== wasActive) this.notify(this.active);
  }
}
