/**
 * GPT-Live's server events as the manager's transport events. GPT-Live streams transcripts without
 * turn boundaries (no response lifecycle, no transcript-done), so this is where turns are made:
 * - an assistant utterance opens with the first output transcript delta and closes after its audio
 *   has had time to play plus a quiet gap, when the user starts speaking, or when a delegated task
 *   resolves between two utterances; it is `commentary` while a delegation is open, else `final`
 *   (the rest of an utterance a delivery stall closed keeps its phase);
 * - a user turn is the input transcript deltas until the assistant answers, a delegation starts, or a
 *   quiet gap;
 * - the Responses stream nested in `response.event` yields the function calls the page runs (emitted
 *   together when their response completes) and token usage; `session.usage.updated` yields seconds.
 */
import type { AssistantPhase, DelegationTarget, RealtimeTransportEventMap } from '../types.js';
import { mapUsage } from '../protocol/server-events.js';
import { toServerError, type LiveServerEvent } from './live-channel.js';

/** One transport event to emit. */
export type LiveEmission = { [K in keyof RealtimeTransportEventMap]: { name: K; payload: RealtimeTransportEventMap[K] } }[keyof RealtimeTransportEventMap];

/** Timing of turn boundaries. */
export interface LiveTurnTiming {
  /** Quiet after an utterance's last delta (beyond that delta's own audio) that ends it, in ms. */
  utteranceGapMs: number;
  /** Quiet after the user's last transcript delta that makes their turn final, in ms. */
  userGapMs: number;
}

/**
 * A pause on the session timeline this long between two deltas is a boundary between utterances: it
 * starts a new turn when the phase changes, and ends the dropping of an interrupted one.
 */
const PHASE_SPLIT_MS = 150;

interface Utterance {
  id: string;
  phase: AssistantPhase;
  text: string;
  lastEndMs: number;
  timer: ReturnType<typeof setTimeout> | undefined;
}

interface NestedResponse {
  id: string;
  calls: Array<{ callId: string; name: string; arguments: string }>;
}

export class LiveEventMapper {
  /** Delegations still running: client ones until the page answers with commentary, backend ones until they answer. */
  readonly openDelegations = new Map<string, DelegationTarget>();
  /** Client delegations of this connection (the ids `answerDelegation` may name). */
  readonly clientDelegations = new Set<string>();
  #utterance: Utterance | undefined;
  /**
   * The last utterance closed by the quiet gap: where it ended on the session timeline, and its phase.
   * The gap is wall-clock time, so a stall in delivery closes an utterance whose audio goes on; a delta
   * that starts where it ended is the rest of it, in a turn of its own (a closed turn never re-opens)
   * but with its phase, not the one of the moment (a delegation answered meanwhile).
   */
  #lastClosed: { endMs: number; phase: AssistantPhase } | undefined;
  /**
   * After a local interrupt: deltas of the cut utterance are dropped until it has gone quiet or a
   * pause on the timeline shows the next utterance began.
   */
  #suppressed: ReturnType<typeof setTimeout> | undefined;
  #suppressedEndMs = 0;
  #user: { id: string; text: string; timer: ReturnType<typeof setTimeout> | undefined } | undefined;
  #nested = new Map<string, NestedResponse>();
  #counter = 0;
  #started: ((resource: Record<string, unknown>) => void) | undefined;

  constructor(
    private readonly emit: (emission: LiveEmission) => void,
    private readonly timing: LiveTurnTiming,
    /** Unmutes the remote audio once an interrupted utterance has gone quiet. */
    private readonly onSuppressionEnd: () => void,
  ) {}

