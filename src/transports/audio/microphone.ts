/**
 * The user's microphone: opening it with constraints or a chosen device, switching devices live,
 * following unplugged devices, muting so the provider hears silence, and a level for meters.
 * Nothing is touched until `open()`; `release()` stops every track this object opened.
 */
import { AnalyserLevelSource, type AnalyserLevelOptions } from './analyser-level-source.js';
import { AudioDeviceError } from './errors.js';
import { toMicrophoneError } from './error-mapping.js';

/** Options of {@link Microphone}. */
export interface MicrophoneOptions {
  /**
   * A device from `enumerateDevices()`; the default device when omitted. When that device is not
   * there any more (unplugged, or an id remembered from an earlier visit), `open()` uses the default
   * one and tells `onDeviceLost` listeners rather than failing the session.
   */
  deviceId?: string;
  /** Extra constraints, merged over echo cancellation, noise suppression and auto gain (all on). */
  constraints?: MediaTrackConstraints;
  /**
   * A stream the caller owns: used as is, never stopped by `release()`, and not switched on
   * `devicechange` (the caller manages it).
   */
  stream?: MediaStream;
  /** Injectable for tests and unusual hosts; `navigator.mediaDevices` by default. */
  mediaDevices?: MediaDevices;
  /**
   * Read by the transports: `true` fails a connect whose microphone is denied, missing or busy (the
   * old behaviour). By default such a session runs without one, for typed turns, and reports it.
   */
  required?: boolean;
}

/** May return a promise (replaceTrack): a switch resolves once every listener's has settled. */
type TrackListener = (track: MediaStreamTrack) => unknown;
type LostListener = (deviceId: string) => void;

export class Microphone {
  #stream: MediaStream | null = null;
  #owned = false;
  #muted = false;
  #deviceId: string | undefined;
  #listeners = new Set<TrackListener>();
  #lostListeners = new Set<LostListener>();
  /** The device switch in flight: a second request for the same device joins it. */
  #switching: { deviceId: string | undefined; promise: Promise<void> } | null = null;
  /** Bumped by every switch and by release(): a switch that was overtaken drops its stream. */
  #switchGeneration = 0;
  #level: { source: AnalyserLevelSource; node: MediaStreamAudioSourceNode | null; context: AudioContext } | null = null;
  #onDeviceChange = () => void this.#followDevices();
  #onEnded = () => void this.#followDevices();
  #released = false;

  constructor(private readonly options: MicrophoneOptions = {}) {
    this.#deviceId = options.deviceId;
  }

  get stream(): MediaStream | null {
    return this.#stream;
  }

  get track(): MediaStreamTrack | null {
    return this.#stream?.getAudioTracks()[0] ?? null;
  }

  get muted(): boolean {
    return this.#muted;
  }

  /** The device in use, as the browser reports it. */
  get deviceId(): string | undefined {
    return this.track?.getSettings().deviceId ?? this.#deviceId;
  }

  /** The device asked for (`undefined`: the system default), whether or not it is open yet. */
  get requestedDeviceId(): string | undefined {
    return this.#deviceId;
  }

  /** Whether the stream is the caller's (`options.stream`): devices cannot be switched then. */
  get external(): boolean {
    return this.options.stream !== undefined;
  }

