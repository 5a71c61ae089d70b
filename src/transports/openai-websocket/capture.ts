/**
 * Main-thread side of the capture worklet: connect an audio source, receive PCM16 chunks at 24 kHz.
 * @packageDocumentation
 */
import { CAPTURE_PROCESSOR, type CaptureProcessorOptions } from './processors.js';
import { loadProcessors } from './worklet-module.js';

/** Options of {@link PcmCapture}. */
export interface PcmCaptureOptions {
  /** Size of each chunk posted to the main thread, in ms (default 40). */
  chunkMs?: number;
  /** Output rate (default 24 000, what OpenAI's `audio/pcm` expects). */
  targetRate?: number;
  /** Start muted: chunks carry silence. */
  muted?: boolean;
  /** Start with chunks flowing (default true); false holds them back until `setSending(true)`. */
  sending?: boolean;
}

/** How long a flush may take before we stop waiting for the audio thread (a closed context never answers). */
const FLUSH_TIMEOUT_MS = 1000;

/** Resamples whatever is connected to it to mono PCM16 and hands out chunks. */
export class PcmCapture {
  readonly node: AudioWorkletNode;
  #source: AudioNode | null = null;
  #flushes = new Map<number, () => void>();
  #nextId = 0;
  #disposed = false;

  private constructor(node: AudioWorkletNode, onChunk: (pcm: ArrayBuffer) => void) {
    this.node = node;
    node.port.onmessage = (event: MessageEvent<{ type: string; pcm?: ArrayBuffer; id?: number }>) => {
      const message = event.data;
      if (message.type === 'chunk' && message.pcm && !this.#disposed) onChunk(message.pcm);
      else if (message.type === 'flushed') this.#settle(message.id!);
    };
  }

  /** Loads the worklet (once per context) and creates the node; nothing flows until `connect()`. */
  static async create(context: BaseAudioContext, onChunk: (pcm: ArrayBuffer) => void, options: PcmCaptureOptions = {}): Promise<PcmCapture> {
    await loadProcessors(context);
    const processorOptions: CaptureProcessorOptions = {
      targetRate: options.targetRate ?? 24_000,
      chunkMs: options.chunkMs ?? 40,
      muted: options.muted ?? false,
      sending: options.sending ?? true,
    };
    const node = new AudioWorkletNode(context, CAPTURE_PROCESSOR, {
      numberOfInputs: 1,
      numberOfOutputs: 0,
      // Web Audio mixes a stereo microphone down to mono before the processor sees it.
      channelCount: 1,
      channelCountMode: 'explicit',
      channelInterpretation: 'speakers',
      processorOptions,
    });
    return new PcmCapture(node, onChunk);
  }

  /** Feeds `source` (a microphone's MediaStreamAudioSourceNode, or any node) in place of the previous one. */
  connect(source: AudioNode | null): void {
    if (this.#source === source) return;
    if (this.#source) safeDisconnect(this.#source, this.node);
    this.#source = source;
    source?.connect(this.node);
  }

  /** Muted chunks keep flowing but carry zeros, so server VAD sees silence rather than a gap. */
  setMuted(muted: boolean): void {
    this.node.port.postMessage({ type: 'muted', muted });
  }

  /** Stops or resumes chunks altogether (push-to-talk with turn detection off). */
  setSending(sending: boolean): void {
    this.node.port.postMessage({ type: 'sending', sending });
  }

  /**
   * Posts the partly filled chunk now. Resolves once every chunk captured before the call has reached
   * `onChunk` (the port keeps order), so a commit sent after it includes the end of the speech.
   */
  flush(): Promise<void> {
    if (this.#disposed) return Promise.resolve();
    const id = (this.#nextId += 1);
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.#settle(id), FLUSH_TIMEOUT_MS);
      this.#flushes.set(id, () => {
        clearTimeout(timer);
        resolve();
      });
      this.node.port.postMessage({ type: 'flush', id });
    });
  }

  /** Stops the processor and disconnects; idempotent. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.node.port.postMessage({ type: 'stop' });
    this.connect(null);
    // The port stays open so `stop` arrives; the processor then returns false and can be collected.
    this.node.port.onmessage = null;
    for (const id of [...this.#flushes.keys()]) this.#settle(id);
  }

  #settle(id: number): void {
    const done = this.#flushes.get(id);
    this.#flushes.delete(id);
    done?.();
  }
}

function safeDisconnect(source: AudioNode, destination: AudioNode): void {
  try {
    source.disconnect(destination);
  } catch {
    // Already disconnected (its context closed, or a device swap got there first).
  }
}
