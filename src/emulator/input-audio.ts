import type { Conversation } from './conversation.js';
import { newId } from './ids.js';
import { standInTranscript, type Responder } from './responder.js';
import { transcriptionEnabled, turnDetection, vadSettings } from './session-config.js';
import type { ConversationItem, ServerEventInit, SessionObject } from './types.js';
import { EnergyVad, type VadEvent } from './vad.js';

/** What the input side needs from its session. */
export interface InputAudioHost {
  readonly config: SessionObject;
  readonly conversation: Conversation;
  readonly responder: Responder;
  emit(event: ServerEventInit): void;
  error(code: string, message: string, options?: { param?: string; eventId?: string }): void;
  /** The user barged in: stop the assistant's audio (WebRTC clears its output buffer). */
  interruptPlayback(): void;
}

/** The API refuses to commit less than this. */
const MIN_COMMIT_MS = 100;

/**
 * The input audio buffer: microphone audio from the WebRTC track or `input_audio_buffer.append`,
 * turn detection over it, and commits that become user items (with the emulator's stand-in
 * transcription) and, when the session says so, responses. No audio is kept: the emulator only
 * needs to know how much speech there was.
 *
 * Server VAD's `idle_timeout_ms` is kept here too: once the assistant's last response has finished
 * playing, that much input audio without speech (counted in audio time, like the VAD) triggers
 * `input_audio_buffer.timeout_triggered`, commits the silent buffer as a user item and asks for a
 * response, as OpenAI documents it. The silent item gets no transcription: there was nothing to hear.
 */
export class InputAudio {
  readonly #vad = new EnergyVad();
  #bufferedMs = 0;
  #turnItemId: string | undefined;
  /** Audio time the idle window opened (the last response finished playing); undefined while closed. */
  #idleSince: number | undefined;

  constructor(private readonly host: InputAudioHost) {}

  /** Milliseconds of audio received since the session began (track or appends). */
  get receivedMs(): number {
    return this.#vad.clockMs;
  }

  /** Milliseconds of audio in the buffer: received since the last commit or clear. */
  get bufferedMs(): number {
    return this.#bufferedMs;
  }

  /** Feeds mono samples; emits turn events as the VAD finds them. */
  append(samples: Int16Array, sampleRate: number): void {
    if (samples.length === 0 || sampleRate <= 0) return;
    this.#bufferedMs += (samples.length / sampleRate) * 1000;
    for (const event of this.#vad.feed(samples, sampleRate, vadSettings(this.host.config))) this.#onVad(event);
    this.#checkIdle();
  }

  /** The assistant's last response finished playing (or was cut off): the idle timeout counts from here. */
  openIdleWindow(): void {
    this.#idleSince = this.#vad.clockMs;
  }

  /** A response started: nothing is idle until it has ended. */
  closeIdleWindow(): void {
    this.#idleSince = undefined;
  }

  /** `input_audio_buffer.commit` from the client (push-to-talk, or forcing the end of a turn). */
  commit(clientEventId?: string): void {
    if (this.#bufferedMs < MIN_COMMIT_MS) {
      this.host.error(
        'input_audio_buffer_commit_empty',
        `Error committing input audio buffer: buffer too small. Expected at least ${MIN_COMMIT_MS}ms of audio, but buffer only has ${this.#bufferedMs.toFixed(2)}ms of audio.`,
        { eventId: clientEventId },
      );
      return;
    }
    const itemId = this.#turnItemId ?? newId('item');
    this.#vad.reset();
    this.#commitTurn(itemId, this.#bufferedMs, false);
  }

  /** `input_audio_buffer.clear`. */
  clear(): void {
    this.#bufferedMs = 0;
    this.#turnItemId = undefined;
    this.#vad.reset();
    this.host.emit({ type: 'input_audio_buffer.cleared' });
  }

  #onVad(event: VadEvent): void {
    const { host } = this;
    if (event.type === 'speech_started') {
      this.#idleSince = undefined;
      this.#turnItemId = newId('item');
      host.emit({ type: 'input_audio_buffer.speech_started', audio_start_ms: Math.round(event.audioStartMs), item_id: this.#turnItemId });
      if (turnDetection(host.config)?.interrupt_response !== false) {
        host.responder.cancel('turn_detected');
        host.interruptPlayback();
      }
      return;
    }
    const itemId = this.#turnItemId ?? newId('item');
    host.emit({ type: 'input_audio_buffer.speech_stopped', audio_end_ms: Math.round(event.audioEndMs), item_id: itemId });
    this.#commitTurn(itemId, event.speechMs, turnDetection(host.config)?.create_response !== false);
  }

  /** Fires server VAD's idle timeout when the window has been open that long with nobody speaking. */
  #checkIdle(): void {
    const since = this.#idleSince;
    if (since === undefined || this.#vad.speaking) return;
    const detection = turnDetection(this.host.config);
    const timeoutMs = detection?.type === 'server_vad' ? detection.idle_timeout_ms : undefined;
    if (typeof timeoutMs !== 'number' || timeoutMs <= 0) return;
    const now = this.#vad.clockMs;
    if (now - since < timeoutMs) return;
    this.#idleSince = undefined;
    const itemId = newId('item');
    this.host.emit({ type: 'input_audio_buffer.timeout_triggered', audio_start_ms: Math.round(since), audio_end_ms: Math.round(now), item_id: itemId });
    this.#commitTurn(itemId, this.#bufferedMs, detection?.create_response !== false, false);
  }

  #commitTurn(itemId: string, speechMs: number, respond: boolean, transcribe = true): void {
    const { host } = this;
    this.#bufferedMs = 0;
    this.#turnItemId = undefined;
    // A turn is in: the next response's end opens the next idle window.
    this.#idleSince = undefined;
    const item: ConversationItem = {
      id: itemId,
      object: 'realtime.item',
      type: 'message',
      role: 'user',
      status: 'completed',
      content: [{ type: 'input_audio' }],
    };
    const previous = host.conversation.lastId;
    host.conversation.insert(item);
    host.conversation.meta(itemId).inputAudioMs = Math.round(speechMs);
    host.emit({ type: 'input_audio_buffer.committed', item_id: itemId, previous_item_id: previous });
    host.emit({ type: 'conversation.item.added', previous_item_id: previous, item });
    host.emit({ type: 'conversation.item.done', previous_item_id: previous, item });
    if (transcribe && transcriptionEnabled(host.config)) {
      const transcript = standInTranscript(speechMs);
      for (const match of transcript.matchAll(/\S+\s*/g)) {
        host.emit({ type: 'conversation.item.input_audio_transcription.delta', item_id: itemId, content_index: 0, delta: match[0] });
      }
      // The stored item gains its transcript now, as OpenAI's does; clients fetch it with retrieve.
      item.content = [{ type: 'input_audio', transcript }];
      host.emit({
        type: 'conversation.item.input_audio_transcription.completed',
        item_id: itemId,
        content_index: 0,
        transcript,
        usage: { type: 'duration', seconds: Math.round(speechMs) / 1000 },
      });
    }
    if (respond) {
      // A response still finishing (turn detection without interruption) goes first.
      void host.responder.idle().then(() => host.responder.createAutomatic());
    }
  }
}
