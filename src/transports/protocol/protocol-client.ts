/**
 * The one protocol state machine every OpenAI adapter runs on, over one event channel (the WebRTC
 * `oai-events` data channel, a WebSocket, a test double): it sends client events, matches
 * acknowledgements to requests, keeps one response at a time, interrupts, replays a conversation, and
 * turns server events into transport events through {@link OpenAIServerEventMapper}. What differs
 * between adapters, how the assistant's audio reaches the user, is an {@link OutputAudioPath} option.
 * @packageDocumentation
 */
import type { OpenAIRealtimeSession } from '../../session/openai-session.js';
import { RealtimeTransportError } from '../errors.js';
import type { ConversationTurn, TransportImage } from '../types.js';
import * as events from './client-events.js';
import type { ClientEvent } from './client-events.js';
import type { OutputAudioHost, OutputAudioPath, ServerEvent } from './output-audio.js';
import { OpenAIServerError } from './server-error.js';
import { ResponseLedger } from './response-ledger.js';
import { OpenAIServerEventMapper, type TransportEmission } from './server-events.js';
import { ItemAcks, SessionAcks } from './session-acks.js';

/** What the client sends on: an `RTCDataChannel`, a WebSocket wrapper, or a test double. */
export interface EventChannel {
  send(data: string): void;
}

/** Options of {@link RealtimeProtocolClient}. */
export interface ProtocolClientOptions {
  channel: EventChannel;
  /** Receives every normalized event. */
  emit(emission: TransportEmission): void;
  /** How the assistant's audio reaches the user; without one the client handles no audio (text only). */
  audio?: OutputAudioPath;
  /** How long a `session.update` or a replayed item may wait for its acknowledgement, in ms. */
  sessionUpdateTimeoutMs: number;
}

type Json = Record<string, unknown>;

/** Ids remembered per kind (best-effort events, response requests, items); older ones are forgotten. */
const MAX_TRACKED = 64;

export class RealtimeProtocolClient {
  readonly #options: ProtocolClientOptions;
  #audio: OutputAudioPath | undefined;
  readonly #mapper = new OpenAIServerEventMapper();
  readonly #acks: SessionAcks;
  readonly #items: ItemAcks;
  readonly #responses = new ResponseLedger();
  /** The event id of our `response.create` not yet answered by `response.created` (or an error). */
  #requested: string | undefined;
  /** A response was asked for while one ran: it is created when the provider is free. */
  #deferred = false;
  /** Ids of events whose errors are expected races (cancelling a response that just ended, …). */
  readonly #bestEffort = new Set<string>();
  /** Client event ids of `response.create`, to tell their errors apart. */
  readonly #responseCreates = new Set<string>();
  /** The first assistant message item of each response (what a truncation names). */
  readonly #assistantItems = new Map<string, string>();
  #closed: Error | undefined;
  #sendingOwn = false;

  constructor(options: ProtocolClientOptions) {
    this.#options = options;
    this.#acks = new SessionAcks(options.sessionUpdateTimeoutMs);
    this.#items = new ItemAcks(options.sessionUpdateTimeoutMs);
    this.#audio = options.audio;
    this.#audio?.attach(this.#audioHost());
  }