  /** Opens the microphone (once). Rejects with an {@link AudioDeviceError} with a stable code. */
  async open(): Promise<MediaStreamTrack> {
    this.#released = false;
    if (this.track) return this.track;
    if (this.options.stream) {
      this.#use(this.options.stream, false);
    } else {
      const { stream, deviceId } = await this.#openPreferred();
      this.#use(stream, true);
      this.#devices()?.addEventListener?.('devicechange', this.#onDeviceChange);
      // Another device was chosen while getUserMedia ran: switch to it now (a failure keeps this one).
      if (this.#deviceId !== deviceId) void this.#switchTo(this.#deviceId, true).catch(() => {});
    }
    return this.track!;
  }

  /**
   * Switches to another device (`undefined`: the system default) without a new session; listeners
   * get the new track (replaceTrack, a re-pointed capture graph). The old track stops only once the
   * new one is live, so a failed switch keeps the call on the old device and rejects with an
   * {@link AudioDeviceError}. Asking for the device already in use does nothing; when several
   * switches overlap, the last one asked for wins.
   */
  setDevice(deviceId: string | undefined): Promise<void> {
    return this.#switchTo(deviceId, false);
  }

  /** Mutes by disabling the track: the peer keeps sending, so the provider hears silence. */
  setMuted(muted: boolean): void {
    this.#muted = muted;
    const track = this.track;
    if (track) track.enabled = !muted;
    this.#level?.source.setActive(Boolean(track) && !muted);
  }

  /** Called with the new track whenever the device changes. Returns an unsubscribe. */
  onTrackChange(listener: TrackListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Called when the device asked for could not be used and the default one took its place: it was
   * missing when the microphone opened, or it went away during the call. Returns an unsubscribe.
   */
  onDeviceLost(listener: LostListener): () => void {
    this.#lostListeners.add(listener);
    return () => this.#lostListeners.delete(listener);
  }

  /** A level source of the captured audio, on `context`; follows device switches. */
  level(context: AudioContext, options?: AnalyserLevelOptions): AnalyserLevelSource {
    if (this.#level?.context === context) return this.#level.source;
    this.#level?.source.dispose();
    this.#level = { source: new AnalyserLevelSource(context, options), node: null, context };
    this.#wireLevel();
    return this.#level.source;
  }

  /** Stops the tracks this object opened and forgets everything; idempotent. */
  release(): void {
    this.#released = true;
    this.#switchGeneration += 1;
    this.#switching = null;
    this.#devices()?.removeEventListener?.('devicechange', this.#onDeviceChange);
    this.track?.removeEventListener('ended', this.#onEnded);
    if (this.#stream && this.#owned) stopAll(this.#stream);
    this.#stream = null;
    this.#level?.node?.disconnect();
    this.#level?.source.dispose();
    this.#level = null;
    this.#listeners.clear();
    this.#lostListeners.clear();
  }

  #devices(): MediaDevices | undefined {
    return this.options.mediaDevices ?? (typeof navigator === 'undefined' ? undefined : navigator.mediaDevices);
  }

  #switchTo(deviceId: string | undefined, force: boolean): Promise<void> {
    const pending = this.#switching;
    if (pending && pending.deviceId === deviceId) return pending.promise;
    const unchanged = deviceId === this.#deviceId && this.track?.readyState === 'live' && !this.#switching;
    this.#deviceId = deviceId;
    if (!this.#stream || !this.#owned || (unchanged && !force)) return Promise.resolve();
    const generation = (this.#switchGeneration += 1);
    const promise = (async () => {
      const next = await this.#request(deviceId);
      if (this.#released || generation !== this.#switchGeneration) {
        stopAll(next);
        return;
      }
      const previous = this.#stream;
      const adopted = this.#use(next, true);
      if (previous) stopAll(previous);
      // Resolve once the new track is where the listeners put it (on the wire, in the graph).
      await Promise.allSettled(adopted);
    })().finally(() => {
      if (this.#switching?.promise === promise) this.#switching = null;
    });
    this.#switching = { deviceId, promise };
    return promise;
  }

  /** The device asked for, or the default one when it is missing (reported to `onDeviceLost`). */
  async #openPreferred(): Promise<{ stream: MediaStream; deviceId: string | undefined }> {
    const wanted = this.#deviceId;
    try {
      return { stream: await this.#request(wanted), deviceId: wanted };
    } catch (error) {
      if (!wanted || (error as AudioDeviceError).code !== 'microphone_not_found') throw error;
      const stream = await this.#request(undefined);
      if (this.#deviceId === wanted) this.#deviceId = undefined;
      this.#lost(wanted);
      return { stream, deviceId: undefined };
    }
  }

  #lost(deviceId: string): void {
    for (const listener of [...this.#lostListeners]) listener(deviceId);
  }

  async #request(deviceId: string | undefined): Promise<MediaStream> {
    const devices = this.#devices();
    if (!devices?.getUserMedia) {
      throw new AudioDeviceError('microphone_unsupported', 'This browser cannot capture audio (no mediaDevices.getUserMedia; is the page served over https?).');
    }
    const audio: MediaTrackConstraints = {
      echoCancellation: true,
      noiseSuppression: true,
      autoGainControl: true,
      channelCount: 1,
      ...this.options.constraints,
      ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
    };
    try {
      return await devices.getUserMedia({ audio });
    } catch (error) {
      throw toMicrophoneError(error);
    }
  }

  #use(stream: MediaStream, owned: boolean): unknown[] {
    this.track?.removeEventListener('ended', this.#onEnded);
    this.#stream = stream;
    this.#owned = owned;
    const track = this.track;
    if (!track) throw new AudioDeviceError('microphone_not_found', 'The stream has no audio track.');
    track.enabled = !this.#muted;
    if (owned) track.addEventListener('ended', this.#onEnded);
    this.#wireLevel();
    return [...this.#listeners].map((listener) => listener(track));
  }

  #wireLevel(): void {
    const level = this.#level;
    if (!level) return;
    level.node?.disconnect();
    level.node = null;
    if (!this.#stream) return;
    level.node = level.context.createMediaStreamSource(this.#stream);
    level.node.connect(level.source.analyser);
    level.source.setActive(!this.#muted);
  }

  /** The device went away (unplugged, or its track ended): fall back to the default one. */
  async #followDevices(): Promise<void> {
    if (this.#released || !this.#owned || !this.#stream) return;
    const track = this.track;
    const current = track?.getSettings().deviceId;
    let present = track?.readyState === 'live';
    if (present && current) {
      const devices = await this.#devices()!.enumerateDevices();
      present = devices.some((device) => device.kind === 'audioinput' && device.deviceId === current);
    }
    if (present || this.#released) return;
    const lost = this.#deviceId;
    try {
      await this.#switchTo(undefined, true);
    } catch {
      // No microphone left: keep the ended track; the next open() reports the error.
      return;
    }
    if (lost !== undefined) this.#lost(lost);
  }
}

function stopAll(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}
