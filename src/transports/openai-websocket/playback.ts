/**
 * Main-thread side of the playback worklet: queue PCM16 deltas per response and item, learn when
 * playback really starts and ends, and flush at once on interrupt with what was actually heard.
 * @packageDocumentation
 */
import { PLAYBACK_PROCESSOR, type PlaybackMessage, type PlaybackProcessorOptions } from './processors.js';
import { loadProcessors } from './worklet-module.js';

/** Options of {@link PcmPlayback}. */
export interface PcmPlaybackOptions {
  /**
   * Audio buffered before playback starts, in ms (default 80). Larger rides out network jitter
   * better; smaller answers sooner. A response whose audio is complete starts at once.
   */
  startMs?: number;
  /** Rate of the PCM16 that arrives (default 24 000). */
  sourceRate?: number;
}

/** What the worklet reports on `clear()` and `status()`. */
export interface PlaybackReport {
  /** Whether anything was playing, buffered or still arriving. */
  active: boolean;
  /** The item being heard (or about to be), for `conversation.item.truncate`. */
  itemId: string | null;
  responseId: string | null;
  /** How much of `itemId` has left the worklet, in ms. */
  playedMs: number;
  /** Audio queued and not yet played, in ms. */
  bufferedMs: number;
  /** Times the buffer ran dry mid-response. */
  underruns: number;
}

/** Callbacks of {@link PcmPlayback}. */
export interface PlaybackListener {
  /** The first sample of a response left the worklet. */
  started(responseId: string, itemId: string): void;
  /** A response's audio played to its end (its end marker was reached). */
  ended(responseId: string): void;
}

/** How long `clear()`/`status()` wait for the audio thread before answering from what is known. */
const REPORT_TIMEOUT_MS = 500;

const IDLE_REPORT: PlaybackReport = { active: false, itemId: null, responseId: null, playedMs: 0, bufferedMs: 0, underruns: 0 };

/** A playback node; connect `node` to the output level's analyser (and that to the destination). */
export class PcmPlayback {
  readonly node: AudioWorkletNode;
  #pending = new Map<number, (report: PlaybackReport) => void>();
  #nextId = 0;
  #disposed = false;

  private constructor(node: AudioWorkletNode, listener: PlaybackListener) {
    this.node = node;
    node.port.onmessage = (event: MessageEvent<PlaybackMessage>) => {
      const message = event.data;
      if (this.#disposed) return;
      switch (message.type) {
        case 'started':
          listener.started(message.responseId, message.itemId);
          break;
        case 'ended':
          listener.ended(message.responseId);
          break;
        case 'cleared':
        case 'status': {
          const { type: _type, id, ...report } = message;
          this.#settle(id, report);
          break;
        }
        default:
          break;
      }
    };
  }

  /** Loads the worklet (once per context) and creates the node. */
  static async create(context: BaseAudioContext, listener: PlaybackListener, options: PcmPlaybackOptions = {}): Promise<PcmPlayback> {
    await loadProcessors(context);
    const processorOptions: PlaybackProcessorOptions = { sourceRate: options.sourceRate ?? 24_000, startMs: options.startMs ?? 80 };
    const node = new AudioWorkletNode(context, PLAYBACK_PROCESSOR, {
      numberOfInputs: 0,
      numberOfOutputs: 1,
      outputChannelCount: [1],
      processorOptions,
    });
    return new PcmPlayback(node, listener);
  }

  /** Queues one delta of PCM16 (the buffer is transferred: do not use it afterwards). */
  push(responseId: string, itemId: string, pcm: ArrayBuffer): void {
    if (this.#disposed) return;
    this.node.port.postMessage({ type: 'push', responseId, itemId, pcm }, [pcm]);
  }

  /** Marks the end of a response's audio: once played out, `ended` fires. */
  end(responseId: string): void {
    if (!this.#disposed) this.node.port.postMessage({ type: 'end', responseId });
  }

  /** Drops everything queued at once and reports what had been heard. */
  clear(): Promise<PlaybackReport> {
    return this.#ask('clear');
  }

  /** Reports without changing anything. */
  status(): Promise<PlaybackReport> {
    return this.#ask('status');
  }

  /** Stops the processor and disconnects; idempotent. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.node.port.postMessage({ type: 'stop' });
    this.node.port.onmessage = null;
    try {
      this.node.disconnect();
    } catch {
      // Its context may be closed already.
    }
    for (const id of [...this.#pending.keys()]) this.#settle(id, IDLE_REPORT);
  }

  #ask(type: 'clear' | 'status'): Promise<PlaybackReport> {
    if (this.#disposed) return Promise.resolve(IDLE_REPORT);
    const id = (this.#nextId += 1);
    return new Promise<PlaybackReport>((resolve) => {
      // A suspended or closed context may never answer; an idle report is the safe answer then.
      const timer = setTimeout(() => this.#settle(id, IDLE_REPORT), REPORT_TIMEOUT_MS);
      this.#pending.set(id, (report) => {
        clearTimeout(timer);
        resolve(report);
      });
      this.node.port.postMessage({ type, id });
    });
  }

  #settle(id: number, report: PlaybackReport): void {
    const done = this.#pending.get(id);
    this.#pending.delete(id);
    done?.(report);
  }
}
