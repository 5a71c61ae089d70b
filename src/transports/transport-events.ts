/** A typed listener registry for transports: `on()` with unsubscribe, and isolated `emit()`. */
import type { RealtimeTransportEventMap, RealtimeTransportEventName } from './types.js';

type Handler = (payload: never) => void;

export class TransportEvents {
  #listeners = new Map<RealtimeTransportEventName, Set<Handler>>();

  on<K extends RealtimeTransportEventName>(event: K, handler: (payload: RealtimeTransportEventMap[K]) => void): () => void {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(handler as Handler);
    return () => {
      set.delete(handler as Handler);
    };
  }

  emit<K extends RealtimeTransportEventName>(event: K, payload: RealtimeTransportEventMap[K]): void {
    const set = this.#listeners.get(event);
    if (!set) return;
    for (const handler of [...set]) {
      try {
        (handler as (payload: RealtimeTransportEventMap[K]) => void)(payload);
      } catch (error) {
        // A listener's bug must not break the transport's event loop.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  get size(): number {
    let count = 0;
    for (const set of this.#listeners.values()) count += set.size;
    return count;
  }
}
