import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, query } from 'lit/decorators.js';
import { SessionConsumerController } from '../../controllers/session-consumer-controller.js';
import type { CharivoSession } from '../session-context.js';
import { checkIdReference, checkString, checkWordList, rejectInvalidInputs, type InputRules } from '../shared/input-errors.js';
import { connectionLook, connectionMessage } from '../shared/connection-look.js';
import { microphoneNotice } from './microphone-notice.js';
import { PushToTalkController, talkKeyProblem } from './push-to-talk-controller.js';
import { controlsStyles } from './controls.styles.js';
import { visuallyHiddenStyles } from '../shared/visually-hidden.styles.js';

/** Names accepted by the `hide` attribute. */
export type CharivoControlName = 'start' | 'mute' | 'interrupt' | 'talk' | 'text';
const CONTROL_NAMES: readonly CharivoControlName[] = ['start', 'mute', 'interrupt', 'talk', 'text'];

const INPUTS: InputRules = {
  for: { check: checkIdReference('for'), initial: null, attribute: 'for' },
  hide: { check: checkWordList('hide', CONTROL_NAMES), initial: '', attribute: 'hide', nullResets: true },
  talkKey: { check: talkKeyProblem, initial: null, attribute: 'talk-key' },
  placeholder: { check: checkString('placeholder'), initial: 'Type a message', attribute: 'placeholder', nullResets: true },
};

