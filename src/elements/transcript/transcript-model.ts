/**
 * The transcript as data: turns built from the manager's events, kept as immutable snapshots so the
 * element can hand `turns` out and key its rendering on them. No DOM here.
 */
import type { RealtimeManagerEventMap, ToolErrorCode } from '../../manager/types.js';

/** How an assistant turn ended (`streaming` while deltas arrive). */
export type AssistantTurnStatus = 'streaming' | 'completed' | 'interrupted' | 'cancelled' | 'incomplete' | 'failed';

/** Something the user said (from the transcription of their speech). */
export interface UserTurn {
  readonly kind: 'user';
  readonly key: string;
  readonly text: string;
  /** False while the transcription is partial. */
  readonly final: boolean;
}

/** One assistant response's text. */
export interface AssistantTurn {
  readonly kind: 'assistant';
  readonly key: string;
  readonly responseId: string;
  readonly text: string;
  readonly final: boolean;
  readonly status: AssistantTurnStatus;
  /**
   * GPT-Live: `commentary` for what the assistant says while a delegated task runs (an
   * acknowledgement, progress), `final` for its answer. Absent on providers without delegation.
   */
  readonly phase?: 'commentary' | 'final';
}

/** A tool call the model made, and how it went. */
export interface ToolTurn {
  readonly kind: 'tool';
  readonly key: string;
  readonly callId: string;
  readonly name: string;
  /** The arguments as short JSON text (truncated). */
  readonly args: string;
  readonly final: boolean;
  readonly status: 'running' | 'succeeded' | 'failed';
  readonly code?: ToolErrorCode;
  readonly error?: string;
}

export type TranscriptTurn = UserTurn | AssistantTurn | ToolTurn;

/** A turn that just became final, for the live region. */
export type FinalTurn = UserTurn | AssistantTurn;

const ARGS_MAX = 60;

