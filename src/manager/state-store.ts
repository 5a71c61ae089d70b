/**
 * The manager's state and the one door its events go out through.
 *
 * Snapshots are frozen, and `busy` is derived from the other fields on every change, so the send lock
 * and the field that publishes it cannot disagree. A compound change (a loss closing the response,
 * ending audio and dropping the link) runs in {@link StateStore.batch}: listeners see one snapshot
 * with all of it, then the events it caused, never a half-done state in between.
 */
import type { EventHub } from './event-hub.js';
import type { RealtimeState } from './types.js';

/** What a state change may set: everything but the derived `busy`. */
export type StatePatch = Partial<Omit<RealtimeState, 'busy'>>;

export const IDLE_RESPONSE: RealtimeState['response'] = Object.freeze({ id: null, status: 'idle', text: '' });

export const INITIAL_STATE: RealtimeState = Object.freeze({
  connection: 'idle',
  session: Object.freeze({ status: 'idle', id: null, config: null }),
  response: IDLE_RESPONSE,
  audioPlaying: false,
  awaitingResponse: false,
  busy: false,
  pendingToolCalls: 0,
  reconnecting: false,
  lastError: null,
  microphone: 'off',
});

export class StateStore {
  #state: RealtimeState = INITIAL_STATE;
  #depth = 0;
  /** The last published snapshot, while a batch runs. */
  #published: RealtimeState | null = null;
  #queued: Array<[string, unknown]> = [];
  /** The manager's own parts that follow published state and events (after the page's listeners). */
  #taps = new Set<(event: string, payload: unknown) => void>();

  constructor(private readonly hub: EventHub) {}

  /**
   * Follows everything published, `realtime:state` included, right after the page's listeners got
   * it: for the manager's own parts (wake lock, rollover, metrics), never for the page.
   */
  tap(listener: (event: string, payload: unknown) => void): () => void {
    this.#taps.add(listener);
    return () => this.#taps.delete(listener);
  }

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
    if (this.#depth === 0) this.#out('realtime:state', { state: next, previous });
  }

  /** Emits a manager event now, or at the end of the running batch (after its state snapshot). */
  emit(event: string, payload: unknown): void {
    if (this.#depth > 0) this.#queued.push([event, payload]);
    else this.#out(event, payload);
  }

  #out(event: string, payload: unknown): void {
    this.hub.emit(event, payload);
    for (const tap of [...this.#taps]) {
      try {
        tap(event, payload);
      } catch (error) {
        // A bug of ours: reported to the page's console, never into the code that changed the state.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
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
    if (this.#state !== previous) this.#out('realtime:state', { state: this.#state, previous });
    for (const [event, payload] of queued) this.#out(event, payload);
  }
}
