/**
 * The conversation kept for replay after a reconnect: finished turns, oldest first, bounded in turns
 * and in characters so a long session neither grows without limit nor replays more than a model's
 * context could use. The newest turns are kept.
 */
import type { ConversationTurn } from '../transports/types.js';
import type { HistoryOptions } from './types.js';

/** Bounds applied when {@link HistoryOptions} leaves them out. */
export const DEFAULT_HISTORY_LIMITS: Readonly<Required<HistoryOptions>> = Object.freeze({ maxTurns: 100, maxChars: 32_000 });

export class ConversationHistory {
  #turns: ConversationTurn[] = [];
  #chars = 0;

  constructor(private readonly limits: Required<HistoryOptions>) {}

  /** Adds a finished turn; returns what is kept (its text may be cut to fit the character cap). */
  push(turn: ConversationTurn): ConversationTurn {
    const kept = Object.freeze({ ...turn });
    this.#turns.push(kept);
    this.#chars += kept.text.length;
    this.#trim();
    return kept;
  }

  /** Takes back a turn that never reached the provider (a send that failed). */
  remove(turn: ConversationTurn): void {
    const index = this.#turns.indexOf(turn);
    if (index < 0) return;
    this.#turns.splice(index, 1);
    this.#chars -= turn.text.length;
  }

  clear(): void {
    this.#turns = [];
    this.#chars = 0;
  }

  /** A copy of the kept turns, oldest first. */
  snapshot(): ConversationTurn[] {
    return [...this.#turns];
  }

  #trim(): void {
    const { maxTurns, maxChars } = this.limits;
    while (this.#turns.length > maxTurns || (this.#chars > maxChars && this.#turns.length > 1)) {
      this.#chars -= this.#turns.shift()!.text.length;
    }
    const [only] = this.#turns;
    if (only && this.#chars > maxChars) {
      const text = tail(only.text, maxChars);
      this.#turns = text ? [Object.freeze({ ...only, text })] : [];
      this.#chars = text.length;
    }
  }
}

/** The end of `text` within `max` characters, starting at a word when one starts inside it. */
function tail(text: string, max: number): string {
  const cut = text.slice(text.length - max);
  const space = cut.indexOf(' ');
  return space >= 0 && space < cut.length - 1 ? cut.slice(space + 1) : cut;
}
