/**
 * Press-and-hold for push-to-talk: one "talking" state fed by three inputs (pointer, the focused
 * button's Space/Enter, and an optional page-wide hotkey), so a release only ends the hold that the
 * same input began. The page-wide listener exists only while the host is connected.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Which input began the current hold. */
export type TalkSource = 'pointer' | 'key' | 'hotkey';

/** Options of {@link PushToTalkController}. */
export interface PushToTalkOptions {
  /** Whether a hold may begin now. */
  enabled(): boolean;
  /** The page-wide key (`KeyboardEvent.code` such as `Space` or `KeyT`, or a `key` such as `t`), or none. */
  hotkey(): string | null;
  start(): void;
  stop(): void;
}

const NON_TEXT_INPUTS = new Set(['button', 'checkbox', 'radio', 'range', 'submit', 'reset', 'image', 'color', 'file']);

/** True when typing into `node` would be hijacked by a hotkey. */
export function isTextEntry(node: EventTarget | undefined): boolean {
  if (!(node instanceof HTMLElement)) return false;
  if (node.isContentEditable || node instanceof HTMLTextAreaElement || node instanceof HTMLSelectElement) return true;
  return node instanceof HTMLInputElement && !NON_TEXT_INPUTS.has(node.type);
}

/**
 * Whether `event` is the key named by `key` (a `code`, or a `key` compared case-insensitively). With
 * `strict`, a chord with Ctrl, Meta or Alt never matches (those belong to the browser and the page).
 */
export function matchesKey(event: KeyboardEvent, key: string | null, strict = true): boolean {
  const wanted = key?.trim();
  if (!wanted || (strict && (event.ctrlKey || event.metaKey || event.altKey))) return false;
  if (event.code === wanted) return true;
  const name = event.key === ' ' ? 'Space' : event.key;
  return typeof name === 'string' && name.toLowerCase() === wanted.toLowerCase();
}

/** `KeyboardEvent.code` values a hotkey may name (compared exactly, as `matchesKey` does). */
const KEY_CODE =
  /^(Key[A-Z]|Digit[0-9]|Numpad([0-9]|Add|Subtract|Multiply|Divide|Decimal|Enter|Equal|Comma)|F([1-9]|1[0-9]|2[0-4])|Arrow(Up|Down|Left|Right)|Shift(Left|Right)|Space|Enter|Tab|Escape|Backspace|Delete|Insert|Home|End|PageUp|PageDown|CapsLock|ContextMenu|Backquote|Minus|Equal|BracketLeft|BracketRight|Backslash|Semicolon|Quote|Comma|Period|Slash|IntlBackslash)$/;
/** `KeyboardEvent.key` names a hotkey may use (compared case-insensitively, as `matchesKey` does). */
const KEY_NAMES = [
  'Space', 'Enter', 'Tab', 'Escape', 'Backspace', 'Delete', 'Insert', 'Home', 'End', 'PageUp', 'PageDown',
  'ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Shift', 'CapsLock', 'ContextMenu',
  ...Array.from({ length: 24 }, (_, i) => `F${i + 1}`),
].map((name) => name.toLowerCase());
/** Keys whose press sets ctrlKey, altKey or metaKey, so `matchesKey` (strict) never matches them. */
const CHORD_KEY = /^(control|alt|meta|os|altgraph)(left|right)?$/i;

/**
 * What is wrong with `value` as a page-wide talk key, or `null`: it must be `null` (none), a
 * `KeyboardEvent.code` (`Space`, `KeyT`, `F2`…), a key name (`Enter`, `ArrowUp`…, any case) or a
 * single character (`t`); Ctrl, Alt and Meta cannot be held to talk.
 */
export function talkKeyProblem(value: unknown): string | null {
  if (value === null) return null;
  if (typeof value !== 'string') return `talk-key must be a key name such as Space, KeyT or t, got ${value === undefined ? 'undefined' : typeof value}`;
  const key = value.trim();
  if (key === '') return null;
  if (CHORD_KEY.test(key)) return `talk-key "${key}" cannot be used: Ctrl, Alt and Meta are held for browser and page shortcuts`;
  if (KEY_CODE.test(key) || KEY_NAMES.includes(key.toLowerCase()) || [...key].length === 1) return null;
  return `talk-key "${key.slice(0, 40)}" is not a key: use a KeyboardEvent.code (Space, KeyT, F2), a key name (Enter, ArrowUp) or one character (t)`;
}

export class PushToTalkController implements ReactiveController {
  /** True while a hold is in progress. */
  talking = false;
  #source: TalkSource | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: PushToTalkOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('keydown', this.#onKeyDown);
    window.addEventListener('keyup', this.#onKeyUp);
    window.addEventListener('blur', this.#onBlur);
  }

  hostDisconnected(): void {
    window.removeEventListener('keydown', this.#onKeyDown);
    window.removeEventListener('keyup', this.#onKeyUp);
    window.removeEventListener('blur', this.#onBlur);
    this.release(this.#source);
  }

  /** Begins a hold from `source`, unless one is already in progress or talking is not possible. */
  press(source: TalkSource): void {
    if (this.talking || !this.options.enabled()) return;
    this.talking = true;
    this.#source = source;
    this.options.start();
    this.host.requestUpdate();
  }

  /** Ends the hold if `source` began it. */
  release(source: TalkSource | null): void {
    if (!this.talking || source !== this.#source) return;
    this.#end();
    this.options.stop();
  }

  /** Forgets the hold without committing it (the session it belonged to is gone). */
  cancel(): void {
    if (this.talking) this.#end();
  }

  #end(): void {
    this.talking = false;
    this.#source = null;
    this.host.requestUpdate();
  }

  #onKeyDown = (event: KeyboardEvent): void => {
    // defaultPrevented: the focused talk button (or the page) already handled this key.
    if (event.defaultPrevented || !matchesKey(event, this.options.hotkey())) return;
    if (isTextEntry(event.composedPath()[0])) return;
    if (!this.options.enabled() && !this.talking) return;
    // Also keeps a focused button elsewhere from activating on this key.
    event.preventDefault();
    if (!event.repeat) this.press('hotkey');
  };

  #onKeyUp = (event: KeyboardEvent): void => {
    // Not strict: a modifier pressed mid-hold must not leave the microphone open.
    if (this.#source !== 'hotkey' || !matchesKey(event, this.options.hotkey(), false)) return;
    event.preventDefault();
    this.release('hotkey');
  };

  // Keys released while the window is in the background never arrive: end any hold.
  #onBlur = (): void => this.release(this.#source);
}
