/**
 * The level of a remote (WebRTC) audio stream. Chromium feeds a remote stream into Web Audio only
 * while the stream is also attached to a media element, so a muted, detached <audio> holds it
 * (../shared/FIELD-NOTES.md); the audible playback stays with whoever plays the stream.
 */
import { AnalyserLevelSource, type AnalyserLevelOptions } from './analyser-level-source.js';

export class RemoteStreamLevel {
  readonly source: AnalyserLevelSource;
  #node: MediaStreamAudioSourceNode | null = null;
  #holder: HTMLAudioElement | null = null;
  #stream: MediaStream | null = null;

  constructor(
    private readonly context: AudioContext,
    options?: AnalyserLevelOptions,
  ) {
    this.source = new AnalyserLevelSource(context, options);
  }

  /** Follows `stream` (or nothing). Safe to call again when the peer connection is replaced. */
  attach(stream: MediaStream | null): void {
    if (stream === this.#stream) return;
    this.#detach();
    this.#stream = stream;
    if (!stream || stream.getAudioTracks().length === 0) return;
    this.#holder = document.createElement('audio');
    this.#holder.muted = true;
    this.#holder.srcObject = stream;
    void this.#holder.play().catch(() => {
      // Muted playback is allowed without a gesture; if a browser still refuses, the level reads 0.
    });
    this.#node = this.context.createMediaStreamSource(stream);
    this.#node.connect(this.source.analyser);
  }

  dispose(): void {
    this.#detach();
    this.source.dispose();
  }

  #detach(): void {
    this.#node?.disconnect();
    this.#node = null;
    if (this.#holder) {
      this.#holder.pause();
      this.#holder.srcObject = null;
      this.#holder = null;
    }
    this.#stream = null;
  }
}
