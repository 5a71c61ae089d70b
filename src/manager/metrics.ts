/**
 * Latency and cost, measured in the kit. A turn starts when the user's part ends: a typed message
 * or an image sent, the provider deciding the user stopped speaking (server VAD's
 * `input_audio_buffer.speech_stopped`, which comes after its silence window), push-to-talk released,
 * or tool results sent back. The next response the provider starts belongs to it; from the turn's
 * start the recorder measures the first assistant audio the user can hear (WebRTC:
 * `output_audio_buffer.started`; WebSocket: playback starting), the first text, and the end
 * (`response.done`), with the response's tokens by kind and an estimated cost. Connects are timed
 * too: the start, each reconnect, each rollover (with the gap the switch made).
 *
 * It follows the manager's own published events (a state tap), so it measures what the page sees.
 */
import type { StateStore } from './state-store.js';
import type { RealtimeUsage } from './session-config.js';
import { ZERO_TOKENS, type RealtimePriceTable, type RealtimeTokenCounts } from './prices.js';
import { addTokens, estimateCost, tokenCounts } from './token-costs.js';

/** What ended the user's part of a turn; `provider` when the provider answered on its own (a greeting, an idle timeout). */
export type RealtimeTurnTrigger = 'text' | 'image' | 'speech' | 'push-to-talk' | 'tool-result' | 'provider';

/** One turn's measurements. Times are milliseconds from the turn's start (on the manager's clock). */
export interface RealtimeTurnMetrics {
  responseId: string;
  trigger: RealtimeTurnTrigger;
  /** When the turn started, on the manager's clock (`performance.now()` by default); absent for `provider`. */
  startedAt?: number;
  /** To the first assistant audio the user can hear; absent without audio (text replies, cut before it played). */
  firstAudioMs?: number;
  /** To the first assistant text (transcript of the speech, or text). */
  firstTextMs?: number;
  /** To the response's end. */
  doneMs?: number;
  /** How the response ended. */
  status: string;
  /** Tokens of this response, by kind (from the provider's usage), when it reported them. */
  tokens?: RealtimeTokenCounts;
  /** Estimated cost in USD, when prices are set for the session's model. */
  costUsd?: number;
  /** The model whose prices applied. */
  model?: string;
}

/** One connect's duration: `ms` from asking to a configured session; for a rollover, `gapMs` is how long actions waited. */
export interface RealtimeConnectMetrics {
  reason: 'start' | 'reconnect' | 'rollover';
  ms: number;
  gapMs?: number;
}

/** A session's measurements so far. */
export interface RealtimeMetrics {
  sessionId: string | null;
  /** Connects, oldest first (the last 20). */
  connects: readonly RealtimeConnectMetrics[];
  /** Finished turns, oldest first (the last `metricsTurns`, default 50). */
  turns: readonly RealtimeTurnMetrics[];
  /** The newest finished turn. */
  last: RealtimeTurnMetrics | null;
  /** Over every turn of the session (not only those kept). */
  totals: { turns: number; tokens: RealtimeTokenCounts; costUsd?: number };
}

interface OpenTurn {
  trigger: RealtimeTurnTrigger;
  startedAt: number | undefined;
  firstAudio?: number;
  firstText?: number;
  tokens?: RealtimeTokenCounts;
}

const MAX_CONNECTS = 20;
/** Responses tracked at once (a provider that never finishes them cannot grow memory). */
const MAX_OPEN = 32;

export class MetricsRecorder {
  #sessionId: string | null = null;
  #pending: { trigger: RealtimeTurnTrigger; at: number } | null = null;
  #open = new Map<string, OpenTurn>();
  #turns: RealtimeTurnMetrics[] = [];
  #connects: RealtimeConnectMetrics[] = [];
  #count = 0;
  #tokens: RealtimeTokenCounts = ZERO_TOKENS;
  #cost: number | undefined;
  #snapshot: RealtimeMetrics | null = null;

