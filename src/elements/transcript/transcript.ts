import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, query } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { SessionConsumerController } from '../../controllers/session-consumer-controller.js';
import type { CharivoSession } from '../session-context.js';
import { checkIdReference, checkInteger, checkString, rejectInvalidInputs, type InputRules } from '../shared/input-errors.js';
import { ScrollFollow } from './scroll-follow.js';
import { TranscriptModel, type AssistantTurn, type FinalTurn, type ToolTurn, type TranscriptTurn, type UserTurn } from './transcript-model.js';
import { transcriptStyles } from './transcript.styles.js';
import { visuallyHiddenStyles } from '../shared/visually-hidden.styles.js';

const BADGES: Record<string, string> = {
  interrupted: 'Interrupted',
  cancelled: 'Interrupted',
  incomplete: 'Incomplete',
  failed: 'Failed',
};
/** Announcements kept in the live region (each is its own node, so repeats are still read). */
const ANNOUNCEMENTS_KEPT = 3;
/** The most turns `max-turns` may keep. */
const MAX_TURNS_LIMIT = 100_000;

const INPUTS: InputRules = {
  label: { check: checkString('label', { nonEmpty: true }), initial: 'Conversation', attribute: 'label', nullResets: true },
  for: { check: checkIdReference('for'), initial: null, attribute: 'for' },
  maxTurns: { check: checkInteger('max-turns', 1, MAX_TURNS_LIMIT), initial: 200, attribute: 'max-turns', kind: 'number', nullResets: true },
  userLabel: { check: checkString('user-label'), initial: 'You', attribute: 'user-label', nullResets: true },
  assistantLabel: { check: checkString('assistant-label'), initial: 'Assistant', attribute: 'assistant-label', nullResets: true },
  commentaryLabel: { check: checkString('commentary-label'), initial: 'Working on it', attribute: 'commentary-label', nullResets: true },
};

/** A turn's text node, the text it will hold, and the streamed text not yet appended to it. */
interface ShownText {
  node: Text;
  text: string;
  waiting: string;
}

/**
 * A live transcript of a session: the user's speech, the assistant's replies as they stream, tool calls,
 * and interruptions. Finished turns are announced through a polite live region; the visible log stays
 * quiet (`aria-live="off"`) so screen readers do not read every delta. The log follows new text until the
 * reader scrolls up (wheel, touch, keyboard, or dragging the scrollbar; never because text streamed in
 * faster than it scrolled), and follows again once they scroll back to the end or choose "Jump to latest".
 *
 * @summary Conversation transcript bound to a `<charivo-realtime>` session.
 * @tag charivo-transcript
 *
 * @slot empty - Shown while there are no turns (default: "No messages yet.").
 *
 * @fires {CharivoEvent} charivo-error - An invalid attribute or property value (detail: code, message, source); the previous value is kept.
 *
 * @csspart log - The scrolling `role="log"` container.
 * @csspart empty - The wrapper of the empty state.
 * @csspart turn - Every turn; also `user`, `assistant` or `tool`, plus `partial` while streaming,
 *   `interrupted` / `incomplete` / `failed` for assistant turns that did not complete, and (GPT-Live)
 *   `commentary` for what the assistant says while a delegated task runs, as opposed to its answer.
 * @csspart phase - The "Working on it" marker of a commentary turn (GPT-Live).
 * @csspart speaker - The speaker's name in a turn.
 * @csspart text - The text of a turn.
 * @csspart badge - The "Interrupted" (etc.) marker.
 * @csspart tool-name - A tool call's name.
 * @csspart tool-args - A tool call's shortened arguments.
 * @csspart tool-status - ✓ / ✗ code / … of a tool call.
 * @csspart jump - The "Jump to latest" button shown while scrolled up and new turns arrived.
 * @csspart announcer - The visually hidden live region.
 *
 * @cssprop [--charivo-transcript-background=#ffffff] - Background (dark #18181b).
 * @cssprop [--charivo-transcript-color=#18181b] - Text (dark #f4f4f5).
 * @cssprop [--charivo-transcript-muted-color=#52525b] - Speaker names, badges, tool calls (dark #a1a1aa).
 * @cssprop [--charivo-transcript-user-background=#dbeafe] - User turns (dark #172554).
 * @cssprop [--charivo-transcript-assistant-background=#f4f4f5] - Assistant turns (dark #27272a).
 * @cssprop [--charivo-transcript-commentary-background=transparent] - Assistant commentary while a delegated task runs (GPT-Live).
 * @cssprop [--charivo-transcript-tool-background=transparent] - Tool call rows.
 * @cssprop [--charivo-transcript-success-color=#15803d] - ✓ (dark #4ade80).
 * @cssprop [--charivo-transcript-error-color=#b91c1c] - ✗ (dark #f87171).
 * @cssprop [--charivo-transcript-accent-color=#1d4ed8] - Focus ring (dark #93c5fd).
 * @cssprop [--charivo-transcript-max-height=none] - Cap of the log's height (or size the host).
 * @cssprop [--charivo-transcript-gap=0.5rem] - Space between turns.
 * @cssprop [--charivo-transcript-padding=0.75rem] - Padding of the log.
 * @cssprop [--charivo-transcript-radius=0.75rem] - Corner radius of a turn.
 * @cssprop [--charivo-transcript-font=inherit] - Font shorthand.
 * @cssprop [--charivo-transcript-code-font=ui-monospace, monospace] - Font of tool calls.
 */
