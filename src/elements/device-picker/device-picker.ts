import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { SessionConsumerController } from '../../controllers/session-consumer-controller.js';
import type { AudioDeviceInfo, AudioDevicesState } from '../../transports/audio/audio-devices.js';
import type { AudioDeviceKind } from '../../transports/audio/device-choice.js';
import type { CharivoDevices, CharivoSession } from '../session-context.js';
import { checkIdReference, checkWordList, rejectInvalidInputs, type InputRules } from '../shared/input-errors.js';
import { visuallyHiddenStyles } from '../shared/visually-hidden.styles.js';
import { devicePickerStyles } from './device-picker.styles.js';

/** Names accepted by the `hide` attribute. */
export type CharivoDevicePickerPart = 'microphone' | 'speaker';
const PART_NAMES: readonly CharivoDevicePickerPart[] = ['microphone', 'speaker'];

const INPUTS: InputRules = {
  for: { check: checkIdReference('for'), initial: null, attribute: 'for' },
  hide: { check: checkWordList('hide', PART_NAMES), initial: '', attribute: 'hide', nullResets: true },
};

const FIELDS: Record<AudioDeviceKind, { id: CharivoDevicePickerPart; label: string; unnamed: string }> = {
  input: { id: 'microphone', label: 'Microphone', unnamed: 'Microphone' },
  output: { id: 'speaker', label: 'Speaker', unnamed: 'Speaker' },
};

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Two labelled selects, microphone and speaker, for the session's device choice: a change switches
 * the live session at once (the microphone without dropping the call) and is remembered for the next
 * visit (see `<charivo-realtime>`'s `forget-devices`). It follows hot-plugging: a device that goes
 * away disappears from the list, and if it was chosen the session falls back to the system default
 * and the `status` part says so. Where the browser cannot choose the output (no `setSinkId`), the
 * speaker select stays on the system default, disabled, and says why. Before the microphone is
 * allowed, browsers do not name the devices: the picker says names appear once it is.
 *
 * @summary Microphone and speaker selects bound to a `<charivo-realtime>` session.
 * @tag charivo-device-picker
 *
 * @fires {CharivoEvent} charivo-error - An invalid attribute or property value (detail: code, message, source); the previous value is kept.
 *
 * @csspart base - The wrapper of both fields.
 * @csspart field - Each label-and-select pair; also `microphone-field` and `speaker-field`.
 * @csspart label - The visible labels.
 * @csspart select - Both selects; also `microphone` and `speaker`.
 * @csspart hint - Why device names or the speaker choice are missing.
 * @csspart status - The `role="status"` line: a device that went away or came back, or a switch that failed.
 *
 * @cssprop [--charivo-device-picker-color=#18181b] - Text (dark #f4f4f5).
 * @cssprop [--charivo-device-picker-background=#ffffff] - Selects (dark #18181b).
 * @cssprop [--charivo-device-picker-border-color=#71717a] - Borders (dark #a1a1aa).
 * @cssprop [--charivo-device-picker-muted-color=#52525b] - Hints (dark #d4d4d8).
 * @cssprop [--charivo-device-picker-danger-color=#b91c1c] - A failed switch (dark #fca5a5).
 * @cssprop [--charivo-device-picker-focus-ring-color=#1d4ed8] - Focus ring (dark #93c5fd).
 * @cssprop [--charivo-device-picker-gap=0.75rem] - Space between the fields.
 * @cssprop [--charivo-device-picker-radius=0.5rem] - Corner radius.
 * @cssprop [--charivo-device-picker-font=inherit] - Font shorthand.
 */
export class CharivoDevicePicker extends LitElement {
  static override styles = [visuallyHiddenStyles, devicePickerStyles];

  /** Id of an element (in the same root) whose `.session` to use instead of the nearest `<charivo-realtime>`. */
  @property({ reflect: true }) for: string | null = null;
  /** Space-separated fields to leave out: `microphone`, `speaker`. */
  @property() hide = '';

  #devices: CharivoDevices | undefined;
  #offDevices: (() => void) | undefined;
  #error = '';
  /** A choice being applied: shown selected until it succeeds or fails. */
  #pending: Partial<Record<AudioDeviceKind, string>> = {};
  readonly #session = new SessionConsumerController(this, { onSessionChange: (session) => this.#bind(session) });

  /** The device lists and choice shown (empty lists without a session). */
  get state(): AudioDevicesState | undefined {
    return this.#devices?.state;
  }

  /** The message of the last failed switch ('' once one succeeds). */
  get error(): string {
    return this.#error;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#bind(undefined);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    rejectInvalidInputs(this, changed, INPUTS);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('for')) this.#session.refresh();
    // Lit sets `selected` only when a binding changes; a refused choice must show the old one again.
    for (const kind of ['input', 'output'] as const) {
      const select = this.renderRoot.querySelector<HTMLSelectElement>(`#${FIELDS[kind].id}`);
      if (select) select.value = this.#shown(kind);
    }
  }

  #bind(session: CharivoSession | undefined): void {
    const devices = session?.devices;
    if (devices === this.#devices) return;
    this.#offDevices?.();
    this.#offDevices = undefined;
    this.#devices = devices;
    if (devices && this.isConnected) this.#offDevices = devices.subscribe(() => this.requestUpdate());
    this.requestUpdate();
  }

  #shown(kind: AudioDeviceKind): string {
    return this.#pending[kind] ?? this.#devices?.state[kind] ?? '';
  }

  #choose = async (kind: AudioDeviceKind, event: Event): Promise<void> => {
    const devices = this.#devices;
    if (!devices) return;
    const deviceId = (event.target as HTMLSelectElement).value;
    this.#pending = { ...this.#pending, [kind]: deviceId };
    try {
      await devices.select(kind, deviceId || undefined);
      this.#error = '';
    } catch (error) {
      this.#error = `Could not switch the ${kind === 'input' ? 'microphone' : 'speaker'}: ${messageOf(error)}`;
    } finally {
      if (this.#pending[kind] === deviceId) {
        const { [kind]: _done, ...rest } = this.#pending;
        this.#pending = rest;
      }
      this.requestUpdate();
    }
  };

  protected override render() {
    const hidden = new Set(this.hide.split(/\s+/));
    const state = this.#devices?.state;
    const status = this.#error || state?.notice || '';
    const unnamed = state !== undefined && !state.labelled;
    return html`<div part="base" class="base">
      ${hidden.has('microphone') ? nothing : this.#renderField('input', state)}
      ${hidden.has('speaker') ? nothing : this.#renderField('output', state)}
      ${unnamed
        ? html`<p part="hint" class="hint" id="names-hint">Device names appear once the microphone is allowed (start the conversation).</p>`
        : nothing}
      <p part="status" class="status" role="status" ?data-error=${this.#error !== ''}>${status}</p>
    </div>`;
  }

  #renderField(kind: AudioDeviceKind, state: AudioDevicesState | undefined) {
    const field = FIELDS[kind];
    const list: readonly AudioDeviceInfo[] = state ? (kind === 'input' ? state.inputs : state.outputs) : [];
    const unsupported = kind === 'output' && state !== undefined && !state.outputSelectable;
    const disabled = !state || unsupported;
    const shown = this.#shown(kind);
    const hints = [unsupported ? `${field.id}-hint` : '', state && !state.labelled ? 'names-hint' : ''].filter(Boolean).join(' ');
    return html`<div part="field ${field.id}-field" class="field">
      <label part="label" for=${field.id}>${field.label}</label>
      <select part="select ${field.id}" id=${field.id} ?disabled=${disabled} aria-describedby=${hints || nothing}
        @change=${(event: Event) => void this.#choose(kind, event)}>
        <option value="" ?selected=${shown === ''}>System default</option>
        ${unsupported
          ? nothing
          : list.map(
              (device, index) =>
                html`<option value=${device.deviceId} ?selected=${shown === device.deviceId}>${device.label || `${field.unnamed} ${index + 1}`}</option>`,
            )}
      </select>
      ${unsupported
        ? html`<p part="hint" class="hint" id="${field.id}-hint">This browser plays through the system’s output; choose the speaker in your system settings.</p>`
        : nothing}
    </div>`;
  }
}
