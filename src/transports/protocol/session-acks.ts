/**
 * Matching `session.updated` acknowledgements to `session.update` requests. An ack names no request,
 * but the provider answers in order, so every update sent on the channel (ours, and those another
 * sender such as the agents SDK puts there) takes a slot in a FIFO queue and an ack settles the oldest
 * slot whose session it does not contradict (see {@link contradicts}). A `session.updated` that
 * contradicts every outstanding update answers someone we cannot see: a server-side control
 * connection on the same call (guarded mode's join read or correction), which the provider reports to
 * every connection of the call. An error naming an update's `event_id` settles that slot with the error.
 */
import { withTimeout } from '../abort.js';
import { RealtimeTransportError } from '../errors.js';

/** One outstanding `session.update`. */
export interface UpdateSlot {
  readonly eventId: string | undefined;
  /** Sent by someone else on the same channel. */
  readonly foreign: boolean;
  /** The wire session it sent, when known: what its ack must not contradict. */
  readonly session: unknown;
  /** `session.updated` events seen while it waited that were not its answer (for the timeout's message). */
  unmatched: number;
  outcome?: { error?: Error };
  listeners: Set<(error?: Error) => void>;
}

export class SessionAcks {
  #slots: UpdateSlot[] = [];

  constructor(private readonly timeoutMs: number) {}

  /** Queues a slot for an update about to be sent (`session`: the wire session it carries, if known). */
  add(eventId: string | undefined, foreign: boolean, session?: unknown): UpdateSlot {
    const slot: UpdateSlot = { eventId, foreign, session, unmatched: 0, listeners: new Set() };
    this.#slots.push(slot);
    return slot;
  }

  /**
   * A `session.updated` arrived with the live `session`. It answers the oldest outstanding update it
   * does not contradict; older ones were answered already (the provider answers in order) by acks that
   * did not look like them, so they settle too. Returns false when it answers none of ours (a
   * server-side sender's update).
   */
  ack(session: unknown): boolean {
    const index = this.#slots.findIndex((slot) => slot.session === undefined || !contradicts(slot.session, session));
    if (index < 0) {
      for (const slot of this.#slots) slot.unmatched += 1;
      return false;
    }
    for (const slot of this.#slots.splice(0, index + 1)) settle(slot);
    return true;
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
    return withTimeout(settled, this.timeoutMs, () => {
      const others = slot.unmatched ? ` (${slot.unmatched} session.updated event(s) arrived meanwhile that did not match what was sent: another sender's updates)` : '';
      return new RealtimeTransportError('session_update_timeout', `The provider did not acknowledge the session update within ${this.timeoutMs} ms${others}.`);
    });
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

/**
 * Wire paths an ack is compared on: the fields we map, where a value the provider reports is the value
 * set. Others (formats, `model`, provider options) may come back normalised, so they prove nothing.
 */
const COMPARED: ReadonlyArray<readonly string[]> = [
  ['instructions'],
  ['output_modalities'],
  ['tool_choice'],
  ['max_output_tokens'],
  ['audio', 'output', 'voice'],
  ['audio', 'output', 'speed'],
  ['audio', 'input', 'transcription'],
  ['audio', 'input', 'turn_detection'],
  ['audio', 'input', 'noise_reduction'],
  ['reasoning'],
  ['truncation'],
];

/**
 * Whether the live session an ack reports says something other than what `sent` set, on the
 * compared fields, the tools (by name and description) and the stored prompt (by id). A field the ack
 * leaves out is no evidence either way (a minimal ack contradicts nothing); objects compare key by key
 * on what was sent (the provider fills in defaults); `null`, `''` and absence are alike.
 */
export function contradicts(sent: unknown, acked: unknown): boolean {
  if (!isObject(sent) || !isObject(acked)) return false;
  for (const path of COMPARED) {
    const mine = at(sent, path);
    const theirs = at(acked, path);
    if (mine.present && theirs.present && differs(mine.value, theirs.value)) return true;
  }
  if (Array.isArray(sent.tools) && Array.isArray(acked.tools)) {
    const names = (tools: unknown[]) => JSON.stringify(tools.map((tool) => (isObject(tool) ? [tool.name, isNothing(tool.description) ? '' : tool.description] : null)));
    if (names(sent.tools) !== names(acked.tools)) return true;
  }
  if ('prompt' in sent && 'prompt' in acked) {
    const id = (prompt: unknown) => (isObject(prompt) ? prompt.id : undefined);
    if (id(sent.prompt) !== id(acked.prompt)) return true;
  }
  return false;
}

function differs(mine: unknown, theirs: unknown): boolean {
  if (isNothing(mine) || isNothing(theirs)) return isNothing(mine) !== isNothing(theirs);
  if (Array.isArray(mine)) return !Array.isArray(theirs) || mine.length !== theirs.length || mine.some((item, i) => differs(item, theirs[i]));
  if (isObject(mine)) return !isObject(theirs) || Object.keys(mine).some((key) => key in theirs && differs(mine[key], theirs[key]));
  return !Object.is(mine, theirs);
}

function at(value: Record<string, unknown>, path: readonly string[]): { present: boolean; value?: unknown } {
  let node: unknown = value;
  for (const key of path) {
    if (!isObject(node) || !(key in node)) return { present: false };
    node = node[key];
  }
  return { present: true, value: node };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNothing(value: unknown): boolean {
  return value === undefined || value === null || value === '';
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
