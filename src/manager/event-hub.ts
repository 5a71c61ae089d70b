/**
 * A small typed event hub: per-name listeners, wildcard listeners and an optional emit-only bridge.
 * Listener errors are isolated so one faulty subscriber cannot break the session.
 */
import type { RealtimeEventEmitter } from './types.js';

type Listener = (payload: unknown) => void;
type AnyListener = (event: string, payload: unknown) => void;

export class EventHub {
  #listeners = new Map<string, Set<Listener>>();
  #any = new Set<AnyListener>();
  #bridge: RealtimeEventEmitter | null = null;

  constructor(private readonly onListenerError: (event: string, error: unknown) => void) {}

  on(event: string, listener: Listener): () => void {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  onAny(listener: AnyListener): () => void {
    this.#any.add(listener);
    return () => {
      this.#any.delete(listener);
    };
  }

  setBridge(bridge: RealtimeEventEmitter | null): void {
    this.#bridge = bridge;
  }

  emit(event: string, payload: unknown): void {
    const set = this.#listeners.get(event);
    if (set) for (const listener of [...set]) this.#call(event, () => listener(payload));
    for (const listener of [...this.#any]) this.#call(event, () => listener(event, payload));
    const bridge = this.#bridge;
    if (bridge) this.#call(event, () => bridge.emit(event, payload));
  }

  clear(): void {
    this.#listeners.clear();
    this.#any.clear();
    this.#bridge = null;
  }

  get listenerCount(): number {
    let count = this.#any.size + (this.#bridge ? 1 : 0);
    for (const set of this.#listeners.values()) count += set.size;
    return count;
  }

  #call(event: string, fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.onListenerError(event, error);
    }
  }
}
