/**
 * The microphones and speakers a page can choose from, and the choice: listed with
 * `enumerateDevices()`, followed through `devicechange` (a chosen device that goes away falls back
 * to the system default, with a notice, and is taken again when it comes back), remembered across
 * visits (see {@link DeviceMemory}) and applied to the live session by whichever transport is
 * attached. `<charivo-realtime>` owns one and hands it to its transports and, through the session
 * context, to `<charivo-device-picker>`. Nothing is touched before it is first used.
 * @packageDocumentation
 */
import type { AudioDeviceApplier, AudioDeviceChange, AudioDeviceChoice, AudioDeviceKind } from './device-choice.js';
import { DEFAULT_DEVICES_KEY, DeviceMemory, type RememberedDevices } from './device-memory.js';
import { AudioDeviceError } from './errors.js';
import { outputSelectionSupported } from './output-sink.js';

/** One device a page may choose. */
export interface AudioDeviceInfo {
  deviceId: string;
  /** The browser's name for it; empty until the page may use the microphone. */
  label: string;
}

/** What a device picker shows. */
export interface AudioDevicesState {
  /** Microphones, without the browser's own `default`/`communications` aliases (the system default is `undefined`). */
  readonly inputs: readonly AudioDeviceInfo[];
  /** Audio outputs, likewise. */
  readonly outputs: readonly AudioDeviceInfo[];
  /** The microphone in use or to be opened (`undefined`: the system default). */
  readonly input: string | undefined;
  /** Where the assistant plays (`undefined`: the system default). */
  readonly output: string | undefined;
  /** Whether the browser names the devices; before the microphone is allowed, it lists them without names (or not at all). */
  readonly labelled: boolean;
  /** Whether this browser can choose the output (`setSinkId`); where it cannot, the system's output plays. */
  readonly outputSelectable: boolean;
  /** A change the user did not make (a device went away or came back), in words; '' when there is none. */
  readonly notice: string;
}

/** Options of {@link AudioDevices}. */
export interface AudioDevicesOptions {
  /** Injectable for tests and unusual hosts; `navigator.mediaDevices` by default. */
  mediaDevices?: MediaDevices;
  /**
   * The `localStorage` key the choice is remembered under; `null` remembers nothing (default
   * {@link DEFAULT_DEVICES_KEY}). A function is asked on first use (an element reads its attributes then).
   */
  storageKey?: string | null | (() => string | null);
  /** The storage (default `localStorage`); for tests. */
  storage?: () => Storage | undefined;
}

const ALIASES = new Set(['', 'default', 'communications']);
const NOUN: Record<AudioDeviceKind, string> = { input: 'microphone', output: 'speaker' };

export class AudioDevices implements AudioDeviceChoice {
  #options: AudioDevicesOptions;
  #memory: DeviceMemory | null = null;
  #key: string | null = null;
  #loaded = false;
  #preferred: RememberedDevices = {};
  #active: Record<AudioDeviceKind, string | undefined> = { input: undefined, output: undefined };
  /** The chosen device went away; it is taken again when it comes back. */
  #fellBack: Record<AudioDeviceKind, boolean> = { input: false, output: false };
  #changes: Record<AudioDeviceKind, number> = { input: 0, output: 0 };
  #lists: Record<AudioDeviceKind, AudioDeviceInfo[]> = { input: [], output: [] };
  #labels = new Map<string, string>();
  #labelled = false;
  #notice = '';
  #refreshes = 0;
  #appliers = new Set<AudioDeviceApplier>();
  #listeners = new Set<() => void>();
  #following: MediaDevices | null = null;
  #state: AudioDevicesState | null = null;
  readonly #onDeviceChange = (): void => void this.#refresh(true);

  constructor(options: AudioDevicesOptions = {}) {
    this.#options = options;
  }

  get input(): string | undefined {
    this.#load();
    return this.#active.input;
  }

  get output(): string | undefined {
    this.#load();
    return this.#active.output;
  }

