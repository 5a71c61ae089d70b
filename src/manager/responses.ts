/**
 * Assistant responses, tracked by id against a provider that may be disordered: each response starts
 * once and ends once; a late start, delta or done for an ended response is dropped; a stray done for
 * another id leaves the streaming one alone; interleaved responses each keep their own text. A reply
 * awaited, or a response streaming, that receives nothing for the timeout is reported so the send
 * lock cannot stick.
 *
 * The state shows the latest-started open response, or the last one that ended. A response's `phase`
 * (GPT-Live: `commentary` while a delegated task runs, `final` for the answer) is set by its start and
 * travels with its state and every event of it.
 */
import type { AssistantPhase, TransportResponseStatus } from '../transports/types.js';
import { BoundedSet } from './bounded-set.js';
import type { ConversationHistory } from './history.js';
import type { ManagerLog } from './manager-log.js';
import { ResponseWatchdog, type WatchdogClock } from './response-watchdog.js';
import { IDLE_RESPONSE, type StatePatch, type StateStore } from './state-store.js';
import type { RealtimeState } from './types.js';

/** What the tracker needs from the manager. */
export interface ResponseHost {
  state: StateStore;
  history: ConversationHistory;
  log: ManagerLog;
  sessionId(): string;
  /** A response ended at the provider: the results of its tool calls may now be sent. */
  ended(responseId: string): void;
  /** The awaited reply, or a streaming response, received nothing for the timeout. */
  timedOut(responseOpen: boolean): void;
}

/** A response that started and has not ended. */
interface OpenResponse {
  text: string;
  phase?: AssistantPhase;
}

/** `{ phase }` when there is one, for spreading into a payload. */
const tagged = (phase: AssistantPhase | undefined): { phase?: AssistantPhase } => (phase ? { phase } : {});

/** Watchdog key of the awaited reply (response ids are never this). */
const AWAITING = '\u0000awaiting';

export class ResponseTracker {
  /** Open responses by id, in the order they started. */
  #open = new Map<string, OpenResponse>();
  #current: string | null = null;
  /** Ended at the provider or closed here: anything later for them is late. */
  #ended = new BoundedSet<string>(512);
  /** Closed here (interrupt, loss, stop, timeout): their tool calls are never run. */
  #closedLocally = new BoundedSet<string>(512);
  #last: RealtimeState['response'] = IDLE_RESPONSE;
  #watchdog: ResponseWatchdog;

  constructor(
    private readonly host: ResponseHost,
    timeoutMs: number,
    clock?: WatchdogClock,
  ) {
    this.#watchdog = new ResponseWatchdog(timeoutMs, (keys) => this.#expired(keys), clock);
  }

  get hasOpen(): boolean {
    return this.#open.size > 0;
  }

  /** A user turn or tool result asked for a reply. `fresh` clears the last response from the state. */
  awaitReply(fresh: boolean): void {
    this.#watchdog.touch(AWAITING);
    const patch: StatePatch = { awaitingResponse: true };
    if (fresh && this.#open.size === 0) {
      this.#last = IDLE_RESPONSE;
      patch.response = IDLE_RESPONSE;
    }
    this.host.state.set(patch);
  }

  /** The request for a reply never reached the provider. */
  cancelAwait(): void {
    this.#watchdog.forget(AWAITING);
    if (this.host.state.current.awaitingResponse) this.host.state.set({ awaitingResponse: false });
  }