export class CharivoTranscript extends LitElement {
  static override styles = [visuallyHiddenStyles, transcriptStyles];

  /** Accessible name of the log (not empty). */
  @property() label = 'Conversation';
  /** Id of an element (in the same root) whose `.session` to use instead of the nearest `<charivo-realtime>`. */
  @property({ reflect: true }) for: string | null = null;
  /** Oldest turns beyond this many are dropped: an integer from 1 to 100000. */
  @property({ type: Number, attribute: 'max-turns' }) maxTurns = 200;
  /** Name shown (and announced) for the user's turns. */
  @property({ attribute: 'user-label' }) userLabel = 'You';
  /** Name shown (and announced) for the assistant's turns. */
  @property({ attribute: 'assistant-label' }) assistantLabel = 'Assistant';
  /** Marker of what the assistant says while a delegated task runs (GPT-Live), beside its name. */
  @property({ attribute: 'commentary-label' }) commentaryLabel = 'Working on it';

  @query('.log') private readonly _log!: HTMLElement | null;

  readonly #model = new TranscriptModel();
  #announcements: Array<{ id: number; text: string }> = [];
  #announced = 0;
  readonly #follow = new ScrollFollow(
    () => this._log,
    (following) => {
      if (following) this.#unseen = false;
      this.requestUpdate();
    },
  );
  #frame = 0;
  #unseen = false;
  /**
   * The text node of each turn shown, the text it will hold, and the streamed text not yet in it. A
   * streaming delta is appended to its node (`appendData`), without a render: rewriting the whole text
   * of a long reply on every delta made the browser lay it out whole each time (measured: 25× a
   * transcript that appends). The deltas of a frame are appended together, at that frame (or at a
   * render before it): each `appendData` copies the node's whole text, and the first one after a
   * layout also re-reads all of it, so one call per delta made a long reply cost O(n²) (measured:
   * 10,000 deltas of one reply, 10 per task, went from 9,990 calls to 7 and from 10× the minimal
   * transcript's main-thread time to about 1.2×).
   */
  #texts = new Map<string, ShownText>();
  /** Entries of {@link #texts} with streamed text waiting for the next frame. */
  #waiting = new Set<ShownText>();
  #unsubscribe: Array<() => void> = [];

  // select is constant: state changes never re-render the transcript, only manager events do.
  readonly #session = new SessionConsumerController<null>(this, {
    select: () => null,
    onSessionChange: (session) => this.#listen(session),
  });

  /** The turns shown, oldest first (a read-only snapshot; a new array after each change). */
  get turns(): readonly TranscriptTurn[] {
    return this.#model.turns;
  }

  /** Whether the log scrolls to new text (false while the reader has scrolled up). */
  get following(): boolean {
    return this.#follow.following;
  }

  /** Removes every turn and pending announcement. */
  clear(): void {
    this.#model.clear();
    this.#announcements = [];
    this.#unseen = false;
    this.#follow.resume();
    this.requestUpdate();
  }

  /** Scrolls to the newest turn and resumes following. */
  scrollToEnd(): void {
    this.#follow.resume();
    this.#unseen = false;
    this.requestUpdate();
  }

  #listen(session: CharivoSession | undefined): void {
    for (const off of this.#unsubscribe) off();
    this.#unsubscribe = [];
    if (!session) return;
    const m = session.manager;
    this.#unsubscribe = [
      m.on('realtime:user:transcript', (p) => this.#changed(this.#model.user(p))),
      // Typed turns have no transcript: they arrive once sent.
      m.on('realtime:user:message', ({ sessionId, text }) => this.#changed(this.#model.user({ sessionId, text, final: true }))),
      m.on('realtime:assistant:delta', (p) => this.#delta(this.#model.assistantDelta(p), p.delta)),
      m.on('realtime:assistant:done', (p) => this.#changed(this.#model.assistantDone(p))),
      m.on('realtime:tool:call', (p) => this.#changed(this.#model.toolCall(p))),
      m.on('realtime:tool:result', (p) => this.#changed(this.#model.toolResult(p))),
      m.on('realtime:tool:error', (p) => this.#changed(this.#model.toolError(p))),
    ];
  }

  #changed(final?: FinalTurn | void): void {
    if (final) {
      const name =
        final.kind === 'user' ? this.userLabel : final.phase === 'commentary' ? `${this.assistantLabel} (${this.commentaryLabel.toLowerCase()})` : this.assistantLabel;
      const note = final.kind === 'assistant' && BADGES[final.status] ? ` (${BADGES[final.status]!.toLowerCase()})` : '';
      this.#announcements = [...this.#announcements, { id: ++this.#announced, text: `${name}${note}: ${final.text}` }].slice(
        -ANNOUNCEMENTS_KEPT,
      );
    }
    if (!this.#follow.following) this.#unseen = true;
    this.requestUpdate();
  }

  /** A delta: appended to the shown text when it only extended it, else a render. */
  #delta(appendedTo: AssistantTurn | undefined, delta: string): void {
    const shown = appendedTo && this.#texts.get(appendedTo.key);
    if (!shown) return this.#changed();
    shown.waiting += delta;
    shown.text = appendedTo.text;
    this.#waiting.add(shown);
    this.#frameSoon();
    if (!this.#follow.following && !this.#unseen) this.#changed();
  }

  /** Puts the streamed text that waits into its node. */
  #appendWaiting(shown: ShownText): void {
    if (shown.waiting) shown.node.appendData(shown.waiting);
    shown.waiting = '';
    this.#waiting.delete(shown);
  }

  /** The text node of a turn, brought up to date (appending when the text only grew). */
  #textOf(turn: UserTurn | AssistantTurn): Text {
    const shown = this.#texts.get(turn.key);
    if (!shown) {
      const node = document.createTextNode(turn.text);
      this.#texts.set(turn.key, { node, text: turn.text, waiting: '' });
      return node;
    }
    this.#appendWaiting(shown);
    if (shown.text !== turn.text) {
      if (turn.text.length > shown.text.length && turn.text.startsWith(shown.text)) shown.node.appendData(turn.text.slice(shown.text.length));
      else shown.node.data = turn.text;
      shown.text = turn.text;
    }
    return shown.node;
  }

  /**
   * Next frame: the streamed text that waits goes into its nodes, and the log scrolls to the end while
   * it follows (once per frame: reading scrollHeight forces a layout).
   */
  #frameSoon(): void {
    if (this.#frame) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      for (const shown of [...this.#waiting]) this.#appendWaiting(shown);
      const log = this._log;
      if (log && this.#follow.following) log.scrollTop = log.scrollHeight;
    });
  }

  #jump = (): void => {
    this.scrollToEnd();
    // The button disappears; keep keyboard focus in the transcript.
    this._log?.focus();
  };

  protected override willUpdate(changed: PropertyValues<this>): void {
    rejectInvalidInputs(this, changed, INPUTS);
    if (changed.has('maxTurns')) {
      this.#model.maxTurns = this.maxTurns;
      this.#model.trim();
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('for')) this.#session.refresh();
    if (this.#follow.following) this.#frameSoon();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#listen(undefined);
  }

  protected override render() {
    const turns = this.#model.turns;
    const follow = this.#follow;
    // The finished turns up to the first one still changing go in a contained box of their own: a
    // streaming reply then lays out beside one box, not beside every turn (measured: ½ the layout time
    // of 200 turns of history at 30 deltas/s).
    let settled = 0;
    while (settled < turns.length && turns[settled]!.final) settled += 1;
    // Forget the text nodes of turns that left (trimmed, cleared, dropped).
    const keys = new Set(turns.map((turn) => turn.key));
    for (const [key, shown] of this.#texts) {
      if (keys.has(key)) continue;
      this.#texts.delete(key);
      this.#waiting.delete(shown);
    }
    return html`
      <div part="log" class="log" role="log" aria-live="off" aria-label=${this.label} tabindex="0"
        @scroll=${follow.onScroll} @wheel=${follow.onWheel} @keydown=${follow.onKeyDown}
        @touchstart=${follow.onTouchStart} @touchmove=${follow.onTouchMove} @pointerdown=${follow.onPointerDown}>
        ${turns.length === 0
          ? html`<div part="empty" class="empty"><slot name="empty">No messages yet.</slot></div>`
          : html`<div class="history">${repeat(turns.slice(0, settled), (turn) => turn.key, (turn) => this.#renderTurn(turn))}</div>${repeat(
              turns.slice(settled),
              (turn) => turn.key,
              (turn) => this.#renderTurn(turn),
            )}`}
      </div>
      ${this.#unseen
        ? html`<button part="jump" class="jump" type="button" @click=${this.#jump}>Jump to latest</button>`
        : nothing}
      <div part="announcer" class="visually-hidden" aria-live="polite">
        ${repeat(this.#announcements, (a) => a.id, (a) => html`<p>${a.text}</p>`)}
      </div>
    `;
  }

  #renderTurn(turn: TranscriptTurn) {
    if (turn.kind === 'tool') return this.#renderTool(turn);
    const badge = turn.kind === 'assistant' ? BADGES[turn.status] : undefined;
    const commentary = turn.kind === 'assistant' && turn.phase === 'commentary';
    const mark = (!turn.final ? ' partial' : badge && turn.kind === 'assistant' ? ` ${turn.status}` : '') + (commentary ? ' commentary' : '');
    return html`<div part="turn ${turn.kind}${mark}" class="turn ${turn.kind}${mark}">
      <span part="speaker" class="speaker">${turn.kind === 'user' ? this.userLabel : this.assistantLabel}${commentary
          ? html` <span part="phase" class="phase">· ${this.commentaryLabel}</span>`
          : nothing}</span>
      <p part="text" class="text">${this.#textOf(turn)}</p>
      ${badge ? html`<span part="badge" class="badge">${badge}</span>` : nothing}
    </div>`;
  }

  #renderTool(turn: ToolTurn) {
    const status =
      turn.status === 'running'
        ? html`<span aria-hidden="true">…</span><span class="visually-hidden">running</span>`
        : turn.status === 'succeeded'
          ? html`<span aria-hidden="true">✓</span><span class="visually-hidden">succeeded</span>`
          : html`<span aria-hidden="true">✗</span><span class="visually-hidden">failed:</span> ${turn.code}`;
    return html`<div part="turn tool ${turn.status}" class="turn tool ${turn.status}">
      <span class="visually-hidden">Tool call</span>
      <code part="tool-name" class="tool-name">${turn.name}</code>
      <code part="tool-args" class="tool-args" title=${turn.args}>${turn.args}</code>
      <span part="tool-status" class="tool-status" title=${turn.error ?? ''}>${status}</span>
    </div>`;
  }
}