  constructor(
    private readonly state: StateStore,
    private readonly now: () => number,
    private readonly maxTurns: number,
    private prices: RealtimePriceTable | null,
  ) {
    state.tap((event, payload) => this.#observe(event, payload as Record<string, unknown>));
  }

  setPrices(prices: RealtimePriceTable | null): void {
    this.prices = prices;
  }

  /** A new session: everything starts over. */
  reset(sessionId: string): void {
    this.#sessionId = sessionId;
    this.#pending = null;
    this.#open.clear();
    this.#turns = [];
    this.#connects = [];
    this.#count = 0;
    this.#tokens = ZERO_TOKENS;
    this.#cost = undefined;
    this.#snapshot = null;
  }

  /** The user's part of a turn ended now (the newest end counts when several come before a reply). */
  turnEnded(trigger: RealtimeTurnTrigger): void {
    this.#pending = { trigger, at: this.now() };
  }

  /** A turn end that never reached the provider (the send failed). */
  cancelPending(): void {
    this.#pending = null;
  }

  /** A connect finished: `startedAt` on the same clock. */
  connected(reason: RealtimeConnectMetrics['reason'], startedAt: number, gapMs?: number): void {
    const connect: RealtimeConnectMetrics = Object.freeze({ reason, ms: round(this.now() - startedAt), ...(gapMs !== undefined ? { gapMs: round(gapMs) } : {}) });
    this.#connects.push(connect);
    if (this.#connects.length > MAX_CONNECTS) this.#connects.shift();
    this.#publish({ connect });
  }

  snapshot(): RealtimeMetrics {
    this.#snapshot ??= Object.freeze({
      sessionId: this.#sessionId,
      connects: Object.freeze([...this.#connects]),
      turns: Object.freeze([...this.#turns]),
      last: this.#turns.at(-1) ?? null,
      totals: Object.freeze({ turns: this.#count, tokens: this.#tokens, ...(this.#cost !== undefined ? { costUsd: this.#cost } : {}) }),
    });
    return this.#snapshot;
  }

  #observe(event: string, payload: Record<string, unknown>): void {
    const responseId = typeof payload?.responseId === 'string' ? payload.responseId : undefined;
    switch (event) {
      case 'realtime:assistant:start':
        if (responseId) this.#start(responseId);
        return;
      case 'realtime:assistant:delta':
        this.#turn(responseId, (turn) => (turn.firstText ??= this.now()));
        return;
      case 'tts:audio:start':
        this.#turn(responseId, (turn) => (turn.firstAudio ??= this.now()));
        return;
      case 'realtime:usage':
        this.#turn(responseId, (turn) => (turn.tokens = tokenCounts(payload.usage as RealtimeUsage)));
        return;
      case 'realtime:assistant:done':
        if (responseId) this.#done(responseId, typeof payload.status === 'string' ? payload.status : 'completed');
        return;
      default:
    }
  }

  #start(responseId: string): void {
    if (this.#open.has(responseId)) return;
    const pending = this.#pending;
    this.#pending = null;
    this.#open.set(responseId, { trigger: pending?.trigger ?? 'provider', startedAt: pending?.at });
    while (this.#open.size > MAX_OPEN) this.#open.delete(this.#open.keys().next().value!);
  }

  /** Applies `change` to the turn of `responseId`, or to the newest open one when the event names none. */
  #turn(responseId: string | undefined, change: (turn: OpenTurn) => void): void {
    const turn = responseId !== undefined ? this.#open.get(responseId) : [...this.#open.values()].at(-1);
    if (turn) change(turn);
  }

  #done(responseId: string, status: string): void {
    const open = this.#open.get(responseId);
    if (!open) return;
    this.#open.delete(responseId);
    const end = this.now();
    const since = (at: number | undefined) => (open.startedAt !== undefined && at !== undefined ? round(at - open.startedAt) : undefined);
    const model = this.#model();
    const costUsd = open.tokens ? estimateCost(open.tokens, this.prices, model) : undefined;
    const turn: RealtimeTurnMetrics = Object.freeze({
      responseId,
      trigger: open.trigger,
      ...(open.startedAt !== undefined ? { startedAt: open.startedAt } : {}),
      ...defined('firstAudioMs', since(open.firstAudio)),
      ...defined('firstTextMs', since(open.firstText)),
      ...defined('doneMs', since(end)),
      status,
      ...(open.tokens ? { tokens: open.tokens } : {}),
      ...defined('costUsd', costUsd),
      ...(costUsd !== undefined && model ? { model } : {}),
    });
    this.#turns.push(turn);
    if (this.#turns.length > this.maxTurns) this.#turns.shift();
    this.#count += 1;
    if (open.tokens) this.#tokens = addTokens(this.#tokens, open.tokens);
    if (costUsd !== undefined) this.#cost = (this.#cost ?? 0) + costUsd;
    this.#publish({ turn });
  }

  #model(): string | undefined {
    const model = this.state.current.session.config?.model;
    return typeof model === 'string' ? model : undefined;
  }

  #publish(extra: { turn?: RealtimeTurnMetrics; connect?: RealtimeConnectMetrics }): void {
    this.#snapshot = null;
    if (this.#sessionId === null) return;
    this.state.emit('realtime:metrics', { sessionId: this.#sessionId, metrics: this.snapshot(), ...extra });
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function defined<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