// Everything the controls show, as one string: the host re-renders only when one of these changes.
function view(session: CharivoSession): string {
  const { session: s, connection, response, audioPlaying, awaitingResponse, reconnecting, pendingToolCalls } = session.state;
  return [
    s.status,
    connection,
    response.status,
    audioPlaying,
    awaitingResponse,
    reconnecting,
    pendingToolCalls > 0,
    session.muted,
    session.pushToTalk,
    connectionMessage(session.state),
    session.state.microphone,
  ].join('|');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Buttons for a session: start/stop, mute, interrupt, push-to-talk (when the session uses it) and a text
 * box. Unavailable buttons stay focusable with `aria-disabled` so focus is not lost when a state
 * changes under it. A failed action is reported in the `status` part, never as an unhandled rejection.
 * Interrupt is available whenever something is outstanding: a reply, its audio, a tool call, or a turn
 * still waiting for its reply.
 *
 * The connection is visible too: while the session recovers a lost connection the `status` part (a
 * polite live region) reads "Reconnecting…"; when there is no connection and the session stopped
 * trying (reconnecting gave up, or it could not start) it shows why, with a Retry button that starts
 * the session again.
 *
 * A session without a microphone (denied, none connected, busy) keeps running for typed messages: the
 * `mic-notice` part (a polite live region) says so and how to get it back, with a button that asks for
 * the microphone again.
 *
 * @summary Conversation controls bound to a `<charivo-realtime>` session.
 * @tag charivo-controls
 *
 * @fires {CharivoEvent} charivo-error - An invalid attribute or property value (detail: code, message, source); the previous value is kept.
 *
 * @csspart base - The row of controls.
 * @csspart button - Every button; each also has its own part: `start`, `mute`, `interrupt`, `talk`, `send`.
 * @csspart form - The message form.
 * @csspart label - The (visually hidden) label of the message box.
 * @csspart input - The message box.
 * @csspart hint - The (visually hidden) reason why Send is unavailable.
 * @csspart status - The `role="status"` line: "Reconnecting…", a lost connection, or the last failed action.
 * @csspart retry - The Retry button shown after the connection was lost for good (also a `button`).
 * @csspart mic-notice - The `role="status"` line shown while the session runs without a microphone.
 * @csspart mic-retry - The button that asks for the microphone again (also a `button`).
 *
 * @cssprop [--charivo-controls-color=#18181b] - Text (dark #f4f4f5).
 * @cssprop [--charivo-controls-button-background=#f4f4f5] - Buttons (dark #27272a).
 * @cssprop [--charivo-controls-border-color=#71717a] - Borders (dark #a1a1aa).
 * @cssprop [--charivo-controls-accent-color=#1d4ed8] - Start and a held talk button (dark #93c5fd).
 * @cssprop [--charivo-controls-on-accent-color=#ffffff] - Text on the accent (dark #172554).
 * @cssprop [--charivo-controls-danger-color=#b91c1c] - Stop, muted, errors (dark #fca5a5).
 * @cssprop [--charivo-controls-focus-ring-color=#1d4ed8] - Focus ring (dark #93c5fd).
 * @cssprop [--charivo-controls-input-background=#ffffff] - Message box (dark #18181b).
 * @cssprop [--charivo-controls-gap=0.5rem] - Space between controls.
 * @cssprop [--charivo-controls-radius=0.5rem] - Corner radius.
 * @cssprop [--charivo-controls-font=inherit] - Font shorthand.
 */
export class CharivoControls extends LitElement {
  static override styles = [visuallyHiddenStyles, controlsStyles];

  /** Id of an element (in the same root) whose `.session` to use instead of the nearest `<charivo-realtime>`. */
  @property({ reflect: true }) for: string | null = null;
  /** Space-separated controls to leave out: `start mute interrupt talk text` (`talk-key` still works with `talk` hidden). */
  @property() hide = '';
  /** Page-wide push-to-talk key (`Space`, `KeyT`, `Enter`, `t`…; not Ctrl, Alt or Meta); ignored while typing in a text field. */
  @property({ attribute: 'talk-key' }) talkKey: string | null = null;
  /** Placeholder of the message box. */
  @property() placeholder = 'Type a message';

  @query('input') private readonly _input!: HTMLInputElement | null;

  #error = '';
  readonly #session = new SessionConsumerController<string>(this, { select: view });
  readonly #talk = new PushToTalkController(this, {
    enabled: () => this.#canTalk(),
    hotkey: () => this.talkKey,
    start: () => void this.#run('Talk', (s) => s.startTalking()),
    stop: () => void this.#run('Talk', (s) => s.stopTalking()),
  });

  /** Whether a push-to-talk hold is in progress. */
  get talking(): boolean {
    return this.#talk.talking;
  }

  /** The message of the last failed action ('' once an action succeeds). */
  get error(): string {
    return this.#error;
  }

  #live(): boolean {
    const state = this.#session.session?.state;
    return state?.session.status === 'active' && state.connection === 'connected';
  }

  #canTalk(): boolean {
    const microphone = this.#session.session?.state.microphone;
    // Nothing to say it with: a hold without a microphone would commit silence.
    const heard = microphone === 'live' || microphone === 'muted' || microphone === 'off';
    return Boolean(this.#session.session?.pushToTalk) && this.#live() && heard;
  }

  #canInterrupt(): boolean {
    const state = this.#session.session?.state;
    // Anything outstanding can be interrupted: a reply, its audio, a pending tool call, or a turn
    // waiting for its reply; otherwise the user would have only Stop to get unstuck.
    return (
      this.#live() &&
      (state!.response.status === 'responding' || state!.audioPlaying || state!.pendingToolCalls > 0 || state!.awaitingResponse)
    );
  }

  /** Why Send is unavailable, or '' when it is available. */
  #sendBlocker(): string {
    const session = this.#session.session;
    if (!session) return 'Not connected to a conversation.';
    const { session: s, connection, awaitingResponse, response } = session.state;
    if (s.status === 'starting') return 'Connecting…';
    if (s.status !== 'active') return 'Start the conversation to send a message.';
    if (connection !== 'connected') return 'Reconnecting…';
    if (awaitingResponse || response.status === 'responding' || session.state.pendingToolCalls > 0) {
      return 'Wait for the reply to finish, or interrupt it.';
    }
    return '';
  }

  async #run(name: string, action: (session: CharivoSession) => Promise<void> | void): Promise<boolean> {
    const session = this.#session.session;
    if (!session) return false;
    try {
      await action(session);
      if (this.#error) {
        this.#error = '';
        this.requestUpdate();
      }
      return true;
    } catch (error) {
      this.#error = `${name} failed: ${messageOf(error)}`;
      this.requestUpdate();
      return false;
    }
  }

  #toggle = (): void => {
    const status = this.#session.session?.state.session.status;
    if (!status || this.#session.session!.state.connection === 'disconnecting') return;
    const started = status === 'starting' || status === 'active';
    void (started ? this.#run('Stop', (s) => s.stop()) : this.#run('Start', (s) => s.start()));
  };

  /** A start is likely (the pointer or the focus reached Start): fetch its code now, not after the click. */
  #preload = (): void => {
    const session = this.#session.session;
    const status = session?.state.session.status;
    if (session && status !== 'starting' && status !== 'active') void session.preload?.();
  };

  #toggleMute = (): void => void this.#run('Mute', (s) => s.setMuted(!s.muted));

  #retry = (): void => void this.#run('Retry', (s) => s.start());

  #retryMicrophone = (): void => {
    if (!this.#live()) return;
    void this.#run('Microphone', async (s) => {
      const status = await s.retryMicrophone();
      // Said in the status line, so a retry that changed nothing is not silent.
      if (status !== 'live' && status !== 'muted') throw new Error(`still ${status === 'denied' ? 'blocked' : status === 'absent' ? 'not found' : 'unavailable'}`);
    });
  };

  #interrupt = (): void => {
    if (this.#canInterrupt()) void this.#run('Interrupt', (s) => s.interrupt());
  };

  #submit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const input = this._input;
    const text = input?.value.trim();
    if (!input || !text || this.#sendBlocker()) return;
    const sent = await this.#run('Send', (s) => s.send(text));
    // Keep what the user typed meanwhile; clear only the text that went out.
    if (sent && input.value.trim() === text) input.value = '';
  };

  #onTalkPointerDown = (event: PointerEvent): void => {
    if (event.button !== 0) return;
    try {
      (event.currentTarget as Element).setPointerCapture(event.pointerId);
    } catch {
      // Synthetic or already-released pointers cannot be captured; the hold still works.
    }
    this.#talk.press('pointer');
  };

  #onTalkPointerEnd = (): void => this.#talk.release('pointer');

  #onTalkKeyDown = (event: KeyboardEvent): void => {
    if (event.key !== ' ' && event.key !== 'Enter') return;
    event.preventDefault();
    if (!event.repeat) this.#talk.press('key');
  };

  #onTalkKeyUp = (event: KeyboardEvent): void => {
    if (event.key !== ' ' && event.key !== 'Enter') return;
    event.preventDefault();
    this.#talk.release('key');
  };

  #onTalkBlur = (): void => this.#talk.release('key');

  protected override willUpdate(changed: PropertyValues<this>): void {
    rejectInvalidInputs(this, changed, INPUTS);
    super.willUpdate(changed);
    if (this.#talk.talking && !this.#canTalk()) this.#talk.cancel();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('for')) this.#session.refresh();
  }

  protected override render() {
    const session = this.#session.session;
    const hidden = new Set(this.hide.split(/\s+/));
    const status = session?.state.session.status;
    const started = status === 'starting' || status === 'active';
    const live = this.#live();
    const blocker = this.#sendBlocker();
    const toggleDisabled = !session || session.state.connection === 'disconnecting';
    return html`<div part="base" class="base">
        ${hidden.has('start')
          ? nothing
          : html`<button part="button start" class="start" type="button" ?data-started=${started}
              aria-label=${started ? 'Stop conversation' : 'Start conversation'}
              aria-disabled=${toggleDisabled ? 'true' : 'false'} @click=${this.#toggle}
              @pointerenter=${this.#preload} @focus=${this.#preload}>${started ? 'Stop' : 'Start'}</button>`}
        ${hidden.has('mute')
          ? nothing
          : html`<button part="button mute" class="mute" type="button" aria-pressed=${session?.muted ? 'true' : 'false'}
              aria-disabled=${session ? 'false' : 'true'} @click=${this.#toggleMute}>Mute</button>`}
        ${hidden.has('interrupt')
          ? nothing
          : html`<button part="button interrupt" class="interrupt" type="button"
              aria-disabled=${this.#canInterrupt() ? 'false' : 'true'} @click=${this.#interrupt}>Interrupt</button>`}
        ${hidden.has('talk') || !session?.pushToTalk
          ? nothing
          : html`<button part="button talk" class="talk" type="button" aria-pressed=${this.#talk.talking ? 'true' : 'false'}
              aria-disabled=${live && this.#canTalk() ? 'false' : 'true'} aria-keyshortcuts=${this.talkKey || nothing}
              @pointerdown=${this.#onTalkPointerDown} @pointerup=${this.#onTalkPointerEnd}
              @pointercancel=${this.#onTalkPointerEnd} @pointerleave=${this.#onTalkPointerEnd}
              @keydown=${this.#onTalkKeyDown} @keyup=${this.#onTalkKeyUp} @blur=${this.#onTalkBlur}
              @contextmenu=${(e: Event) => e.preventDefault()}>Hold to talk</button>`}
        ${hidden.has('text') ? nothing : this.#renderForm(session, blocker)}
      </div>
      ${this.#renderStatus(session)} ${this.#renderMicrophone(session)}`;
  }

  /** The notice is always in the DOM (a live region must exist before what it announces). */
  #renderMicrophone(session: CharivoSession | undefined) {
    const state = session?.state;
    const running = state?.session.status === 'active';
    const notice = state ? microphoneNotice(state.microphone, running) : '';
    return html`<div part="mic-notice" class="mic-notice" role="status">${notice}</div>
      ${notice
        ? html`<button part="button mic-retry" class="mic-retry" type="button" aria-disabled=${this.#live() ? 'false' : 'true'}
            @click=${this.#retryMicrophone}>Try the microphone again</button>`
        : nothing}`;
  }

  /** Reconnecting comes first, then a failed action, then why there is no connection (with Retry). */
  #renderStatus(session: CharivoSession | undefined) {
    const state = session?.state;
    const look = state ? connectionLook(state) : 'ok';
    const text = look === 'reconnecting' ? connectionMessage(state!) : this.#error || (state ? connectionMessage(state) : '');
    return html`<div part="status" class="status" role="status" ?data-reconnecting=${look === 'reconnecting'}>${text}</div>
      ${look === 'lost'
        ? html`<button part="button retry" class="retry" type="button" @click=${this.#retry}>Retry</button>`
        : nothing}`;
  }

  #renderForm(session: CharivoSession | undefined, blocker: string) {
    const describedBy = blocker ? 'send-hint' : nothing;
    return html`<form part="form" @submit=${this.#submit}>
      <label part="label" class="visually-hidden" for="message">Message</label>
      <input part="input" id="message" type="text" autocomplete="off" placeholder=${this.placeholder}
        ?disabled=${!session} aria-describedby=${describedBy} />
      <button part="button send" class="send" type="submit" aria-disabled=${blocker ? 'true' : 'false'}
        title=${blocker || nothing} aria-describedby=${describedBy}>Send</button>
      <span part="hint" id="send-hint" class="visually-hidden">${blocker}</span>
    </form>`;
  }
}