  start(responseId: string, phase?: AssistantPhase): void {
    if (this.#ended.has(responseId)) {
      this.host.log.debug('dropped a late response start', { responseId });
      return;
    }
    if (this.#open.has(responseId)) return;
    this.#open.set(responseId, { text: '', ...tagged(phase) });
    this.#current = responseId;
    this.#watchdog.forget(AWAITING);
    this.#watchdog.touch(responseId);
    this.host.state.batch(() => {
      this.host.state.set({ awaitingResponse: false, response: this.#view() });
      this.host.state.emit('realtime:assistant:start', { sessionId: this.host.sessionId(), responseId, ...tagged(phase) });
    });
  }

  delta(responseId: string, delta: string): void {
    if (this.#ended.has(responseId)) return;
    if (!this.#open.has(responseId)) this.start(responseId);
    const open = this.#open.get(responseId)!;
    open.text += delta;
    this.#watchdog.touch(responseId);
    if (responseId === this.#current) this.host.state.set({ response: this.#view() });
    this.host.state.emit('realtime:assistant:delta', { sessionId: this.host.sessionId(), responseId, delta, text: open.text, ...tagged(open.phase) });
  }

  done(responseId: string, text: string, status: TransportResponseStatus): void {
    if (this.#ended.has(responseId)) {
      this.host.log.debug('dropped a late or repeated response end', { responseId });
      return;
    }
    this.host.state.batch(() => {
      // A done whose start never came still starts and ends once, in that order.
      if (!this.#open.has(responseId)) this.start(responseId);
      const open = this.#open.get(responseId)!;
      const finalText = text !== '' ? text : open.text;
      const interrupted = status === 'cancelled';
      this.#finish(responseId, interrupted ? 'interrupted' : 'completed', finalText, open.phase);
      if (finalText.trim()) this.host.history.push({ role: 'assistant', text: finalText, ...(interrupted ? { interrupted } : {}) });
      this.#watchdog.forget(AWAITING);
      this.host.state.set({ awaitingResponse: false, response: this.#view() });
      this.host.state.emit('realtime:assistant:done', {
        sessionId: this.host.sessionId(),
        responseId,
        text: finalText,
        status: interrupted ? 'interrupted' : status,
        ...tagged(open.phase),
      });
      this.host.ended(responseId);
    });
  }

  /** Audio, usage or a tool call arrived for `responseId`: it is alive. */
  activity(responseId: string): void {
    if (this.#open.has(responseId)) this.#watchdog.touch(responseId);
  }

  /**
   * Whether a tool call of `responseId` may run: not for a response closed here (nobody waits for
   * it); a call of an unknown response opens it, so its end (or the timeout) releases the call.
   */
  admitToolCall(responseId: string): boolean {
    if (this.#closedLocally.has(responseId)) return false;
    if (!this.#ended.has(responseId)) {
      if (!this.#open.has(responseId)) this.start(responseId);
      this.#watchdog.touch(responseId);
    }
    return true;
  }

  isClosedLocally(responseId: string): boolean {
    return this.#closedLocally.has(responseId);
  }

  /** Closes every open response here (interrupt, loss, stop, timeout), keeping partial text. */
  closeAll(): void {
    this.#watchdog.clear();
    const patch: StatePatch = { awaitingResponse: false };
    if (this.#open.size > 0) {
      const open = [...this.#open.entries()];
      for (const [responseId, { text, phase }] of open) {
        this.#closedLocally.add(responseId);
        this.#finish(responseId, 'interrupted', text, phase);
        if (text.trim()) this.host.history.push({ role: 'assistant', text, interrupted: true });
        this.host.state.emit('realtime:assistant:done', { sessionId: this.host.sessionId(), responseId, text, status: 'interrupted', ...tagged(phase) });
      }
      patch.response = this.#view();
    }
    this.host.state.set(patch);
  }

  /** A new session: forget everything. */
  reset(): void {
    this.#watchdog.clear();
    this.#open.clear();
    this.#current = null;
    this.#ended.clear();
    this.#closedLocally.clear();
    this.#last = IDLE_RESPONSE;
  }

  #finish(responseId: string, status: 'completed' | 'interrupted', text: string, phase: AssistantPhase | undefined): void {
    this.#open.delete(responseId);
    this.#ended.add(responseId);
    this.#watchdog.forget(responseId);
    // The state keeps showing the response that was current; an older one ending leaves it alone.
    if (this.#current === responseId || this.#open.size === 0) this.#last = Object.freeze({ id: responseId, status, text, ...tagged(phase) });
    if (this.#current === responseId) this.#current = [...this.#open.keys()].at(-1) ?? null;
  }

  #view(): RealtimeState['response'] {
    if (this.#current !== null) {
      const { text, phase } = this.#open.get(this.#current)!;
      return { id: this.#current, status: 'responding', text, ...tagged(phase) };
    }
    return this.#last;
  }

  #expired(keys: string[]): void {
    const responseOpen = keys.some((key) => key !== AWAITING);
    this.host.log.warn('no event from the provider before the response timeout', {
      awaiting: keys.includes(AWAITING),
      responseIds: keys.filter((key) => key !== AWAITING),
    });
    this.host.timedOut(responseOpen);
  }
}
