/**
 * The manager's state and the one door its events go out through.
 *
 * Snapshots are frozen, and `busy` is derived from the other fields on every change, so the send lock
 * and the field that publishes it cannot disagree. A compound change (a loss closing the response,
 * ending audio and dropping the link) runs in {@link StateStore.batch}: listeners see one snapshot
 * with all of it, then the events it caused, never a half-done state in between.
 */
import type { EventHub } from './event-hub.js';
import { INITIAL_STATE } from './initial-state.js';
import type { RealtimeState } from './types.js';

export { IDLE_RESPONSE, INITIAL_STATE } from './initial-state.js';

/** What a state change may set: everything but the derived `busy`. */
export type StatePatch = Partial<Omit<RealtimeState, 'busy'>>;

export class StateStore {
  #state: RealtimeState = INITIAL_STATE;
  #depth = 0;
  /** The last published snapshot, while a batch runs. */
  #published: RealtimeState | null = null;
  #queued: Array<[string, unknown]> = [];

  constructor(private readonly hub: EventHub) {}

  get current(): RealtimeState {
    return this.#state;
  }

  set(patch: StatePatch): void {
    const previous = this.#state;
    const next = { ...previous, ...patch } as RealtimeState;
    next.busy = next.awaitingResponse || next.response.status === 'responding' || next.pendingToolCalls > 0;
    Object.freeze(next.session);
    Object.freeze(next.response);
    if (next.lastError) Object.freeze(next.lastError);
    this.#state = Object.freeze(next);
    if (this.#depth === 0) this.hub.emit('realtime:state', { state: next, previous });
  }

  /** Emits a manager event now, or at the end of the running batch (after its state snapshot). */
  emit(event: string, payload: unknown): void {
    if (this.#depth > 0) this.#queued.push([event, payload]);
    else this.hub.emit(event, payload);
  }

  /** Runs `change` with publication deferred: one `realtime:state` for all of it, then its events. */
  batch<T>(change: () => T): T {
    if (this.#depth === 0) this.#published = this.#state;
    this.#depth += 1;
    try {
      return change();
    } finally {
      this.#depth -= 1;
      if (this.#depth === 0) this.#publish();
    }
  }

  #publish(): void {
    const previous = this.#published!;
    const queued = this.#queued;
    this.#published = null;
    this.#queued = [];
    if (this.#state !== previous) this.hub.emit('realtime:state', { state: this.#state, previous });
    for (const [event, payload] of queued) this.hub.emit(event, payload);
  }
}
