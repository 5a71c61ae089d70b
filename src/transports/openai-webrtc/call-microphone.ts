/**
 * The microphone of a WebRTC transport's session: opened once per session (a reconnect or a rollover
 * does not ask again), optional (a refusal leaves a report instead of failing, unless required),
 * muted by the page, asked for again on `retryMicrophone()`, released with the session.
 * `link` ties each new microphone to the page's device choice (see `linkAudioDevices`) before it opens,
 * so a chosen device that is missing falls back to the default and the choice says so.
 */
import { Microphone, type MicrophoneOptions } from '../audio/microphone.js';
import { openMicrophone, type MicrophoneReport } from '../audio/microphone-fallback.js';

export class CallMicrophone {
  #mic: Microphone | null = null;
  #report: MicrophoneReport | null = null;
  #muted = false;
  #unlink: () => void = () => {};

  constructor(
    /** Read at each new microphone: the device chosen by then is the one opened. */
    private readonly options: () => MicrophoneOptions | undefined,
    private readonly link: (mic: Microphone) => () => void = () => () => {},
  ) {}

  /** The session's microphone, if one was taken. */
  get current(): Microphone | null {
    return this.#mic;
  }

  /** What the microphone came to, once asked. */
  get report(): MicrophoneReport | null {
    return this.#report;
  }

  /** The session's microphone, created (not opened) when there is none; `created` says which. */
  take(): { mic: Microphone; created: boolean } {
    if (this.#mic) return { mic: this.#mic, created: false };
    this.#mic = new Microphone(this.options());
    this.#report = null;
    this.#unlink = this.link(this.#mic);
    return { mic: this.#mic, created: true };
  }

  /** Opens `mic` unless this session already asked; the report says how it went. */
  async open(mic: Microphone): Promise<MicrophoneReport> {
    if (mic === this.#mic && this.#report) return this.#report;
    const report = await openMicrophone(mic, this.options()?.required === true);
    if (mic === this.#mic) this.#report = report;
    mic.setMuted(this.#muted);
    return report;
  }

  /** Asks again (the user allowed it, or plugged one in). */
  async retry(): Promise<MicrophoneReport> {
    const mic = this.#mic;
    if (!mic) return { status: 'absent' };
    if (mic.track?.readyState === 'live') return (this.#report = { status: 'live' });
    const report = await openMicrophone(mic, false);
    if (mic === this.#mic) this.#report = report;
    mic.setMuted(this.#muted);
    return report;
  }

  setMuted(muted: boolean): void {
    this.#muted = muted;
    this.#mic?.setMuted(muted);
  }

  /** Releases `mic` (one this session created and then gave up), and forgets it if it is the current one. */
  drop(mic: Microphone): void {
    mic.release();
    if (mic === this.#mic) this.release();
  }

  /** The session ended: stops the tracks this object opened. */
  release(): void {
    this.#unlink();
    this.#unlink = () => {};
    this.#mic?.release();
    this.#mic = null;
    this.#report = null;
  }
}
