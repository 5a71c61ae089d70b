/**
 * Which response's audio is arriving, playing, or to be thrown away, and the `audio:*` events and
 * truncations that follow from it. The WebSocket carries audio as events, so unlike WebRTC the client
 * decides what is heard: after an interrupt or a barge-in, late deltas of that response are dropped.
 * It also remembers which of our own requests answer for their errors themselves.
 * @packageDocumentation
 */
import type { ClientEvent } from '../openai-webrtc/client-events.js';
import type { RealtimeTransportEventMap, RealtimeTransportEventName } from '../types.js';
import type { AudioPipeline } from './audio-pipeline.js';
import { decodeBase64 } from './base64.js';
import { OpenAIWebSocketError } from './errors.js';
import type { PlaybackListener } from './playback.js';
import type { ServerEvent } from './realtime-socket.js';

/** What {@link ResponseAudio} needs from the transport. */
export interface ResponseAudioHost {
  emit<K extends RealtimeTransportEventName>(name: K, payload: RealtimeTransportEventMap[K]): void;
  /** Sends `conversation.item.truncate` if the socket is still open. */
  truncate(itemId: string, audioEndMs: number): void;
}

/** Responses remembered as discarded; older ones cannot send deltas any more. */
const MAX_REMEMBERED = 32;
/** How long a truncation waits for the cancelled response to settle before it is sent anyway. */
const SETTLE_TIMEOUT_MS = 2000;

export class ResponseAudio {
  /** The response the server is generating (between `response.created` and `response.done`). */
  #active: string | null = null;
  /** Responses whose audio reached the playback and whose end marker was not sent yet. */
  #withAudio = new Set<string>();
  #discarded = new Set<string>();
  /** The response the user hears now (between the worklet's `started` and `ended`). */
  #playing: string | null = null;
  /** Our `response.cancel` event ids: their "not active" errors are a race, not a failure. */
  #cancels = new Set<string>();
  /** Event ids of requests whose errors their callers report. */
  #claimed = new Set<string>();
  /** Callers waiting for a response's `response.done`. */
  #settling = new Map<string, Array<() => void>>();

  constructor(private readonly host: ResponseAudioHost) {}

  /** Callbacks for the playback worklet; `pipeline()` gives the current pipeline. */
  listener(pipeline: () => AudioPipeline | null): PlaybackListener {
    return {
      started: (responseId) => {
        if (this.#discarded.has(responseId)) return;
        this.#playing = responseId;
        pipeline()?.outputLevel.setActive(true);
        this.host.emit('audio:start', { responseId });
      },
      ended: (responseId) => {
        if (this.#playing !== responseId) return;
        this.#playing = null;
        pipeline()?.outputLevel.setActive(false);
        this.host.emit('audio:end', { responseId, reason: 'stopped' });
      },
    };
  }

  /** A `response.output_audio.delta`: base64 PCM16 for one item of one response. */
  delta(pipeline: AudioPipeline | null, event: ServerEvent, onError: (error: Error) => void): void {
    const responseId = event.response_id;
    const itemId = event.item_id;
    if (!pipeline || typeof responseId !== 'string' || typeof itemId !== 'string' || typeof event.delta !== 'string') return;
    if (this.#discarded.has(responseId)) return;
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = decodeBase64(event.delta);
    } catch {
      onError(new OpenAIWebSocketError('server_error', 'An audio delta was not valid base64; it was skipped.'));
      return;
    }
    // Whole 16-bit samples only, in a buffer of their own (it is transferred to the audio thread).
    const length = bytes.byteLength - (bytes.byteLength % 2);
    if (length === 0) return;
    const pcm = bytes.byteOffset === 0 && bytes.buffer.byteLength === length ? bytes.buffer : bytes.slice(0, length).buffer;
    this.#withAudio.add(responseId);
    pipeline.playback.push(responseId, itemId, pcm);
  }

  /** `response.created` / `response.done`: the end of a response's audio is known at its `done`. */
  lifecycle(pipeline: AudioPipeline | null, event: ServerEvent): void {
    const response = typeof event.response === 'object' && event.response !== null ? (event.response as { id?: unknown }) : {};
    if (typeof response.id !== 'string') return;
    if (event.type === 'response.created') {
      this.#active = response.id;
      return;
    }
    if (this.#active === response.id) this.#active = null;
    this.#settle(response.id);
    if (this.#withAudio.delete(response.id) && !this.#discarded.has(response.id)) pipeline?.playback.end(response.id);
  }

  /**
   * Marks every response we know of as discarded, so deltas still in flight are dropped. Returns
   * whether the server is still generating one (then a `response.cancel` is due).
   */
  discardAll(): boolean {
    for (const id of [this.#active, this.#playing, ...this.#withAudio]) if (id) this.#remember(this.#discarded, id);
    this.#withAudio.clear();
    return this.#active !== null;
  }

  /** Registers our `response.cancel` so a "no active response" answer to it is not reported. */
  cancelEvent(event: ClientEvent): ClientEvent {
    if (event.event_id) this.#remember(this.#cancels, event.event_id);
    return event;
  }

  /** Registers a request whose error its caller reports itself (a `session.update` promise). */
  claim(eventId: string): void {
    this.#remember(this.#claimed, eventId);
  }

  /**
   * True for errors not to report as `error` events: a cancel that lost the race with the response's
   * own end, or the answer to a claimed request (its promise rejects instead).
   */
  isOwnError(event: ServerEvent): boolean {
    const body = typeof event.error === 'object' && event.error !== null ? (event.error as Record<string, unknown>) : {};
    if (typeof body.event_id !== 'string') return false;
    if (this.#claimed.has(body.event_id)) return true;
    return this.#cancels.has(body.event_id) && body.code === 'response_cancel_not_active';
  }

  /**
   * Flushes playback at once. `audio:end` goes out if something was audible; with `truncate`, the item
   * being heard is cut to what the user actually heard (played minus the output latency).
   */
  async stop(pipeline: AudioPipeline | null, reason: 'interrupted' | 'disconnected', truncate: boolean): Promise<void> {
    if (!pipeline) return;
    const generating = this.#active;
    const report = await pipeline.playback.clear();
    const playing = this.#playing;
    this.#playing = null;
    pipeline.outputLevel.setActive(false);
    if (playing) this.host.emit('audio:end', { responseId: playing, reason });
    if (truncate && report.active && report.itemId) {
      // The item is final once its response is done (cancelled); truncating it earlier races the
      // provider's own bookkeeping of the item (the emulator refuses an item still in progress).
      if (generating) await this.#settled(generating);
      const latencyMs = Math.round((pipeline.context.outputLatency || 0) * 1000);
      this.host.truncate(report.itemId, Math.max(0, report.playedMs - latencyMs));
    }
  }

  /** Forgets per-connection state (a new socket starts with no responses). */
  reset(): void {
    this.#active = null;
    this.#withAudio.clear();
    this.#cancels.clear();
    this.#claimed.clear();
    for (const id of [...this.#settling.keys()]) this.#settle(id);
  }

  #settled(responseId: string): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.#settle(responseId), SETTLE_TIMEOUT_MS);
      const waiting = this.#settling.get(responseId) ?? [];
      waiting.push(() => {
        clearTimeout(timer);
        resolve();
      });
      this.#settling.set(responseId, waiting);
    });
  }

  #settle(responseId: string): void {
    const waiting = this.#settling.get(responseId);
    this.#settling.delete(responseId);
    for (const done of waiting ?? []) done();
  }

  #remember(set: Set<string>, id: string): void {
    set.add(id);
    if (set.size > MAX_REMEMBERED) set.delete(set.values().next().value!);
  }
}
