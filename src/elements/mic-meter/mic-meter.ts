import { LitElement, html, svg, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { AudioLevelController } from '../../controllers/audio-level-controller.js';
import { SessionConsumerController } from '../../controllers/session-consumer-controller.js';
import type { CharivoSession } from '../session-context.js';
import { checkIdReference, checkInteger, checkOneOf, checkString, rejectInvalidInputs, type InputRules } from '../shared/input-errors.js';
import { micMeterStyles } from './mic-meter.styles.js';

/** What the meter shows: no live session, a muted microphone, or the live level. */
export type MicMeterState = 'off' | 'muted' | 'live';

function meterState(session: CharivoSession): MicMeterState {
  // A session without a microphone (denied, none, busy) has nothing to meter, muted or not.
  const { microphone } = session.state;
  if (microphone === 'denied' || microphone === 'absent' || microphone === 'unavailable') return 'off';
  if (session.muted) return 'muted';
  return session.state.session.status === 'active' ? 'live' : 'off';
}

const micIcon = svg`<path d="M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3Z"/><path d="M5 11a7 7 0 0 0 14 0M12 18v3"/>`;
const mutedIcon = svg`${micIcon}<path d="M4 4l16 16"/>`;

const INPUTS: InputRules = {
  label: { check: checkString('label', { nonEmpty: true }), initial: 'Microphone level', attribute: 'label', nullResets: true },
  for: { check: checkIdReference('for'), initial: null, attribute: 'for' },
  orientation: { check: checkOneOf('orientation', ['horizontal', 'vertical']), initial: 'horizontal', attribute: 'orientation', nullResets: true },
  bars: { check: checkInteger('bars', 1, 50), initial: 10, attribute: 'bars', kind: 'number', nullResets: true },
};

/**
 * The microphone level of a session as a row (or column) of bars, exposed to assistive technology as a
 * `meter`. Re-renders only when the level changes by a step (1/20) or the mic state changes.
 *
 * @summary Microphone level meter bound to a `<charivo-realtime>` session.
 * @tag charivo-mic-meter
 *
 * @attr state - Reflected, read-only: `off` (no active session), `muted` or `live`; for CSS.
 *
 * @fires {CharivoEvent} charivo-error - An invalid attribute or property value (detail: code, message, source); the previous value is kept.
 *
 * @csspart meter - The `role="meter"` wrapper.
 * @csspart icon - The microphone icon (slashed while muted).
 * @csspart bars - The container of the bars.
 * @csspart bar - Each bar; lit bars also have the part `lit`.
 *
 * @cssprop [--charivo-mic-meter-color=#15803d] - Lit bars (dark scheme default #4ade80).
 * @cssprop [--charivo-mic-meter-track-color=#d4d4d8] - Unlit bars (dark scheme default #3f3f46).
 * @cssprop [--charivo-mic-meter-muted-color=#b91c1c] - Icon and stripes while muted (dark #f87171).
 * @cssprop [--charivo-mic-meter-off-color=#71717a] - Icon with no active session (dark #a1a1aa).
 * @cssprop [--charivo-mic-meter-icon-color=currentColor] - Icon while live.
 * @cssprop [--charivo-mic-meter-size=6rem] - Length of the bar row.
 * @cssprop [--charivo-mic-meter-thickness=0.625rem] - Thickness of the bar row.
 * @cssprop [--charivo-mic-meter-gap=0.375rem] - Space between icon and bars.
 * @cssprop [--charivo-mic-meter-bar-gap=2px] - Space between bars.
 * @cssprop [--charivo-mic-meter-bar-radius=1px] - Corner radius of a bar.
 */
export class CharivoMicMeter extends LitElement {
  static override styles = micMeterStyles;

  /** Accessible name of the meter (not empty). */
  @property() label = 'Microphone level';
  /** Id of an element (in the same root) whose `.session` to use instead of the nearest `<charivo-realtime>`. */
  @property({ reflect: true }) for: string | null = null;
  /** `horizontal` (default) or `vertical`. */
  @property({ reflect: true }) orientation: 'horizontal' | 'vertical' = 'horizontal';
  /** Number of bars: an integer from 1 to 50. */
  @property({ type: Number }) bars = 10;

  // 20 steps: smooth enough to read, and at most ~20 distinct renders per sweep of the level.
  // A quiet open microphone is checked ten times a second, not every frame, and four times a second
  // after three quiet seconds (see AudioLevelController): the first sound after a long silence shows
  // up to 250 ms late, which the idle page pays for with about 1 ms of main thread less per second.
  readonly #level = new AudioLevelController(this, {
    precision: 20,
    quiet: { afterMs: 500, pollMs: 100, longAfterMs: 3000, longPollMs: 250 },
  });
  readonly #session = new SessionConsumerController<MicMeterState>(this, { select: meterState });

  /** The level shown, in percent (0 while muted or off). */
  get level(): number {
    return Math.round(this.#level.value * 100);
  }

  /** What the meter shows. */
  get state(): MicMeterState {
    return this.#session.value ?? 'off';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    rejectInvalidInputs(this, changed, INPUTS);
    super.willUpdate(changed);
    const state = this.state;
    // Sample only while live: a muted or idle mic costs no animation frames.
    this.#level.setSource(state === 'live' ? this.#session.session?.levels.input : undefined);
    if (this.getAttribute('state') !== state) this.setAttribute('state', state);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('for')) this.#session.refresh();
  }

  protected override render() {
    const state = this.state;
    const percent = state === 'live' ? this.level : 0;
    const text =
      state === 'muted' ? 'Microphone muted' : state === 'off' ? 'Microphone off' : `Microphone level ${percent}%`;
    const count = Math.min(50, Math.max(1, Math.round(this.bars) || 1));
    const lit = Math.round((percent / 100) * count);
    return html`<div
      part="meter"
      class="meter ${state}"
      role="meter"
      aria-label=${this.label}
      aria-valuemin="0"
      aria-valuemax="100"
      aria-valuenow=${percent}
      aria-valuetext=${text}
    >
      <span part="icon" class="icon" aria-hidden="true">
        <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round">
          ${state === 'muted' ? mutedIcon : micIcon}
        </svg>
      </span>
      <span part="bars" class="bars" aria-hidden="true">
        ${Array.from({ length: count }, (_, i) =>
          i < lit ? html`<span part="bar lit" class="bar lit"></span>` : html`<span part="bar" class="bar"></span>`,
        )}
      </span>
    </div>`;
  }
}
