/**
 * The user's microphone: opening it with constraints or a chosen device, switching devices live,
 * following unplugged devices, muting so the provider hears silence, and a level for meters.
 * Nothing is touched until `open()`; `release()` stops every track this object opened.
 */
import { AnalyserLevelSource, type AnalyserLevelOptions } from './analyser-level-source.js';
import { AudioDeviceError, toMicrophoneError } from './errors.js';

/** Options of {@link Microphone}. */
export interface MicrophoneOptions {
  /** A device from `enumerateDevices()`; the default device when omitted. */
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

type TrackListener = (track: MediaStreamTrack) => void;

export class Microphone {
  #stream: MediaStream | null = null;
  #owned = false;
  #muted = false;
  #deviceId: string | undefined;
  #listeners = new Set<TrackListener>();
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

  /** Opens the microphone (once). Rejects with an {@link AudioDeviceError} with a stable code. */
  async open(): Promise<MediaStreamTrack> {
    this.#released = false;
    if (this.track) return this.track;
    if (this.options.stream) {
      this.#use(this.options.stream, false);
    } else {
      this.#use(await this.#request(this.#deviceId), true);
      this.#devices()?.addEventListener?.('devicechange', this.#onDeviceChange);
    }
    return this.track!;
  }

  /** Switches to another device without a new session; listeners get the new track (replaceTrack). */
  async setDevice(deviceId: string | undefined): Promise<void> {
    this.#deviceId = deviceId;
    if (!this.#stream || !this.#owned) return;
    const next = await this.#request(deviceId);
    if (this.#released) {
      stopAll(next);
      return;
    }
    const previous = this.#stream;
    this.#use(next, true);
    stopAll(previous);
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
    this.#devices()?.removeEventListener?.('devicechange', this.#onDeviceChange);
    this.track?.removeEventListener('ended', this.#onEnded);
    if (this.#stream && this.#owned) stopAll(this.#stream);
    this.#stream = null;
    this.#level?.node?.disconnect();
    this.#level?.source.dispose();
    this.#level = null;
    this.#listeners.clear();
  }

  #devices(): MediaDevices | undefined {
    return this.options.mediaDevices ?? (typeof navigator === 'undefined' ? undefined : navigator.mediaDevices);
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

  #use(stream: MediaStream, owned: boolean): void {
    this.track?.removeEventListener('ended', this.#onEnded);
    this.#stream = stream;
    this.#owned = owned;
    const track = this.track;
    if (!track) throw new AudioDeviceError('microphone_not_found', 'The stream has no audio track.');
    track.enabled = !this.#muted;
    if (owned) track.addEventListener('ended', this.#onEnded);
    this.#wireLevel();
    for (const listener of [...this.#listeners]) listener(track);
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
    try {
      await this.setDevice(undefined);
    } catch {
      // No microphone left: keep the ended track; the next open() reports the error.
    }
  }
}

function stopAll(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}
