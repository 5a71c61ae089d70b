import { SessionChannels, type SessionChannel, type SidebandHandle } from './channels.js';
import { normaliseClientItem } from './client-items.js';
import { Conversation } from './conversation.js';
import { SessionFaults, type EmulatorFaults } from './faults.js';
import { newId } from './ids.js';
import { InputAudio } from './input-audio.js';
import { Outbox } from './outbox.js';
import { decodeAudio, formatSampleRate } from './pcm.js';
import { SessionRecorder, type EmulatorEventRecord, type EmulatorViolation, type EventValidator } from './recorder.js';
import { Responder, type TrackAudioOutput } from './responder.js';
import type { EmulatorScenario } from './scenario.js';
import { applySessionUpdate, inputFormat } from './session-config.js';
import { DEFAULT_MAX_SESSION_SECONDS, SessionLimit, sessionExpiredMessage } from './session-limit.js';
import { isJsonObject, type ConversationItem, type JsonObject, type ServerEventInit, type SessionObject, type TransportKind } from './types.js';

export type { SessionChannel, SidebandHandle } from './channels.js';

/** A session as listed by `sessions()` and `GET /_emulator/sessions`. */
export interface EmulatorSessionInfo {
  /** The session id (`sess_…`, or `live_…` for GPT-Live), as in `session.created` / `session.started`. */
  id: string;
  /** `live` for a GPT-Live session (`POST /v1/live/sessions`); absent for Realtime. */
  api?: 'live';
  transport: TransportKind;
  /** For WebRTC: the call id from the `Location` header (`rtc_…`). */
  callId?: string;
  model: string;
  state: 'connecting' | 'open' | 'closed';
  /** Epoch milliseconds. */
  createdAt: number;
  closedAt?: number;
  closeReason?: string;
  eventsSent: number;
  eventsReceived: number;
  /** Server-side control connections (`/v1/realtime?call_id=…`) attached right now. */
  sidebands: number;
  violationCount: number;
  /** Microphone audio so far, in ms: all of it, and what the input buffer holds (since the last commit or clear). */
  inputAudio: { receivedMs: number; bufferedMs: number };
}

/** Everything recorded about a session, as `events(id)` and `GET /_emulator/sessions/:id/events` return it. */
export interface EmulatorSessionLog extends EmulatorSessionInfo {
  /** The current session configuration (what `session.updated` last said). */
  session: SessionObject;
  /** The conversation items in order, including those a reconnecting client replayed. */
  items: ConversationItem[];
  /** Every event both ways, oldest first (long strings such as audio are shortened). */
  events: EmulatorEventRecord[];
  /** Events that failed schema validation (only with `validate: true`). */
  violations: EmulatorViolation[];
  faults: EmulatorFaults;
}

export interface SessionOptions {
  transport: TransportKind;
  config: SessionObject;
  scenario: EmulatorScenario | undefined;
  faults: EmulatorFaults;
  validator: EventValidator | undefined;
  callId?: string;
  /** The provider's cap on the session's length, in seconds (default 3600; a fault may override it). */
  maxSessionSeconds?: number;
}

/** Client frames larger than this are refused (OpenAI's limit for one audio append is 15 MiB). */
export const MAX_CLIENT_FRAME = 16 * 1024 * 1024;

const CLIENT_EVENT_TYPES = [
  'session.update',
  'conversation.item.create',
  'conversation.item.retrieve',
  'conversation.item.truncate',
  'conversation.item.delete',
  'input_audio_buffer.append',
  'input_audio_buffer.commit',
  'input_audio_buffer.clear',
  'output_audio_buffer.clear',
  'response.create',
  'response.cancel',
];

/**
 * The protocol state machine of one Realtime session, shared by WebRTC and WebSocket: it parses
 * client events, keeps the session config and the conversation, and drives responses and turn
 * detection. Transports only move frames and audio in and out.
 */