  /**
   * Starts using an output audio path now: a connection prepared beside a live one (a rollover) gets
   * the transport's shared path only when it takes over, after the old connection let go of it.
   */
  adoptAudio(audio: OutputAudioPath): void {
    if (this.#closed || this.#audio === audio) return;
    this.#audio = audio;
    audio.attach(this.#audioHost());
  }

  /** True while the user hears the assistant (from the output audio path). */
  get playing(): boolean {
    return this.#audio?.playing ?? false;
  }

  /** True once {@link close} ran. */
  get closed(): boolean {
    return this.#closed !== undefined;
  }

  /**
   * Counts the `session.update` events someone else (the agents SDK) sends on `channel`, so acks
   * (which name no request) are matched in order. Wraps `channel.send`; call before anything is sent.
   */
  watchForeignSends(channel: { send(data: never): void }): void {
    const target = channel as unknown as { send(data: unknown): void };
    const original = target.send.bind(target);
    target.send = (data: unknown) => {
      if (!this.#sendingOwn && typeof data === 'string' && data.includes('"session.update"')) {
        try {
          const parsed = JSON.parse(data) as Json;
          if (parsed.type === 'session.update') this.#acks.add(typeof parsed.event_id === 'string' ? parsed.event_id : undefined, true, parsed.session);
        } catch {
          // Not ours to judge; the server will answer it.
        }
      }
      original(data);
    };
  }

  /** Feeds one server event (already parsed). Never throws. */
  receive(event: unknown): void {
    if (this.#closed || typeof event !== 'object' || event === null || Array.isArray(event)) return;
    const e = event as ServerEvent;
    try {
      if (typeof e.type !== 'string' || this.#track(e) === 'consumed') return;
      if (this.#audio?.receive(e) === 'consumed') return;
    } catch {
      return;
    }
    for (const emission of this.#mapper.map(event)) this.#forward(emission);
  }

  /**
   * Sends the whole session and resolves when the provider acknowledged it: the first `session.updated`
   * (in order) whose session does not contradict what was sent, so one caused by another sender on
   * the call (a server-side guard) is not taken for its answer.
   */
  updateSession(session: OpenAIRealtimeSession): Promise<void> {
    const event = events.sessionUpdate(session);
    const acked = this.#acks.wait(this.#acks.add(event.event_id, false, event.session));
    this.#send(event);
    return acked;
  }

  /** Resolves once every `session.update` sent so far (by anyone) was acknowledged. */
  settled(): Promise<void> {
    return this.#acks.settled();
  }

  sendText(text: string): void {
    this.#send(events.userTextItem(text));
    this.#requestResponse();
  }

  /**
   * Sends an image as a user message, then asks for a response unless `requestResponse` is false.
   * `maxEventBytes` is the channel's bound on one message (a data channel's `maxMessageSize`): a
   * larger event is refused here with `message_too_large` rather than failing in the channel.
   */
  sendImage(image: TransportImage, options: { text?: string; requestResponse?: boolean; maxEventBytes?: number } = {}): void {
    const event = events.userImageItem(image.dataUrl, image.detail, options.text);
    const json = JSON.stringify(event);
    const limit = options.maxEventBytes;
    const bytes = limit !== undefined && Number.isFinite(limit) && limit > 0 ? new TextEncoder().encode(json).length : 0;
    if (limit !== undefined && bytes > limit) {
      throw new RealtimeTransportError(
        'message_too_large',
        `The image event is ${bytes} bytes; this connection carries at most ${limit} bytes in one message. Send a smaller image (maxBytes).`,
      );
    }
    this.#sendRaw(event.type, json);
    if (options.requestResponse !== false) this.#requestResponse();
  }

  sendToolResult(callId: string, output: Record<string, unknown>, requestResponse: boolean): void {
    this.#send(events.functionCallOutput(callId, output));
    if (requestResponse) this.#requestResponse();
  }

  /** Appends base64 PCM16 to the provider's input buffer (the WebSocket's microphone). */
  appendInputAudio(audio: string): void {
    this.#send(events.inputAudioBufferAppend(audio));
  }

  startInputTurn(): void {
    this.#send(events.inputAudioBufferClear());
  }

  commitInputTurn(): void {
    this.#send(events.inputAudioBufferCommit());
    this.#requestResponse();
  }

  /** Clears the provider's input buffer, sending nothing once closed (push-to-talk gave up). */
  clearInputIfOpen(): void {
    if (!this.#closed) this.#sendBestEffort(events.inputAudioBufferClear());
  }

  /**
   * Cancels the running response (and any response asked for meanwhile), then lets the output audio
   * path stop what is heard and truncate the heard item, so the model's context matches what the user
   * heard. Resolves when the path is done.
   */
  interrupt(): Promise<void> {
    if (this.#closed) throw this.#notConnected();
    this.#deferred = false;
    if (this.#responses.active.size > 0) this.#sendBestEffort(events.responseCancel());
    return this.#audio?.interrupt() ?? Promise.resolve();
  }

  /**
   * Replays finished turns as conversation items (never a response, never a tool call) and resolves
   * when the provider has added all of them.
   */
  async replay(turns: readonly ConversationTurn[]): Promise<void> {
    const waits: Promise<void>[] = [];
    for (const turn of turns) {
      if ((turn.role !== 'user' && turn.role !== 'assistant') || typeof turn.text !== 'string' || turn.text.trim() === '') continue;
      const itemId = events.newItemId();
      const event = events.replayItem(turn, itemId);
      waits.push(this.#items.expect(itemId, event.event_id!));
      this.#send(event);
    }
    await Promise.all(waits);
  }

  /**
   * Rejects everything still waiting and detaches the audio path; nothing is sent or emitted
   * afterwards. Idempotent.
   */
  close(reason: Error = new RealtimeTransportError('connection_closed', 'The connection closed.')): void {
    if (this.#closed) return;
    this.#closed = reason;
    this.#acks.closeAll(reason);
    this.#items.closeAll(reason);
    this.#responses.releaseAll();
    this.#audio?.detach();
    this.#mapper.reset();
  }

  #notConnected(cause?: unknown): RealtimeTransportError {
    return new RealtimeTransportError('not_connected', 'Not connected to the realtime provider.', { cause: cause ?? this.#closed });
  }

  #send(event: ClientEvent): void {
    this.#sendRaw(event.type, JSON.stringify(event));
  }

  #sendRaw(type: string, json: string): void {
    if (this.#closed) throw this.#notConnected();
    this.#sendingOwn = true;
    try {
      this.#options.channel.send(json);
    } catch (error) {
      throw new RealtimeTransportError('not_connected', `Could not send ${type}: ${(error as Error)?.message ?? String(error)}`, { cause: error });
    } finally {
      this.#sendingOwn = false;
    }
  }

  #sendBestEffort(event: ClientEvent): boolean {
    if (this.#closed) return false;
    remember(this.#bestEffort, event.event_id!);
    try {
      this.#send(event);
      return true;
    } catch {
      return false;
    }
  }

  /** One response at a time: a request while one runs (or is being created) waits for its end. */
  #requestResponse(): void {
    if (this.#responses.active.size > 0 || this.#requested) {
      this.#deferred = true;
      return;
    }
    const event = events.responseCreate();
    this.#requested = event.event_id;
    remember(this.#responseCreates, event.event_id!);
    this.#send(event);
  }

  /**
   * Bookkeeping on a server event. `consumed`: it answered a request, or it belongs to a response
   * that already ended (a disordered or repeated event), and must not be mapped.
   */
  #track(e: ServerEvent): 'consumed' | undefined {
    switch (e.type) {
      case 'session.updated':
        // One that answers none of our updates (a server-side sender's) still goes to the mapper: it
        // says what the session is now.
        this.#acks.ack(e.session);
        return undefined;
      case 'error':
        return this.#trackError(isObject(e.error) ? e.error : {});
      case 'response.created': {
        const id = responseIdOf(e);
        if (!id) return undefined;
        if (!this.#responses.created(id)) return 'consumed';
        this.#requested = undefined;
        return undefined;
      }
      case 'response.done': {
        if (!this.#responses.done(responseIdOf(e))) return 'consumed';
        this.#flushDeferred();
        return undefined;
      }
      case 'response.output_item.added': {
        if (this.#isLate(e)) return 'consumed';
        const item = e.item;
        if (typeof e.response_id === 'string' && isObject(item) && item.type === 'message' && item.role === 'assistant' && typeof item.id === 'string') {
          if (!this.#assistantItems.has(e.response_id)) this.#assistantItems.set(e.response_id, item.id);
          trim(this.#assistantItems);
        }
        return undefined;
      }
      case 'conversation.item.added':
      case 'conversation.item.created':
      case 'conversation.item.done': {
        if (isObject(e.item) && typeof e.item.id === 'string') this.#items.added(e.item.id);
        return undefined;
      }
      default:
        return this.#isLate(e) ? 'consumed' : undefined;
    }
  }

  /** An event of a response that already ended (`response.*` events name their response). */
  #isLate(e: ServerEvent): boolean {
    return e.type.startsWith('response.') && typeof e.response_id === 'string' && this.#responses.ended(e.response_id);
  }

  #trackError(body: Json): 'consumed' | undefined {
    const eventId = typeof body.event_id === 'string' ? body.event_id : undefined;
    const error = new OpenAIServerError(typeof body.message === 'string' ? body.message : 'The provider refused a request.', {
      ...(typeof body.code === 'string' ? { providerCode: body.code } : {}),
      ...(eventId ? { eventId } : {}),
    });
    if (eventId && this.#bestEffort.delete(eventId)) return 'consumed';
    if (eventId && this.#responseCreates.delete(eventId)) {
      if (this.#requested === eventId) this.#requested = undefined;
      this.#flushDeferred();
      return undefined;
    }
    if (this.#acks.reject(eventId, typeof body.param === 'string' ? body.param : undefined, error)) return 'consumed';
    return this.#items.reject(eventId, error) ? 'consumed' : undefined;
  }

  #flushDeferred(): void {
    if (!this.#deferred || this.#responses.active.size > 0 || this.#requested || this.#closed) return;
    this.#deferred = false;
    try {
      this.#requestResponse();
    } catch (error) {
      this.#forward({ name: 'error', payload: { error: error as Error, code: 'not_connected' } });
    }
  }

  #audioHost(): OutputAudioHost {
    return {
      sendBestEffort: (event) => this.#sendBestEffort(event),
      emit: (emission) => this.#forward(emission),
      activeResponses: this.#responses.active,
      assistantItem: (responseId) =>
        responseId ? this.#assistantItems.get(responseId) : [...this.#assistantItems.values()].at(-1),
      responseSettled: (responseId) => (this.#closed ? Promise.resolve() : this.#responses.settled(responseId)),
    };
  }

  #forward(emission: TransportEmission): void {
    if (this.#closed) return;
    this.#options.emit(emission);
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function responseIdOf(e: ServerEvent): string | undefined {
  return isObject(e.response) && typeof e.response.id === 'string' && e.response.id !== '' ? e.response.id : undefined;
}

function remember(set: Set<string>, value: string): void {
  set.add(value);
  while (set.size > MAX_TRACKED) set.delete(set.values().next().value!);
}

function trim(map: Map<string, string>): void {
  while (map.size > MAX_TRACKED) map.delete(map.keys().next().value!);
}
