/**
 * The assistant's voice level for one WebRTC connection: an analyser on the remote stream, active
 * only while the provider says audio plays, and `lipsync` samples at most once per animation frame
 * while it does (no frame loop otherwise).
 */
import { RemoteStreamLevel } from '../audio/remote-stream-level.js';
import type { AnalyserLevelSource } from '../audio/analyser-level-source.js';

export class OutputVoice {
  readonly #remote: RemoteStreamLevel;
  readonly #onLevel: (level: number) => void;
  #frame: number | undefined;
  #disposed = false;

  constructor(context: AudioContext, onLevel: (level: number) => void) {
    this.#remote = new RemoteStreamLevel(context);
    this.#onLevel = onLevel;
  }

  /** The level source (0 unless audio plays). */
  get source(): AnalyserLevelSource {
    return this.#remote.source;
  }

  /** Follows the peer's remote stream (called from `ontrack`). */
  attach(stream: MediaStream | null): void {
    if (!this.#disposed) this.#remote.attach(stream);
  }

  /** Audio started or ended on the provider's side. */
  setPlaying(playing: boolean): void {
    if (this.#disposed) return;
    const wasPlaying = this.#remote.source.active;
    this.#remote.source.setActive(playing);
    if (playing) {
      this.#startFrames();
    } else {
      this.#stopFrames();
      // One closing sample, so a mouth driven by these events does not stay open.
      if (wasPlaying) this.#onLevel(0);
    }
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#stopFrames();
    this.#remote.dispose();
    this.#disposed = true;
  }

  #startFrames(): void {
    if (this.#frame !== undefined || typeof requestAnimationFrame !== 'function') return;
    const step = () => {
      this.#frame = undefined;
      if (this.#disposed || !this.#remote.source.active) return;
      this.#onLevel(this.#remote.source.read());
      this.#frame = requestAnimationFrame(step);
    };
    this.#frame = requestAnimationFrame(step);
  }

  #stopFrames(): void {
    if (this.#frame !== undefined) cancelAnimationFrame(this.#frame);
    this.#frame = undefined;
  }
}