export class EmulatorSession {
  readonly id: string;
  readonly transport: TransportKind;
  readonly callId: string | undefined;
  readonly createdAt = Date.now();
  readonly conversationId = newId('conv');
  readonly conversation = new Conversation();
  readonly recorder: SessionRecorder;
  readonly faults: SessionFaults;
  readonly responder: Responder;
  readonly input: InputAudio;
  readonly scenario: EmulatorScenario | undefined;
  config: SessionObject;
  trackAudio: TrackAudioOutput | undefined;
  state: EmulatorSessionInfo['state'] = 'connecting';
  closedAt: number | undefined;
  closeReason: string | undefined;
  readonly #channels = new SessionChannels();
  /** The connection whose event is being handled: errors answering it go there only. */
  #replyTo: SessionChannel | undefined;
  #received = 0;
  #sent = 0;
  /** Between a response's start and its `response.done` (the responder's own flag clears a tick later). */
  #responding = false;
  readonly #outbox: Outbox;
  readonly #closeListeners = new Set<(reason: string) => void>();
  readonly #limit: SessionLimit;
  readonly #maxSessionSeconds: number;

  constructor(options: SessionOptions) {
    this.config = options.config;
    this.id = options.config.id;
    this.transport = options.transport;
    this.callId = options.callId;
    this.scenario = options.scenario;
    this.recorder = new SessionRecorder(this.id, options.validator);
    this.faults = new SessionFaults(options.faults);
    const session = this;
    this.#outbox = new Outbox(
      {
        get open() {
          return session.state !== 'closed' && session.#channels.anyOpen;
        },
        sendFrame: (text, to) => {
          this.#sent += 1;
          this.#channels.send(text, to);
        },
        drop: (reason) => this.drop(reason),
      },
      this.recorder,
      this.faults,
    );
    this.responder = new Responder(this);
    this.input = new InputAudio(this);
    this.#maxSessionSeconds = options.maxSessionSeconds ?? DEFAULT_MAX_SESSION_SECONDS;
    this.#limit = new SessionLimit(this.createdAt, (seconds) => this.expire(seconds));
  }

  /** The session's cap in seconds: a fault's, else the emulator's. */
  get maxSessionSeconds(): number {
    return this.faults.maxSessionSeconds ?? this.#maxSessionSeconds;
  }

  /** Starts talking over `channel`: the session is open and `session.created` goes out. */
  attach(channel: SessionChannel): void {
    if (this.state === 'closed') {
      channel.drop();
      return;
    }
    this.#channels.client = channel;
    this.state = 'open';
    this.#limit.arm(this.maxSessionSeconds);
    if (this.faults.dropNow) {
      this.drop('fault: dropped before the first event');
      return;
    }
    this.emit({ type: 'session.created', session: this.config });
  }

  /**
   * Joins a server-side control connection to this call: it gets every server event from now on and
   * its client events act on the session. It may join before the client's data channel opens (the
   * server creates the call, then joins): what it causes meanwhile reaches it alone.
   */
  attachSideband(channel: SessionChannel): SidebandHandle {
    if (this.state === 'closed') {
      channel.drop();
      return { receive: () => {}, detach: () => {} };
    }
    this.#channels.addSideband(channel);
    return {
      receive: (text) => {
        if (this.#channels.isSideband(channel)) this.receive(text, channel);
      },
      detach: () => this.#channels.removeSideband(channel),
    };
  }

  /**
   * Sends one server event through the outbox (faults, recording, validation) to every connection,
   * or to `to` alone.
   */
  emit(event: ServerEventInit, to?: SessionChannel): void {
    if (this.state === 'closed') return;
    this.#outbox.send(event, to);
  }

  /** Sends raw frames past the protocol (fault suites); returns how many went out. */
  inject(frames: readonly string[]): number {
    if (this.state !== 'open') return 0;
    return this.#outbox.injectRaw(frames);
  }

  /**
   * Sends an OpenAI-style `error` event: to the connection whose event caused it when there is one
   * (a control connection's mistake is not the client's business), else to all.
   */
  error(code: string, message: string, options: { param?: string; eventId?: string; type?: string } = {}): void {
    const error = {
      type: options.type ?? 'invalid_request_error',
      code,
      message,
      param: options.param ?? null,
      event_id: options.eventId ?? null,
    };
    this.emit({ type: 'error', error }, this.#replyTo);
  }

  /** The player started or finished this response's audio on the WebRTC track. */
  playbackStarted(responseId: string): void {
    this.emit({ type: 'output_audio_buffer.started', response_id: responseId });
  }

  playbackStopped(responseId: string): void {
    this.emit({ type: 'output_audio_buffer.stopped', response_id: responseId });
    // An earlier reply that stops while a newer one runs opens nothing: the newer one's end will.
    if (!this.#responding) this.input.openIdleWindow();
  }

  interruptPlayback(): void {
    const cleared = this.trackAudio?.clear();
    if (cleared) this.emit({ type: 'output_audio_buffer.cleared', response_id: cleared });
  }

  /**
   * A response ended. Its audio still playing on the WebRTC track opens the idle window when it
   * stops; otherwise (WebSocket, text, cut off) the window opens now.
   */
  responseEnded(audioStillPlaying: boolean): void {
    this.#responding = false;
    if (!audioStillPlaying) this.input.openIdleWindow();
  }

  responseStarted(): void {
    this.#responding = true;
    this.input.closeIdleWindow();
  }

  /**
   * Handles one text frame from the client (or from the control connection `from`). Never throws:
   * a bad frame gets an `error` event.
   */
  receive(text: string, from?: SessionChannel): void {
    const sideband = from !== undefined && this.#channels.isSideband(from);
    if (sideband ? this.state === 'closed' : this.state !== 'open') return;
    this.#replyTo = from ?? this.#channels.client;
    try {
      this.#handle(text, sideband);
    } finally {
      this.#replyTo = undefined;
    }
  }

  #handle(text: string, sideband: boolean): void {
    this.#received += 1;
    if (text.length > MAX_CLIENT_FRAME) {
      this.recorder.clientUnparseable(text, 'frame too large');
      this.error('invalid_request_error', `Client event too large: ${text.length} bytes (limit ${MAX_CLIENT_FRAME}).`);
      return;
    }
    let event: unknown;
    try {
      event = JSON.parse(text);
    } catch (error) {
      this.recorder.clientUnparseable(text, `not JSON: ${(error as Error).message}`);
      this.error('invalid_json', `The server could not parse the client event as JSON: ${(error as Error).message}`);
      return;
    }
    this.recorder.client(event, sideband ? 'sideband' : undefined);
    try {
      this.#dispatch(event);
    } catch (error) {
      const eventId = isJsonObject(event) && typeof event.event_id === 'string' ? event.event_id : undefined;
      this.error('server_error', `The emulator failed handling this event: ${String(error)}`, { type: 'server_error', eventId });
    }
  }

  /** Microphone samples from the WebRTC track. Called from a native callback, so it must not throw. */
  appendTrackAudio(samples: Int16Array, sampleRate: number): void {
    if (this.state !== 'open') return;
    try {
      this.input.append(samples, sampleRate);
    } catch (error) {
      this.error('server_error', `The emulator failed handling microphone audio: ${String(error)}`, { type: 'server_error' });
    }
  }

  /** Replaces this session's faults (counters restart). */
  setFaults(faults: EmulatorFaults): void {
    this.faults.set(faults);
    if (this.state === 'open') this.#limit.arm(this.maxSessionSeconds);
    if (this.state === 'open' && this.faults.dropNow) this.drop('fault: dropped on request');
  }

  /**
   * The session reached its cap: OpenAI's `error` `session_expired` goes to every connection, then
   * the session closes (the WebSocket with code 1001 and the same text, a WebRTC call hangs up).
   */
  expire(seconds = this.maxSessionSeconds): void {
    if (this.state !== 'open') return;
    const message = sessionExpiredMessage(seconds);
    this.emit({ type: 'error', error: { type: 'invalid_request_error', code: 'session_expired', message, param: null, event_id: null } });
    this.#channels.goodbye(1001, message);
    this.close('session expired');
  }

  onClose(listener: (reason: string) => void): () => void {
    this.#closeListeners.add(listener);
    return () => this.#closeListeners.delete(listener);
  }

  /** Ends the session abruptly (fault or hang-up): the transport is torn down without ceremony. */
  drop(reason: string): void {
    this.close(reason);
  }

  /** Ends the session and its transport. Idempotent. */
  close(reason: string): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.closedAt = Date.now();
    this.closeReason = reason;
    this.#limit.stop();
    this.#outbox.discard();
    this.responder.shutdown();
    this.#channels.dropAll();
    for (const listener of this.#closeListeners) {
      try {
        listener(reason);
      } catch {
        // Tearing down a transport is best effort; the session is closed either way.
      }
    }
    this.#closeListeners.clear();
  }

  info(): EmulatorSessionInfo {
    return {
      id: this.id,
      transport: this.transport,
      ...(this.callId ? { callId: this.callId } : {}),
      model: this.config.model,
      state: this.state,
      createdAt: this.createdAt,
      ...(this.closedAt ? { closedAt: this.closedAt } : {}),
      ...(this.closeReason ? { closeReason: this.closeReason } : {}),
      eventsSent: this.#sent,
      eventsReceived: this.#received,
      sidebands: this.#channels.sidebandCount,
      violationCount: this.recorder.violations.length,
      inputAudio: { receivedMs: Math.round(this.input.receivedMs), bufferedMs: Math.round(this.input.bufferedMs) },
    };
  }

  log(): EmulatorSessionLog {
    return {
      ...this.info(),
      session: structuredClone(this.config),
      items: structuredClone([...this.conversation.items]),
      events: [...this.recorder.events],
      violations: [...this.recorder.violations],
      faults: this.faults.current,
    };
  }

  #dispatch(event: unknown): void {
    if (!isJsonObject(event)) {
      this.error('invalid_request_error', 'Client event must be a JSON object.');
      return;
    }
    const eventId = typeof event.event_id === 'string' ? event.event_id : undefined;
    const fail = (code: string, message: string, param?: string): void => this.error(code, message, { eventId, param });
    switch (event.type) {
      case 'session.update':
        return this.#sessionUpdate(event.session, eventId);
      case 'conversation.item.create':
        return this.#itemCreate(event, eventId);
      case 'conversation.item.retrieve': {
        const item = typeof event.item_id === 'string' ? this.conversation.get(event.item_id) : undefined;
        if (!item) return fail('item_not_found', `Item with id '${String(event.item_id)}' not found.`, 'item_id');
        this.emit({ type: 'conversation.item.retrieved', item });
        return;
      }
      case 'conversation.item.delete': {
        if (typeof event.item_id !== 'string' || !this.conversation.delete(event.item_id)) {
          return fail('item_not_found', `Item with id '${String(event.item_id)}' not found.`, 'item_id');
        }
        this.emit({ type: 'conversation.item.deleted', item_id: event.item_id });
        return;
      }
      case 'conversation.item.truncate':
        return this.#truncate(event, eventId);
      case 'input_audio_buffer.append': {
        if (typeof event.audio !== 'string') return fail('missing_required_parameter', "Missing required parameter: 'audio'.", 'audio');
        const format = inputFormat(this.config);
        this.input.append(decodeAudio(event.audio, format), formatSampleRate(format));
        return;
      }
      case 'input_audio_buffer.commit':
        return this.input.commit(eventId);
      case 'input_audio_buffer.clear':
        return this.input.clear();
      case 'output_audio_buffer.clear': {
        if (!this.trackAudio) {
          return fail('invalid_request_error', 'output_audio_buffer.clear is only supported for WebRTC and SIP sessions.');
        }
        this.responder.cancel('client_cancelled');
        const cleared = this.trackAudio.clear() ?? this.responder.lastResponseId;
        if (cleared) this.emit({ type: 'output_audio_buffer.cleared', response_id: cleared });
        this.input.openIdleWindow();
        return;
      }
      case 'response.create':
        return this.responder.create(event.response, eventId);
      case 'response.cancel': {
        const active = this.responder.activeId;
        if (typeof event.response_id === 'string' && event.response_id !== active) {
          return fail('response_cancel_not_active', `Cancellation failed: response '${event.response_id}' is not active.`, 'response_id');
        }
        if (!this.responder.cancel('client_cancelled')) {
          return fail('response_cancel_not_active', 'Cancellation failed: no active response found');
        }
        return;
      }
      case undefined:
        return fail('missing_required_parameter', "Missing required parameter: 'type'.", 'type');
      default:
        return fail(
          'invalid_value',
          `Invalid value: '${String(event.type)}'. Supported values are: ${CLIENT_EVENT_TYPES.map((t) => `'${t}'`).join(', ')}.`,
          'type',
        );
    }
  }

  #sessionUpdate(patch: unknown, eventId: string | undefined): void {
    const result = applySessionUpdate(this.config, patch);
    if ('error' in result) {
      this.error(result.error.code, result.error.message, { param: result.error.param, eventId });
      return;
    }
    this.config = result.session;
    const stall = this.faults.stallSessionUpdated;
    if (stall === true) return;
    if (typeof stall === 'number' && stall > 0) {
      setTimeout(() => this.emit({ type: 'session.updated', session: this.config }), stall);
      return;
    }
    this.emit({ type: 'session.updated', session: this.config });
  }

  #itemCreate(event: JsonObject, eventId: string | undefined): void {
    const previousId = event.previous_item_id;
    if (previousId !== undefined && previousId !== null && typeof previousId !== 'string') {
      this.error('invalid_type', "Invalid type for 'previous_item_id': expected a string.", { param: 'previous_item_id', eventId });
      return;
    }
    const normalised = normaliseClientItem(event.item, this.conversation);
    if ('error' in normalised) {
      this.error(normalised.error.code, normalised.error.message, { param: normalised.error.param, eventId });
      return;
    }
    const { item } = normalised;
    const placed = this.conversation.insert(item, previousId ?? undefined);
    if ('error' in placed) {
      this.error('invalid_value', placed.error, { param: 'previous_item_id', eventId });
      return;
    }
    if (normalised.inputAudioMs) this.conversation.meta(item.id).inputAudioMs = Math.round(normalised.inputAudioMs);
    if (normalised.images) this.conversation.meta(item.id).images = normalised.images;
    this.emit({ type: 'conversation.item.added', previous_item_id: placed.previousItemId, item });
    this.emit({ type: 'conversation.item.done', previous_item_id: placed.previousItemId, item });
  }

  #truncate(event: JsonObject, eventId: string | undefined): void {
    const fail = (code: string, message: string, param?: string): void => this.error(code, message, { eventId, param });
    const { item_id: itemId, content_index: contentIndex, audio_end_ms: audioEndMs } = event;
    if (typeof itemId !== 'string') return fail('missing_required_parameter', "Missing required parameter: 'item_id'.", 'item_id');
    if (!Number.isInteger(contentIndex) || (contentIndex as number) < 0) {
      return fail('invalid_value', "Invalid 'content_index': expected a non-negative integer.", 'content_index');
    }
    if (!Number.isInteger(audioEndMs) || (audioEndMs as number) < 0) {
      return fail('invalid_value', "Invalid 'audio_end_ms': expected a non-negative integer.", 'audio_end_ms');
    }
    const item = this.conversation.get(itemId);
    if (!item) return fail('item_not_found', `Item with id '${itemId}' not found.`, 'item_id');
    const part = Array.isArray(item.content) ? (item.content as JsonObject[])[contentIndex as number] : undefined;
    if (item.type !== 'message' || item.role !== 'assistant' || part?.type !== 'output_audio') {
      return fail('invalid_value', 'Only assistant messages with audio content can be truncated.', 'item_id');
    }
    const audioMs = this.conversation.meta(itemId).audioMs ?? 0;
    // A few ms of slack: clients measure played audio with their own rounding.
    if ((audioEndMs as number) > audioMs + 5) {
      return fail('invalid_value', `Audio content of ${audioMs}ms is already shorter than ${audioEndMs as number}ms`, 'audio_end_ms');
    }
    if (typeof part.transcript === 'string' && audioMs > 0) {
      // OpenAI drops the unheard text; keeping the heard part in proportion is the emulator's approximation.
      const kept = Math.round((part.transcript.length * Math.min(audioEndMs as number, audioMs)) / audioMs);
      part.transcript = part.transcript.slice(0, kept);
    }
    this.conversation.meta(itemId).audioMs = Math.min(audioEndMs as number, audioMs);
    this.emit({ type: 'conversation.item.truncated', item_id: itemId, content_index: contentIndex, audio_end_ms: audioEndMs });
  }
}
