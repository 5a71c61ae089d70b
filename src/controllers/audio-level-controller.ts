/**
 * Samples a {@link LevelSource} once per animation frame, only while it is active, and asks the host to
 * update only when the rounded level changes. Nothing runs while the source is inactive. With `quiet`,
 * a source that stays active but reads 0 (an open microphone in a quiet room) is sampled on a slow timer
 * instead of every frame: a frame requested only to read 0 made the page draw 60 frames a second for
 * nothing (measured: ~10 ms of main thread per second). Each timer wakes an idle page too (measured in
 * headless Chromium: a 10 Hz timer that does nothing costs ~2 ms of main thread per second), so a long
 * silence can be sampled more slowly still (`longAfterMs`, `longPollMs`).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { LevelSource } from '../transports/types.js';

/** Options of {@link AudioLevelController}. */
export interface AudioLevelControllerOptions {
  /** Steps of the rounded value the host sees (default 100: hundredths). */
  precision?: number;
  /** Called with each new rounded value, for hosts that write it to the DOM directly. */
  onChange?: (value: number) => void;
  /**
   * After the level has read 0 for `afterMs`, sample every `pollMs` on a timer instead of every frame,
   * until it reads above 0 again (default: always every frame). For meters: a first sound then shows
   * up to `pollMs` late; a mouth following the voice should not use it.
   */
  quiet?: {
    afterMs: number;
    pollMs: number;
    /** After the level has read 0 this long, sample every `longPollMs` instead (default: never). */
    longAfterMs?: number;
    longPollMs?: number;
  };
}

export class AudioLevelController implements ReactiveController {
  /** The rounded level in [0, 1]; exactly 0 while the source is inactive. */
  value = 0;
  /** Frames sampled so far (for tests and the idle-cost benchmark). */
  samples = 0;
  #source: LevelSource | undefined;
  #unsubscribe: (() => void) | undefined;
  #frame = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** When the level last read above 0 (or sampling started). */
  #heard = 0;
  #connected = false;
  readonly #precision: number;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: AudioLevelControllerOptions = {},
  ) {
    this.#precision = options.precision ?? 100;
    host.addController(this);
  }

  /** Binds a source (or none). Safe to call repeatedly with the same one. */
  setSource(source: LevelSource | undefined): void {
    if (source === this.#source) return;
    this.#unsubscribe?.();
    this.#source = source;
    this.#unsubscribe = source?.onActiveChange(() => this.#sync());
    this.#sync();
  }

  hostConnected(): void {
    this.#connected = true;
    this.#sync();
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#stop();
  }

  #sync(): void {
    if (this.#connected && this.#source?.active) this.#start();
    else {
      this.#stop();
      this.#set(0);
    }
  }

  #start(): void {
    if (this.#frame || this.#timer !== undefined) return;
    this.#heard = performance.now();
    this.#frame = requestAnimationFrame(this.#tick);
  }

  readonly #tick = (): void => {
    this.#frame = 0;
    this.#timer = undefined;
    const source = this.#source;
    if (!this.#connected || !source?.active) {
      this.#set(0);
      return;
    }
    this.samples += 1;
    this.#set(source.read());
    const now = performance.now();
    if (this.value > 0) this.#heard = now;
    const quiet = this.options.quiet;
    const silentFor = now - this.#heard;
    if (!quiet || silentFor < quiet.afterMs) this.#frame = requestAnimationFrame(this.#tick);
    else {
      const long = quiet.longAfterMs !== undefined && quiet.longPollMs !== undefined && silentFor >= quiet.longAfterMs;
      this.#timer = setTimeout(this.#tick, long ? quiet.longPollMs : quiet.pollMs);
    }
  };

  #stop(): void {
    if (this.#frame) cancelAnimationFrame(this.#frame);
    clearTimeout(this.#timer);
    this.#frame = 0;
    this.#timer = undefined;
  }

  #set(level: number): void {
    const clamped = Number.isFinite(level) ? Math.min(1, Math.max(0, level)) : 0;
    const rounded = Math.round(clamped * this.#precision) / this.#precision;
    if (rounded === this.value) return;
    this.value = rounded;
    this.options.onChange?.(rounded);
    this.host.requestUpdate();
  }
}
