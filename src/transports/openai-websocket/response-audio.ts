/**
 * The WebSocket output audio path: the assistant's audio arrives as `response.output_audio.delta`
 * events and the page plays it (PCM16 through the playback worklet), so unlike WebRTC the page decides
 * what is heard. After an interrupt or a barge-in, late deltas of those responses are dropped, and the
 * heard item is truncated at the samples that actually left the worklet (minus the output latency).
 * It lives as long as the transport and is attached to each connection's protocol client.
 * @packageDocumentation
 */
import { outputDelayMs } from '../audio/output-delay.js';
import * as events from '../protocol/client-events.js';
import type { OutputAudioHost, OutputAudioPath, ServerEvent } from '../protocol/output-audio.js';
import type { AudioPipeline } from './audio-pipeline.js';
import { decodeBase64 } from './base64.js';
import { OpenAIWebSocketError } from './errors.js';
import type { PlaybackListener } from './playback.js';

/** What {@link PlaybackOutput} needs from the transport. */
export interface PlaybackOutputOptions {
  /** The current audio pipeline (null while none is open). */
  pipeline(): AudioPipeline | null;
  /** Whether the user's speech (server VAD `speech_started`) silences the assistant (`interruptResponse`). */
  bargeIn(): boolean;
}

/** Responses remembered as discarded; older ones cannot send deltas any more. */
const MAX_REMEMBERED = 32;
/** How long a truncation waits for the cancelled response to settle before it is sent anyway. */
const SETTLE_TIMEOUT_MS = 2000;

export class PlaybackOutput implements OutputAudioPath {
  #host: OutputAudioHost | undefined;
  /** Responses whose audio reached the playback and whose end marker was not sent yet. */
  #withAudio = new Set<string>();
  #discarded = new Set<string>();
  /** The response the user hears now (between the worklet's `started` and `ended`). */
  #playing: string | null = null;

  constructor(private readonly options: PlaybackOutputOptions) {}

  get playing(): boolean {
    return this.#playing !== null;
  }

  /** The response being heard, if any. */
  get playingResponse(): string | null {
    return this.#playing;
  }

  /** Callbacks for the playback worklet (it outlives connections; events go to the attached one). */
  listener(): PlaybackListener {
    return {
      started: (responseId) => {
        if (this.#discarded.has(responseId) || !this.#host) return;
        this.#playing = responseId;
        this.options.pipeline()?.outputLevel.setActive(true);
        this.#host.emit({ name: 'audio:start', payload: { responseId } });
      },
      ended: (responseId) => {
        if (this.#playing !== responseId) return;
        this.#playing = null;
        this.options.pipeline()?.outputLevel.setActive(false);
        this.#host?.emit({ name: 'audio:end', payload: { responseId, reason: 'stopped' } });
      },
    };
  }

  attach(host: OutputAudioHost): void {
    this.#host = host;
  }

  receive(event: ServerEvent): 'consumed' | undefined {
    switch (event.type) {
      case 'response.output_audio.delta':
        this.#delta(event);
        return 'consumed';
      case 'response.done': {
        // The end of a response's audio is known at its done: the worklet plays out, then says `ended`.
        const response = typeof event.response === 'object' && event.response !== null ? (event.response as { id?: unknown }) : {};
        const id = response.id;
        if (typeof id === 'string' && this.#withAudio.delete(id) && !this.#discarded.has(id)) this.options.pipeline()?.playback.end(id);
        return undefined;
      }
      case 'input_audio_buffer.speech_started':
        // The server cancels the response itself (interrupt_response); stopping local playback and
        // truncating to what was heard is the client's half of a barge-in over WebSocket.
        if (this.options.bargeIn()) {
          this.#discardAll();
          void this.#stop(true);
        }
        return undefined;
      default:
        return undefined;
    }
  }

  async interrupt(): Promise<void> {
    this.#discardAll();
    await this.#stop(true);
  }

  detach(): void {
    this.#discardAll();
    this.#host = undefined;
    this.#playing = null;
    const pipeline = this.options.pipeline();
    if (!pipeline) return;
    void pipeline.playback.clear();
    pipeline.outputLevel.setActive(false);
  }

  #delta(event: ServerEvent): void {
    const pipeline = this.options.pipeline();
    const responseId = event.response_id;
    const itemId = event.item_id;
    if (!pipeline || typeof responseId !== 'string' || typeof itemId !== 'string' || typeof event.delta !== 'string') return;
    if (this.#discarded.has(responseId)) return;
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = decodeBase64(event.delta);
    } catch {
      const error = new OpenAIWebSocketError('invalid_server_event', 'An audio delta was not valid base64; it was skipped.');
      this.#host?.emit({ name: 'error', payload: { error, code: error.code } });
      return;
    }
    // Whole 16-bit samples only, in a buffer of their own (it is transferred to the audio thread).
    const length = bytes.byteLength - (bytes.byteLength % 2);
    if (length === 0) return;
    const pcm = bytes.byteOffset === 0 && bytes.buffer.byteLength === length ? bytes.buffer : bytes.slice(0, length).buffer;
    this.#withAudio.add(responseId);
    pipeline.playback.push(responseId, itemId, pcm);
  }

  /** Marks every response we know of as discarded, so deltas still in flight are dropped. */
  #discardAll(): void {
    for (const id of [...(this.#host?.activeResponses ?? []), this.#playing, ...this.#withAudio]) if (id) this.#remember(id);
    this.#withAudio.clear();
  }

  /**
   * Flushes playback at once; `audio:end` (interrupted) goes out if something was audible. With
   * `truncate`, the heard item is cut to what the user actually heard.
   */
  async #stop(truncate: boolean): Promise<void> {
    const pipeline = this.options.pipeline();
    const host = this.#host;
    if (!pipeline || !host) return;
    const generating = host.activeResponses.values().next().value;
    const report = await pipeline.playback.clear();
    const playing = this.#playing;
    this.#playing = null;
    pipeline.outputLevel.setActive(false);
    if (playing) host.emit({ name: 'audio:end', payload: { responseId: playing, reason: 'interrupted' } });
    if (!truncate || !report.active || !report.itemId) return;
    // The item is final once its response is done (cancelled); truncating it earlier races the
    // provider's own bookkeeping of the item (the emulator refuses an item still in progress).
    if (generating) await settledWithin(host.responseSettled(generating), SETTLE_TIMEOUT_MS);
    // What left the worklet is ahead of the speaker by the context's output delay (ceil: never more than was heard).
    const unheardMs = Math.ceil(outputDelayMs(pipeline.context));
    host.sendBestEffort(events.truncate(report.itemId, Math.max(0, report.playedMs - unheardMs)));
  }

  #remember(id: string): void {
    this.#discarded.add(id);
    if (this.#discarded.size > MAX_REMEMBERED) this.#discarded.delete(this.#discarded.values().next().value!);
  }
}

function settledWithin(promise: Promise<void>, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    void promise.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
