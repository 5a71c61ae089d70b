/**
 * The command layer over one OpenAI Realtime event channel (the WebRTC `oai-events` data channel; a
 * WebSocket fits too): sends client events, matches acknowledgements, keeps one response at a time,
 * and turns server events into transport events through {@link OpenAIServerEventMapper}.
 * Both WebRTC adapters use it, so the protocol logic exists once.
 * @packageDocumentation
 */
import type { ConversationTurn } from '../types.js';
import * as events from './client-events.js';
import type { ClientEvent } from './client-events.js';
import { OpenAIServerError, OpenAIWebRTCError } from './errors.js';
import { ItemAcks, SessionAcks } from './session-acks.js';
import { OpenAIServerEventMapper, type TransportEmission } from './server-events.js';
import type { OpenAIRealtimeSession } from '../../session/openai-session.js';

/** What the client sends on: an `RTCDataChannel`, a WebSocket, or a test double. */
export interface EventChannel {
  send(data: string): void;
}

/** Options of {@link RealtimeProtocolClient}. */
export interface ProtocolClientOptions {
  channel: EventChannel;
  /** Receives every normalized event. */
  emit(emission: TransportEmission): void;
  /** The connection plays audio from a server-side buffer that `output_audio_buffer.clear` stops (WebRTC). */
  outputAudioBuffer: boolean;
  /** How long a `session.update` or a replayed item may wait for its acknowledgement, in ms. */
  ackTimeoutMs: number;
  /** Clock for played-audio positions (default `performance.now`). */
  now?: () => number;
}

type Json = Record<string, unknown>;

const MAX_TRACKED = 64;

export class RealtimeProtocolClient {
  readonly #options: ProtocolClientOptions;
  readonly #mapper = new OpenAIServerEventMapper();
  readonly #now: () => number;
  readonly #acks: SessionAcks;
  #activeResponse: string | undefined;
  #requestedResponse: string | undefined;
  #deferredCreate = false;
  /** Ids of events whose errors are expected races (cancelling a response that just ended, …). */
  #bestEffort = new Set<string>();
  /** Client event ids of `response.create`, to tell their errors apart. */
  #responseCreates = new Set<string>();
  #assistantItems = new Map<string, string>();
  #playing: { responseId: string | undefined; startedAt: number } | undefined;
  readonly #items: ItemAcks;
  #closed: Error | undefined;
  #sendingOwn = false;

  constructor(options: ProtocolClientOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
    this.#acks = new SessionAcks(options.ackTimeoutMs);
    this.#items = new ItemAcks(options.ackTimeoutMs);
  }