/** Short, single-line JSON of tool arguments; never throws. */
export function summarizeArgs(args: unknown, max = ARGS_MAX): string {
  let text: string;
  try {
    text = typeof args === 'string' ? args : (JSON.stringify(args) ?? '');
  } catch {
    text = String(args);
  }
  text = text.replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export class TranscriptModel {
  /** Changed in place (a delta replaces one turn); {@link turns} copies it once per change, when read. */
  #turns: TranscriptTurn[] = [];
  #snapshot: readonly TranscriptTurn[] | undefined;
  #userCounter = 0;

  constructor(public maxTurns = 200) {}

  /** The turns, oldest first: a new array after each change. */
  get turns(): readonly TranscriptTurn[] {
    return (this.#snapshot ??= [...this.#turns]);
  }

  clear(): void {
    this.#turns = [];
    this.#snapshot = undefined;
  }

  /** Drops the oldest turns beyond `maxTurns`. */
  trim(): void {
    const max = Math.max(1, Math.floor(this.maxTurns) || 1);
    if (this.#turns.length > max) {
      this.#turns.splice(0, this.#turns.length - max);
      this.#snapshot = undefined;
    }
  }

  /** Applies a user transcript; returns the turn when it just became final with text. */
  user(payload: RealtimeManagerEventMap['realtime:user:transcript']): FinalTurn | undefined {
    const index = payload.itemId
      ? this.#find(`user:${payload.itemId}`)
      : this.#findLast((turn) => turn.kind === 'user' && !turn.final);
    const existing = index >= 0 ? (this.#turns[index] as UserTurn) : undefined;
    if (existing?.final && !payload.final) return undefined;
    if (payload.final && !payload.text.trim()) {
      // Noise transcribed as nothing: drop the partial rather than keep an empty bubble.
      if (index >= 0) this.#remove(index);
      return undefined;
    }
    const key = existing?.key ?? (payload.itemId ? `user:${payload.itemId}` : `user:#${++this.#userCounter}`);
    const turn: UserTurn = { kind: 'user', key, text: payload.text, final: payload.final };
    this.#put(index, turn);
    return payload.final && !existing?.final ? turn : undefined;
  }

  /**
   * Applies a streaming delta. Returns the turn when the delta only extended its text (what the DOM
   * shows can then grow by the delta alone), `undefined` otherwise (a new turn, a final one, a rewrite).
   */
  assistantDelta(payload: RealtimeManagerEventMap['realtime:assistant:delta']): AssistantTurn | undefined {
    const index = this.#find(`assistant:${payload.responseId}`);
    const previous = index >= 0 ? (this.#turns[index] as AssistantTurn) : undefined;
    if (previous?.final) return undefined;
    const turn: AssistantTurn = {
      kind: 'assistant',
      key: `assistant:${payload.responseId}`,
      responseId: payload.responseId,
      text: payload.text,
      final: false,
      status: 'streaming',
      ...(payload.phase ? { phase: payload.phase } : {}),
    };
    this.#put(index, turn);
    // Only the text grew, and the phase (GPT-Live) stayed: the turn's marks are unchanged. The manager
    // builds `text` as the previous text plus `delta`, so the lengths tell; reading the characters
    // (`endsWith`) made V8 flatten the growing string, copying the whole reply on every delta (measured:
    // 10,000 deltas of one reply spent more time collecting that garbage than in all the rest of the
    // script). A reply that changed otherwise is shown whole at its end (`#textOf`).
    const appended = previous !== undefined && previous.phase === turn.phase && payload.text.length === previous.text.length + payload.delta.length;
    return appended ? turn : undefined;
  }

  /** Closes an assistant turn; returns it when it has text (a tool-only response leaves no turn). */
  assistantDone(payload: RealtimeManagerEventMap['realtime:assistant:done']): FinalTurn | undefined {
    const key = `assistant:${payload.responseId}`;
    const index = this.#find(key);
    if (index >= 0 && this.#turns[index]!.final) return undefined;
    if (!payload.text.trim()) {
      if (index >= 0) this.#remove(index);
      return undefined;
    }
    const turn: AssistantTurn = {
      kind: 'assistant',
      key,
      responseId: payload.responseId,
      text: payload.text,
      final: true,
      status: payload.status,
      ...(payload.phase ? { phase: payload.phase } : {}),
    };
    this.#put(index, turn);
    return turn;
  }

  toolCall(payload: RealtimeManagerEventMap['realtime:tool:call']): void {
    const key = `tool:${payload.callId}`;
    if (this.#find(key) >= 0) return;
    const args = summarizeArgs(payload.args);
    this.#put(-1, { kind: 'tool', key, callId: payload.callId, name: payload.name, args, final: false, status: 'running' });
  }

  toolResult(payload: RealtimeManagerEventMap['realtime:tool:result']): void {
    this.#settleTool(payload.callId, { status: 'succeeded' });
  }

  toolError(payload: RealtimeManagerEventMap['realtime:tool:error']): void {
    this.#settleTool(payload.callId, { status: 'failed', code: payload.code, error: payload.error });
  }

  #settleTool(callId: string, patch: Pick<ToolTurn, 'status' | 'code' | 'error'>): void {
    const index = this.#find(`tool:${callId}`);
    if (index < 0) return;
    this.#put(index, { ...(this.#turns[index] as ToolTurn), ...patch, final: true });
  }

  #find(key: string): number {
    return this.#findLast((turn) => turn.key === key);
  }

  // Recent turns are the ones that change, so search from the end.
  #findLast(test: (turn: TranscriptTurn) => boolean): number {
    for (let i = this.#turns.length - 1; i >= 0; i -= 1) if (test(this.#turns[i]!)) return i;
    return -1;
  }

  #put(index: number, turn: TranscriptTurn): void {
    if (index >= 0) this.#turns[index] = turn;
    else this.#turns.push(turn);
    this.#snapshot = undefined;
    this.trim();
  }

  #remove(index: number): void {
    this.#turns.splice(index, 1);
    this.#snapshot = undefined;
  }
}
