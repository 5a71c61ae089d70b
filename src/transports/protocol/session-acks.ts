/**
 * Matching `session.updated` acknowledgements to `session.update` requests. An ack names no request,
 * but the provider answers in order, so every update sent on the channel (ours, and those another
 * sender such as the agents SDK puts there) takes a slot in a FIFO queue and each ack settles the
 * oldest slot. An error naming an update's `event_id` settles that slot with the error.
 */
import { withTimeout } from '../abort.js';
import { RealtimeTransportError } from '../errors.js';

/** One outstanding `session.update`. */
export interface UpdateSlot {
  readonly eventId: string | undefined;
  /** Sent by someone else on the same channel. */
  readonly foreign: boolean;
  outcome?: { error?: Error };
  listeners: Set<(error?: Error) => void>;
}

export class SessionAcks {
  #slots: UpdateSlot[] = [];

  constructor(private readonly timeoutMs: number) {}

  /** Queues a slot for an update about to be sent. */
  add(eventId: string | undefined, foreign: boolean): UpdateSlot {
    const slot: UpdateSlot = { eventId, foreign, listeners: new Set() };
    this.#slots.push(slot);
    return slot;
  }

  /** A `session.updated` arrived: it answers the oldest update. */
  ack(): void {
    const slot = this.#slots.shift();
    if (slot) settle(slot);
  }

  /**
   * An error arrived. Returns true when it answered an update: one naming it by `eventId`, or, for
   * an error naming no event but a session parameter, the oldest foreign update sent without an id.
   */
  reject(eventId: string | undefined, param: string | undefined, error: Error): boolean {
    const index = eventId
      ? this.#slots.findIndex((slot) => slot.eventId === eventId)
      : param?.startsWith('session')
        ? this.#slots.findIndex((slot) => slot.foreign && slot.eventId === undefined)
        : -1;
    if (index < 0) return false;
    const [slot] = this.#slots.splice(index, 1);
    settle(
      slot!,
      new RealtimeTransportError('session_update_rejected', `The provider refused the session: ${error.message}`, {
        cause: error,
        providerCode: (error as { providerCode?: string }).providerCode,
      }),
    );
    return true;
  }

  /** Resolves when `slot` was acknowledged; rejects on its error or after the timeout. */
  wait(slot: UpdateSlot): Promise<void> {
    const settled = new Promise<void>((resolve, reject) => {
      if (slot.outcome) return slot.outcome.error ? reject(slot.outcome.error) : resolve();
      slot.listeners.add((error) => (error ? reject(error) : resolve()));
    });
    // A timed-out slot stays queued: its late ack must still line up with it, not with the next.
    return withTimeout(
      settled,
      this.timeoutMs,
      () => new RealtimeTransportError('session_update_timeout', `The provider did not acknowledge the session update within ${this.timeoutMs} ms.`),
    );
  }

  /** Resolves once every update queued so far was acknowledged; rejects if one was refused. */
  async settled(): Promise<void> {
    await Promise.all(this.#slots.map((slot) => this.wait(slot)));
  }

  /** Settles every outstanding slot with `error` (the connection closed). */
  closeAll(error: Error): void {
    for (const slot of this.#slots) settle(slot, error);
    this.#slots = [];
  }
}

function settle(slot: UpdateSlot, error?: Error): void {
  if (slot.outcome) return;
  slot.outcome = error ? { error } : {};
  for (const listener of slot.listeners) listener(error);
  slot.listeners.clear();
}

/**
 * Items the client created with its own ids (the replayed conversation), waiting for the provider's
 * `conversation.item.added`; an error naming the creating event fails its wait.
 */
export class ItemAcks {
  #waiting = new Map<string, { eventId: string; settle: (error?: Error) => void }>();

  constructor(private readonly timeoutMs: number) {}

  /** Resolves when item `itemId`, created by event `eventId`, was added. */
  expect(itemId: string, eventId: string): Promise<void> {
    const added = new Promise<void>((resolve, reject) => {
      this.#waiting.set(itemId, { eventId, settle: (error) => (error ? reject(error) : resolve()) });
    });
    return withTimeout(added, this.timeoutMs, () => new RealtimeTransportError('replay_failed', `The provider did not add a replayed item within ${this.timeoutMs} ms.`));
  }

  /** The provider added (or created, or finished) item `itemId`. */
  added(itemId: string): void {
    const waiter = this.#waiting.get(itemId);
    this.#waiting.delete(itemId);
    waiter?.settle();
  }

  /** Returns true when the error answered one of the waiting items' events. */
  reject(eventId: string | undefined, error: Error): boolean {
    if (!eventId) return false;
    for (const [itemId, waiter] of this.#waiting) {
      if (waiter.eventId !== eventId) continue;
      this.#waiting.delete(itemId);
      waiter.settle(new RealtimeTransportError('replay_failed', `The provider refused a replayed item: ${error.message}`, { cause: error }));
      return true;
    }
    return false;
  }

  closeAll(error: Error): void {
    for (const waiter of this.#waiting.values()) waiter.settle(error);
    this.#waiting.clear();
  }
}