  /** Resolves with the session resource when `session.started` arrives. */
  whenStarted(): Promise<Record<string, unknown>> {
    return new Promise((resolve) => (this.#started = resolve));
  }

  /** True while an utterance is open (the voice is playing). */
  get speaking(): boolean {
    return this.#utterance !== undefined;
  }

  handle(event: LiveServerEvent): void {
    switch (event.type) {
      case 'session.started':
        this.#started?.((event.session as Record<string, unknown>) ?? {});
        this.#started = undefined;
        return;
      case 'session.output_transcript.delta':
        return this.#outputDelta(event);
      case 'session.input_transcript.delta':
        return this.#inputDelta(event);
      case 'session.delegation.created':
        return this.#delegation(event);
      case 'response.event':
        return this.#nestedEvent(event);
      case 'session.usage.updated':
      case 'session.closed':
        return this.#usage(event);
      case 'error': {
        const error = toServerError(typeof event.error === 'object' && event.error !== null ? (event.error as Record<string, unknown>) : {});
        // As on every adapter, the event's code is the provider's own when it gave one.
        this.emit({ name: 'error', payload: { error, code: error.providerCode ?? error.code } });
        return;
      }
      default:
        // info, acknowledgements, fixture notices: nothing for the manager.
        return;
    }
  }

  /** The page answered a client delegation with commentary: the delegation's result is on its way. */
  resolveDelegation(delegationId: string): void {
    this.openDelegations.delete(delegationId);
  }

  /** Interrupt: the current utterance ends now as cancelled; what is left of it is dropped. Returns whether one was open. */
  interrupt(): boolean {
    this.#lastClosed = undefined;
    const utterance = this.#utterance;
    if (!utterance) return false;
    this.#suppressedEndMs = utterance.lastEndMs;
    this.#closeUtterance('cancelled');
    this.#suppress(this.timing.utteranceGapMs);
    return true;
  }

  /** The connection is going: close what is open, stop the timers. */
  dispose(): void {
    this.#lastClosed = undefined;
    if (this.#utterance) this.#closeUtterance('cancelled', 'disconnected');
    this.#finishUser();
    clearTimeout(this.#suppressed);
    this.#suppressed = undefined;
    this.#started = undefined;
  }

  #outputDelta(event: LiveServerEvent): void {
    const delta = typeof event.delta === 'string' ? event.delta : '';
    const startMs = numberOr(event.start_ms, 0);
    const endMs = numberOr(event.end_ms, startMs);
    if (this.#suppressed) {
      if (startMs - this.#suppressedEndMs < PHASE_SPLIT_MS) {
        this.#suppressedEndMs = Math.max(this.#suppressedEndMs, endMs);
        this.#suppress(endMs - startMs + this.timing.utteranceGapMs);
        return;
      }
      this.#endSuppression();
    }
    if (!delta) return;
    this.#finishUser();
    let utterance = this.#utterance;
    const continued = !utterance && this.#lastClosed && startMs - this.#lastClosed.endMs < PHASE_SPLIT_MS ? this.#lastClosed : undefined;
    this.#lastClosed = undefined;
    const phase: AssistantPhase = continued?.phase ?? (this.openDelegations.size > 0 ? 'commentary' : 'final');
    // A delegated task resolved after its commentary began: the answer that follows a pause is its own turn.
    if (utterance && utterance.phase !== phase && startMs - utterance.lastEndMs >= PHASE_SPLIT_MS) {
      this.#closeUtterance('completed');
      utterance = undefined;
    }
    if (!utterance) {
      utterance = { id: `live_utt_${++this.#counter}`, phase, text: '', lastEndMs: endMs, timer: undefined };
      this.#utterance = utterance;
      this.emit({ name: 'assistant:start', payload: { responseId: utterance.id, phase } });
      this.emit({ name: 'audio:start', payload: { responseId: utterance.id } });
    }
    utterance.text += delta;
    utterance.lastEndMs = Math.max(utterance.lastEndMs, endMs);
    this.emit({ name: 'assistant:delta', payload: { responseId: utterance.id, delta } });
    clearTimeout(utterance.timer);
    const current = utterance;
    utterance.timer = setTimeout(() => {
      if (this.#utterance !== current) return;
      this.#closeUtterance('completed');
      this.#lastClosed = { endMs: current.lastEndMs, phase: current.phase };
    }, Math.max(0, endMs - startMs) + this.timing.utteranceGapMs);
  }

  #closeUtterance(status: 'completed' | 'cancelled', audioReason: 'stopped' | 'interrupted' | 'disconnected' = status === 'completed' ? 'stopped' : 'interrupted'): void {
    const utterance = this.#utterance;
    if (!utterance) return;
    this.#utterance = undefined;
    clearTimeout(utterance.timer);
    this.emit({ name: 'audio:end', payload: { responseId: utterance.id, reason: audioReason } });
    this.emit({ name: 'assistant:done', payload: { responseId: utterance.id, text: utterance.text, status } });
  }

  #suppress(ms: number): void {
    clearTimeout(this.#suppressed);
    this.#suppressed = setTimeout(() => this.#endSuppression(), Math.max(0, ms));
  }

  #endSuppression(): void {
    clearTimeout(this.#suppressed);
    this.#suppressed = undefined;
    this.onSuppressionEnd();
  }

  #inputDelta(event: LiveServerEvent): void {
    const delta = typeof event.delta === 'string' ? event.delta : '';
    // The user speaks: whatever the assistant was saying is over as a turn.
    if (this.#utterance) this.#closeUtterance('completed');
    this.#lastClosed = undefined;
    if (!this.#user) {
      this.#user = { id: `live_in_${++this.#counter}`, text: '', timer: undefined };
      this.emit({ name: 'user:speech-start', payload: { itemId: this.#user.id } });
    }
    const user = this.#user;
    user.text += delta;
    this.emit({ name: 'user:transcript', payload: { itemId: user.id, text: user.text, final: false } });
    clearTimeout(user.timer);
    user.timer = setTimeout(() => {
      if (this.#user === user) this.#finishUser();
    }, this.timing.userGapMs);
  }

  #finishUser(): void {
    const user = this.#user;
    if (!user) return;
    this.#user = undefined;
    clearTimeout(user.timer);
    this.emit({ name: 'user:transcript', payload: { itemId: user.id, text: user.text.trim(), final: true } });
  }

  #delegation(event: LiveServerEvent): void {
    const delegation = typeof event.delegation === 'object' && event.delegation !== null ? (event.delegation as Record<string, unknown>) : {};
    const id = typeof delegation.id === 'string' ? delegation.id : undefined;
    const target = delegation.target === 'client' || delegation.target === 'responses' || delegation.target === 'decisions' ? delegation.target : undefined;
    if (!id || !target) return;
    this.#finishUser();
    this.openDelegations.set(id, target);
    if (target === 'client') this.clientDelegations.add(id);
    const responseId = typeof delegation.response_id === 'string' ? delegation.response_id : undefined;
    this.emit({ name: 'delegation', payload: { delegationId: id, target, ...(responseId ? { responseId } : {}) } });
  }

  #nestedEvent(event: LiveServerEvent): void {
    const nested = typeof event.event === 'object' && event.event !== null ? (event.event as Record<string, unknown>) : undefined;
    if (!nested || typeof nested.type !== 'string') return;
    const key = typeof event.delegation_id === 'string' ? event.delegation_id : '';
    const response = typeof nested.response === 'object' && nested.response !== null ? (nested.response as Record<string, unknown>) : undefined;
    switch (nested.type) {
      case 'response.created':
        if (typeof response?.id === 'string') this.#nested.set(key, { id: response.id, calls: [] });
        return;
      case 'response.output_item.done': {
        const item = typeof nested.item === 'object' && nested.item !== null ? (nested.item as Record<string, unknown>) : {};
        const current = this.#nested.get(key);
        if (current && item.type === 'function_call' && typeof item.call_id === 'string' && typeof item.name === 'string') {
          current.calls.push({ callId: item.call_id, name: item.name, arguments: typeof item.arguments === 'string' ? item.arguments : '' });
        }
        return;
      }
      case 'response.completed':
      case 'response.incomplete':
      case 'response.failed': {
        const current = this.#nested.get(key);
        this.#nested.delete(key);
        // The Responses usage has the Realtime's token names: the shared mapper reads it.
        const usage = mapUsage(response?.usage);
        if (usage) this.emit({ name: 'usage', payload: { ...(typeof response?.id === 'string' ? { responseId: response.id } : {}), usage } });
        // Emitted together, without a response id: the manager sends their results after the last
        // settles and asks for one continuation (response.create) then.
        for (const call of current?.calls ?? []) this.emit({ name: 'tool:call', payload: call });
        if (!current?.calls.length && key) this.openDelegations.delete(key);
        return;
      }
      default:
        return;
    }
  }

  #usage(event: LiveServerEvent): void {
    const usage = typeof event.usage === 'object' && event.usage !== null ? (event.usage as Record<string, unknown>) : undefined;
    if (!usage || typeof usage.seconds !== 'number') return;
    const window = typeof event.context_window === 'object' && event.context_window !== null ? (event.context_window as Record<string, unknown>) : undefined;
    const ratio = typeof window?.usage_ratio === 'number' ? { contextUsageRatio: window.usage_ratio } : {};
    this.emit({ name: 'usage', payload: { usage: { seconds: usage.seconds, ...ratio } } });
  }
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
