/**
 * Samples a {@link LevelSource} once per animation frame, only while it is active, and asks the host to
 * update only when the rounded level changes. Nothing runs while the source is silent.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { LevelSource } from '../transports/types.js';

/** Options of {@link AudioLevelController}. */
export interface AudioLevelControllerOptions {
  /** Steps of the rounded value the host sees (default 100: hundredths). */
  precision?: number;
  /** Called with each new rounded value, for hosts that write it to the DOM directly. */
  onChange?: (value: number) => void;
}

export class AudioLevelController implements ReactiveController {
  /** The rounded level in [0, 1]; exactly 0 while the source is inactive. */
  value = 0;
  /** Frames sampled so far (for tests and the idle-cost benchmark). */
  samples = 0;
  #source: LevelSource | undefined;
  #unsubscribe: (() => void) | undefined;
  #frame = 0;
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
    if (this.#frame) return;
    const tick = () => {
      this.#frame = 0;
      const source = this.#source;
      if (!this.#connected || !source?.active) {
        this.#set(0);
        return;
      }
      this.samples += 1;
      this.#set(source.read());
      this.#frame = requestAnimationFrame(tick);
    };
    this.#frame = requestAnimationFrame(tick);
  }

  #stop(): void {
    if (this.#frame) cancelAnimationFrame(this.#frame);
    this.#frame = 0;
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