  /** True between `output_audio_buffer.started` and its end (or an interrupt). */
  get playing(): boolean {
    return this.#playing !== undefined;
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
          if (parsed.type === 'session.update') this.#acks.add(typeof parsed.event_id === 'string' ? parsed.event_id : undefined, true);
        } catch {
          // Not ours to judge; the server will answer it.
        }
      }
      original(data);
    };
  }

  /** Feeds one server event (already parsed). Never throws. */
  receive(event: unknown): void {
    if (this.#closed || typeof event !== 'object' || event === null) return;
    const e = event as Json;
    try {
      if (this.#track(e) === 'consumed') return;
    } catch {
      return;
    }
    for (const emission of this.#mapper.map(event)) this.#forward(emission);
  }

  /** Sends the whole session and resolves when the provider acknowledged it. */
  updateSession(session: OpenAIRealtimeSession): Promise<void> {
    const event = events.sessionUpdate(session);
    const acked = this.#acks.wait(this.#acks.add(event.event_id, false));
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

  sendToolResult(callId: string, output: Record<string, unknown>, requestResponse: boolean): void {
    this.#send(events.functionCallOutput(callId, output));
    if (requestResponse) this.#requestResponse();
  }

  startInputTurn(): void {
    this.#send(events.inputAudioBufferClear());
  }

  commitInputTurn(): void {
    this.#send(events.inputAudioBufferCommit());
    this.#requestResponse();
  }

  /**
   * Cancels the active response, stops the audio the server still plays, and truncates the
   * assistant's audio item at what was heard, so the model's context matches what the user heard.
   */
  interrupt(): void {
    this.#deferredCreate = false;
    if (this.#activeResponse) this.#send(this.#bestEffortEvent(events.responseCancel()));
    if (this.#options.outputAudioBuffer) this.#send(this.#bestEffortEvent(events.outputAudioBufferClear()));
    const playing = this.#playing;
    if (!playing) return;
    this.#playing = undefined;
    const itemId = playing.responseId ? this.#assistantItems.get(playing.responseId) : [...this.#assistantItems.values()].at(-1);
    if (itemId) this.#send(this.#bestEffortEvent(events.truncate(itemId, this.#now() - playing.startedAt)));
    this.#forward({ name: 'audio:end', payload: { ...optionalId(playing.responseId), reason: 'interrupted' } });
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

  /** Rejects everything still waiting; nothing is sent or emitted afterwards. Idempotent. */
  close(reason: Error = new OpenAIWebRTCError('connection_closed', 'The connection closed.')): void {
    if (this.#closed) return;
    this.#closed = reason;
    this.#acks.closeAll(reason);
    this.#items.closeAll(reason);
    this.#playing = undefined;
    this.#mapper.reset();
  }

  #send(event: ClientEvent): void {
    if (this.#closed) throw new OpenAIWebRTCError('not_connected', 'Not connected to the realtime provider.', { cause: this.#closed });
    this.#sendingOwn = true;
    try {
      this.#options.channel.send(JSON.stringify(event));
    } catch (error) {
      throw new OpenAIWebRTCError('not_connected', `Could not send ${event.type}: ${(error as Error)?.message ?? String(error)}`, { cause: error });
    } finally {
      this.#sendingOwn = false;
    }
  }

  /** One response at a time: a request while one runs (or is being created) waits for its end. */
  #requestResponse(): void {
    if (this.#activeResponse || this.#requestedResponse) {
      this.#deferredCreate = true;
      return;
    }
    const event = events.responseCreate();
    this.#requestedResponse = event.event_id;
    remember(this.#responseCreates, event.event_id!);
    this.#send(event);
  }

  #bestEffortEvent(event: ClientEvent): ClientEvent {
    remember(this.#bestEffort, event.event_id!);
    return event;
  }

  /** Bookkeeping on a server event; `consumed` when it answered a request and must not be re-emitted. */
  #track(e: Json): 'consumed' | undefined {
    switch (e.type) {
      case 'session.updated':
        this.#acks.ack();
        return undefined;
      case 'error':
        return this.#trackError(isObject(e.error) ? e.error : {});
      case 'response.created': {
        const id = isObject(e.response) && typeof e.response.id === 'string' ? e.response.id : undefined;
        if (id) this.#activeResponse = id;
        this.#requestedResponse = undefined;
        return undefined;
      }
      case 'response.done': {
        const id = isObject(e.response) ? e.response.id : undefined;
        if (id === this.#activeResponse || typeof id !== 'string') this.#activeResponse = undefined;
        if (!this.#activeResponse) this.#flushDeferred();
        return undefined;
      }
      case 'response.output_item.added': {
        const item = e.item;
        if (typeof e.response_id === 'string' && isObject(item) && item.type === 'message' && item.role === 'assistant' && typeof item.id === 'string') {
          if (!this.#assistantItems.has(e.response_id)) this.#assistantItems.set(e.response_id, item.id);
          trim(this.#assistantItems);
        }
        return undefined;
      }
      case 'output_audio_buffer.started':
        this.#playing = { responseId: typeof e.response_id === 'string' ? e.response_id : undefined, startedAt: this.#now() };
        return undefined;
      case 'output_audio_buffer.stopped':
      case 'output_audio_buffer.cleared': {
        // Already ended locally (interrupt): the provider's confirmation is not a second end.
        if (!this.#playing) return 'consumed';
        this.#playing = undefined;
        return undefined;
      }
      case 'conversation.item.added':
      case 'conversation.item.created':
      case 'conversation.item.done': {
        if (isObject(e.item) && typeof e.item.id === 'string') this.#items.added(e.item.id);
        return undefined;
      }
      default:
        return undefined;
    }
  }

  #trackError(body: Json): 'consumed' | undefined {
    const eventId = typeof body.event_id === 'string' ? body.event_id : undefined;
    const error = new OpenAIServerError(typeof body.message === 'string' ? body.message : 'The provider refused a request.', {
      ...(typeof body.code === 'string' ? { code: body.code } : {}),
      ...(eventId ? { eventId } : {}),
    });
    if (eventId && this.#bestEffort.delete(eventId)) return 'consumed';
    if (eventId && this.#responseCreates.delete(eventId)) {
      if (this.#requestedResponse === eventId) this.#requestedResponse = undefined;
      this.#flushDeferred();
      return undefined;
    }
    if (this.#acks.reject(eventId, typeof body.param === 'string' ? body.param : undefined, error)) return 'consumed';
    return this.#items.reject(eventId, error) ? 'consumed' : undefined;
  }

  #flushDeferred(): void {
    if (!this.#deferredCreate || this.#activeResponse || this.#requestedResponse || this.#closed) return;
    this.#deferredCreate = false;
    try {
      this.#requestResponse();
    } catch (error) {
      this.#forward({ name: 'error', payload: { error: error as Error, code: 'not_connected' } });
    }
  }

  #forward(emission: TransportEmission): void {
    if (this.#closed) return;
    this.#options.emit(emission);
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalId(responseId: string | undefined): { responseId?: string } {
  return responseId ? { responseId } : {};
}

function remember(set: Set<string>, value: string): void {
  set.add(value);
  while (set.size > MAX_TRACKED) set.delete(set.values().next().value!);
}

function trim(map: Map<string, string>): void {
  while (map.size > MAX_TRACKED) map.delete(map.keys().next().value!);
}
