/**
 * Holds the transport's one {@link AudioPipeline} across reconnects: opens it on demand, points the
 * stable level sources at it, runs the lip-sync loop while it plays, and releases it.
 * @packageDocumentation
 */
import { ForwardingLevelSource } from '../audio/level-source.js';
import { abortError } from '../abort.js';
import type { AdapterDeps } from '../remote/adapters.js';
import { AudioPipeline } from './audio-pipeline.js';
import { followLevel } from './lipsync-loop.js';
import type { WebSocketAdapterOptions } from './options.js';
import type { PlaybackListener } from './playback.js';

/** What the slot needs to open a pipeline. */
export interface AudioSlotHost {
  deps: AdapterDeps;
  options: WebSocketAdapterOptions;
  onChunk(pcm: ArrayBuffer): void;
  listener: PlaybackListener;
  lipsync(level: number): void;
}

export class AudioSlot {
  /** Stable sources for the UI; they read 0 while no pipeline is open. */
  readonly levels = { output: new ForwardingLevelSource(), input: new ForwardingLevelSource() };
  #pipeline: AudioPipeline | null = null;
  #stopLipsync: (() => void) | null = null;
  #muted = false;

  constructor(private readonly host: AudioSlotHost) {}

  get current(): AudioPipeline | null {
    return this.#pipeline;
  }

  /**
   * The open pipeline, or a new one. `wanted()` is asked when a new one arrives: getUserMedia cannot
   * be cancelled, so a pipeline whose connect was abandoned meanwhile is released on arrival.
   */
  async ensure(wanted: () => boolean): Promise<AudioPipeline> {
    if (this.#pipeline) return this.#pipeline;
    const context = this.host.deps.audio.context;
    // Not awaited: without a user gesture resume() never settles. Pages call prepareAudio() in a click.
    if (context.state === 'suspended') void context.resume().catch(() => {});
    const { options } = this.host;
    const pipeline = await AudioPipeline.open(context, {
      ...(this.host.deps.microphone ? { microphone: this.host.deps.microphone } : {}),
      capture: { ...options.capture, muted: this.#muted, sending: false },
      ...(options.playback ? { playback: options.playback } : {}),
      ...(options.audioElement ? { audioElement: options.audioElement } : {}),
      ...(this.host.deps.devices ? { devices: this.host.deps.devices } : {}),
      onChunk: this.host.onChunk,
      listener: this.host.listener,
    });
    if (this.#pipeline || !wanted()) {
      pipeline.release();
      if (this.#pipeline) return this.#pipeline;
      throw abortError();
    }
    pipeline.setMuted(this.#muted);
    this.#pipeline = pipeline;
    this.levels.output.setTarget(pipeline.outputLevel);
    this.levels.input.setTarget(pipeline.inputLevel);
    this.#stopLipsync = followLevel(pipeline.outputLevel, this.host.lipsync);
    return pipeline;
  }

  setMuted(muted: boolean): void {
    this.#muted = muted;
    this.#pipeline?.setMuted(muted);
  }

  /** Releases the pipeline (microphone, worklets, nodes); the shared AudioContext stays. Idempotent. */
  release(): void {
    this.#stopLipsync?.();
    this.#stopLipsync = null;
    this.levels.output.setTarget(undefined);
    this.levels.input.setTarget(undefined);
    this.#pipeline?.release();
    this.#pipeline = null;
  }
}