  /** A snapshot, stable until the next change (so it can be compared with `===`). */
  get state(): AudioDevicesState {
    this.#load();
    this.#state ??= {
      inputs: this.#lists.input,
      outputs: this.#lists.output,
      input: this.#active.input,
      output: this.#active.output,
      labelled: this.#labelled,
      outputSelectable: outputSelectionSupported(),
      notice: this.#notice,
    };
    return this.#state;
  }

  /**
   * Calls `listener` after every change of {@link state}. While anyone listens (or a transport is
   * attached) the lists follow `devicechange`; the first subscription lists the devices.
   */
  subscribe(listener: () => void): () => void {
    this.#load();
    this.#listeners.add(listener);
    this.#follow();
    return () => {
      this.#listeners.delete(listener);
      this.#follow();
    };
  }

  /** Lists the devices again (after the microphone was allowed, say) and reconciles the choice with what is there. */
  refresh(): Promise<void> {
    return this.#refresh(false);
  }

  /** `unplugged`: a `devicechange` brought it, so a device missing now was just disconnected. */
  async #refresh(unplugged: boolean): Promise<void> {
    this.#load();
    const devices = this.#devices();
    if (typeof devices?.enumerateDevices !== 'function') return;
    const refresh = (this.#refreshes += 1);
    let all: MediaDeviceInfo[];
    try {
      all = await devices.enumerateDevices();
    } catch {
      return; // A browser that refuses to list keeps what was listed before.
    }
    if (refresh !== this.#refreshes) return; // A later refresh has newer lists.
    const pick = (kind: MediaDeviceKind) =>
      all.filter((d) => d.kind === kind && !ALIASES.has(d.deviceId)).map((d) => ({ deviceId: d.deviceId, label: d.label }));
    this.#lists = { input: pick('audioinput'), output: pick('audiooutput') };
    for (const device of [...this.#lists.input, ...this.#lists.output]) if (device.label) this.#labels.set(device.deviceId, device.label);
    this.#labelled = all.some((d) => d.kind === 'audioinput' && d.label !== '');
    this.#changed();
    await Promise.all([this.#reconcile('input', unplugged), this.#reconcile('output', unplugged)]);
  }

  /**
   * Chooses a device (`undefined` or '': the system default), applies it to the live session, and
   * remembers it. Rejects with an {@link AudioDeviceError} when the device is not listed, the browser
   * cannot choose outputs, or the session could not switch; the previous choice then stays.
   */
  async select(kind: AudioDeviceKind, deviceId: string | undefined): Promise<void> {
    this.#load();
    const id = deviceId || undefined;
    if (kind === 'output' && id && !outputSelectionSupported()) {
      throw new AudioDeviceError('speaker_unsupported', 'This browser cannot choose the audio output; it plays through the system default.');
    }
    // An empty list is no listing (no permission yet): the session finds out whether the device is there.
    const list = this.#lists[kind];
    const known = id === undefined || list.length === 0 || list.some((d) => d.deviceId === id);
    if (!known) throw new AudioDeviceError(kind === 'input' ? 'microphone_not_found' : 'speaker_not_found', `No ${NOUN[kind]} with id ${id} is connected.`);
    const change = (this.#changes[kind] += 1);
    await this.#apply({ kind, deviceId: id });
    if (change !== this.#changes[kind]) return; // A later choice overtook this one.
    this.#active[kind] = id;
    this.#fellBack[kind] = false;
    const preferred = { ...this.#preferred };
    if (id) preferred[kind] = { deviceId: id, label: this.#labels.get(id) ?? '' };
    else delete preferred[kind];
    this.#preferred = preferred;
    this.#memory?.write(preferred);
    this.#notice = '';
    this.#changed();
  }

  /** Remembers under another key (`null`: remembers nothing from now on, and reads nothing). */
  setStorageKey(key: string | null): void {
    if (!this.#loaded) {
      this.#options = { ...this.#options, storageKey: key };
      return;
    }
    if (this.#key === key) return;
    this.#key = key;
    this.#memory = key === null ? null : new DeviceMemory(key, this.#options.storage);
    // A new key brings its own remembered choice; the session switches when it is attached.
    if (this.#memory) {
      this.#preferred = this.#memory.read();
      for (const kind of ['input', 'output'] as const) void this.#restore(kind, this.#preferred[kind]?.deviceId);
    }
  }

  attach(applier: AudioDeviceApplier): () => void {
    this.#load();
    this.#appliers.add(applier);
    this.#follow();
    void this.refresh();
    return () => {
      this.#appliers.delete(applier);
      this.#follow();
    };
  }

  lost(kind: AudioDeviceKind, deviceId: string): void {
    this.#load();
    if (this.#active[kind] !== deviceId) return;
    this.#active[kind] = undefined;
    this.#fellBack[kind] = true;
    this.#notice = `${this.#describe(kind, deviceId)} is not available; using the system default ${NOUN[kind]}.`;
    this.#changed();
  }

  #load(): void {
    if (this.#loaded) return;
    this.#loaded = true;
    const option = this.#options.storageKey;
    const key = typeof option === 'function' ? option() : option === undefined ? DEFAULT_DEVICES_KEY : option;
    this.#key = key;
    this.#memory = key === null ? null : new DeviceMemory(key, this.#options.storage);
    this.#preferred = this.#memory?.read() ?? {};
    this.#active.input = this.#preferred.input?.deviceId;
    this.#active.output = outputSelectionSupported() ? this.#preferred.output?.deviceId : undefined;
    for (const device of [this.#preferred.input, this.#preferred.output]) if (device?.label) this.#labels.set(device.deviceId, device.label);
  }

  #devices(): MediaDevices | undefined {
    return this.#options.mediaDevices ?? (typeof navigator === 'undefined' ? undefined : navigator.mediaDevices);
  }

  /** Follows `devicechange` while someone listens or a transport is attached. */
  #follow(): void {
    const wanted = this.#listeners.size > 0 || this.#appliers.size > 0;
    if (wanted && !this.#following) {
      const devices = this.#devices();
      if (!devices?.addEventListener) return;
      this.#following = devices;
      devices.addEventListener('devicechange', this.#onDeviceChange);
      void this.refresh();
    } else if (!wanted && this.#following) {
      this.#following.removeEventListener('devicechange', this.#onDeviceChange);
      this.#following = null;
    }
  }

  /** After a new listing: fall back from a device that went away; take the remembered one when it is (back) there. */
  async #reconcile(kind: AudioDeviceKind, unplugged: boolean): Promise<void> {
    if (kind === 'output' && !outputSelectionSupported()) return;
    const list = this.#lists[kind];
    // Without a listing (no permission yet; Firefox lists outputs late) nothing can be said to be gone.
    if (list.length === 0) return;
    const present = (id: string | undefined) => id !== undefined && list.some((d) => d.deviceId === id);
    const preferred = this.#preferred[kind];
    // Browsers rotate ids: the remembered device is found again by its name.
    if (preferred && !present(preferred.deviceId) && preferred.label) {
      const renamed = list.find((d) => d.label === preferred.label);
      if (renamed) {
        const was = preferred.deviceId;
        this.#preferred = { ...this.#preferred, [kind]: { deviceId: renamed.deviceId, label: renamed.label } };
        this.#memory?.write(this.#preferred);
        if (this.#active[kind] === was) return this.#restore(kind, renamed.deviceId, '');
      }
    }
    const active = this.#active[kind];
    if (active !== undefined && !present(active)) {
      const change = (this.#changes[kind] += 1);
      this.#active[kind] = undefined;
      this.#fellBack[kind] = true;
      this.#notice = `${this.#describe(kind, active)} ${unplugged ? 'was disconnected' : 'is not available'}; using the system default ${NOUN[kind]}.`;
      this.#changed();
      await this.#apply({ kind, deviceId: undefined }).catch((error: unknown) => this.#failed(kind, change, error));
      return;
    }
    const wanted = this.#preferred[kind]?.deviceId;
    if (active === undefined && this.#fellBack[kind] && present(wanted)) {
      await this.#restore(kind, wanted, `Using ${this.#describe(kind, wanted!)} again.`);
    }
  }

  /** Switches the live session to `deviceId` (a remembered device); on failure the default stays. */
  async #restore(kind: AudioDeviceKind, deviceId: string | undefined, notice = ''): Promise<void> {
    const change = (this.#changes[kind] += 1);
    try {
      await this.#apply({ kind, deviceId });
    } catch (error) {
      this.#failed(kind, change, error);
      return;
    }
    if (change !== this.#changes[kind]) return;
    this.#active[kind] = deviceId;
    this.#fellBack[kind] = false;
    if (notice) this.#notice = notice;
    this.#changed();
  }

  #failed(kind: AudioDeviceKind, change: number, error: unknown): void {
    if (change !== this.#changes[kind]) return;
    this.#notice = `Could not switch the ${NOUN[kind]}: ${(error as Error)?.message ?? String(error)}`;
    this.#changed();
  }

  async #apply(change: AudioDeviceChange): Promise<void> {
    await Promise.all([...this.#appliers].map((apply) => apply(change)));
  }

  #describe(kind: AudioDeviceKind, deviceId: string): string {
    const label = this.#labels.get(deviceId);
    return label ? `“${label}”` : `The chosen ${NOUN[kind]}`;
  }

  #changed(): void {
    this.#state = null;
    for (const listener of [...this.#listeners]) listener();
  }
}
