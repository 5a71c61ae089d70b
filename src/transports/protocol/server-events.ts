/**
 * OpenAI Realtime server events → normalized transport events. Pure protocol code (no WebRTC, no
 * DOM), shared by every adapter through the protocol client.
 *
 * Every event is untrusted: fields are type-checked before use, a malformed event is ignored, and
 * nothing here throws.
 * @packageDocumentation
 */
import type { RealtimeUsage } from '../../manager/session-config.js';
import type { RealtimeTransportEventMap, RealtimeTransportEventName, TransportResponseStatus } from '../types.js';
import { OpenAIServerError } from './server-error.js';

/** One normalized event, ready for `TransportEvents.emit(name, payload)`. */
export type TransportEmission = {
  [K in RealtimeTransportEventName]: { name: K; payload: RealtimeTransportEventMap[K] };
}[RealtimeTransportEventName];

type Json = Record<string, unknown>;

/** Open transcripts and responses kept at most; a provider that never finishes them cannot grow memory. */
const MAX_OPEN = 64;
/** Call ids remembered for de-duplication. */
const MAX_SEEN_CALLS = 1024;

const STATUSES: readonly TransportResponseStatus[] = ['completed', 'cancelled', 'incomplete', 'failed'];

interface ResponseState {
  text: string;
  /** Function-call names by item id, for argument events that leave the name out. */
  callNames: Map<string, string>;
}

/**
 * Stateful mapper for one connection: it accumulates user transcripts per item and assistant text
 * per response, and remembers which tool calls it already reported. Create one per connection (or
 * call {@link reset}).
 */
export class OpenAIServerEventMapper {
  #transcripts = new Map<string, string>();
  #responses = new Map<string, ResponseState>();
  #seenCalls = new Set<string>();

  /** Maps one server event; returns the transport events it produces, in order (often none). */
  map(event: unknown): TransportEmission[] {
    try {
      return this.#map(event);
    } catch {
      // Defensive: a getter on a hostile object or similar must not break the connection.
      return [];
    }
  }

  /** Forgets all per-connection state. */
  reset(): void {
    this.#transcripts.clear();
    this.#responses.clear();
    this.#seenCalls.clear();
  }

  #map(event: unknown): TransportEmission[] {
    if (!isObject(event) || typeof event.type !== 'string') return [];
    switch (event.type) {
      case 'conversation.item.input_audio_transcription.delta':
        return this.#transcriptDelta(event);
      case 'conversation.item.input_audio_transcription.completed':
        return this.#transcriptCompleted(event);
      case 'conversation.item.input_audio_transcription.failed': {
        if (typeof event.item_id === 'string') this.#transcripts.delete(event.item_id);
        return [];
      }
      case 'input_audio_buffer.speech_started':
        return [{ name: 'user:speech-start', payload: optional({}, 'itemId', str(event.item_id)) }];
      case 'input_audio_buffer.speech_stopped':
        return [{ name: 'user:speech-stop', payload: optional({}, 'itemId', str(event.item_id)) }];
      case 'input_audio_buffer.timeout_triggered': {
        const payload = optional({}, 'itemId', str(event.item_id));
        if (isCount(event.audio_start_ms) && isCount(event.audio_end_ms) && event.audio_end_ms >= event.audio_start_ms) {
          Object.assign(payload, { audioStartMs: event.audio_start_ms, audioEndMs: event.audio_end_ms });
        }
        return [{ name: 'idle:timeout', payload }];
      }
      case 'response.created': {
        const id = isObject(event.response) ? str(event.response.id) : undefined;
        if (!id) return [];
        this.#response(id);
        return [{ name: 'assistant:start', payload: { responseId: id } }];
      }
      case 'response.output_audio_transcript.delta':
      case 'response.output_text.delta':
        return this.#assistantDelta(event);
      case 'response.output_item.added':
      case 'response.output_item.done':
        return this.#outputItem(event);
      case 'response.function_call_arguments.done':
        return this.#argumentsDone(event);
      case 'response.done':
        return this.#responseDone(event);
      case 'output_audio_buffer.started':
        return [{ name: 'audio:start', payload: optional({}, 'responseId', str(event.response_id)) }];
      case 'output_audio_buffer.stopped':
        return [{ name: 'audio:end', payload: optional({ reason: 'stopped' as const }, 'responseId', str(event.response_id)) }];
      case 'output_audio_buffer.cleared':
        return [{ name: 'audio:end', payload: optional({ reason: 'cleared' as const }, 'responseId', str(event.response_id)) }];
      case 'error':
        return this.#error(event);
      default:
        return [];
    }
  }

  #transcriptDelta(event: Json): TransportEmission[] {
    const itemId = str(event.item_id);
    if (!itemId || typeof event.delta !== 'string' || event.delta === '') return [];
    const text = (this.#transcripts.get(itemId) ?? '') + event.delta;
    this.#transcripts.delete(itemId);
    this.#transcripts.set(itemId, text);
    trim(this.#transcripts, MAX_OPEN);
    return [{ name: 'user:transcript', payload: { itemId, text, final: false } }];
  }

  #transcriptCompleted(event: Json): TransportEmission[] {
    const itemId = str(event.item_id);
    if (!itemId) return [];
    const partial = this.#transcripts.get(itemId);
    this.#transcripts.delete(itemId);
    const text = typeof event.transcript === 'string' ? event.transcript : partial;
    if (text === undefined) return [];
    return [{ name: 'user:transcript', payload: { itemId, text, final: true } }];
  }

  #assistantDelta(event: Json): TransportEmission[] {
    const responseId = str(event.response_id);
    if (!responseId || typeof event.delta !== 'string' || event.delta === '') return [];
    this.#response(responseId).text += event.delta;
    return [{ name: 'assistant:delta', payload: { responseId, delta: event.delta } }];
  }

  #outputItem(event: Json): TransportEmission[] {
    const responseId = str(event.response_id);
    const item = event.item;
    if (!responseId || !isObject(item) || item.type !== 'function_call') return [];
    const itemId = str(item.id);
    const name = str(item.name);
    if (itemId && name) this.#response(responseId).callNames.set(itemId, name);
    // A completed function_call item carries everything a call needs (OpenAI sends it before
    // response.done); the arguments event may have been lost or malformed.
    if (event.type === 'response.output_item.done' && item.status === 'completed') {
      return this.#call(responseId, item.call_id, name, item.arguments);
    }
    return [];
  }

  #argumentsDone(event: Json): TransportEmission[] {
    const responseId = str(event.response_id);
    if (!responseId) return [];
    const itemId = str(event.item_id);
    const name = str(event.name) ?? (itemId ? this.#responses.get(responseId)?.callNames.get(itemId) : undefined);
    return this.#call(responseId, event.call_id, name, event.arguments);
  }

  #responseDone(event: Json): TransportEmission[] {
    const response = event.response;
    const responseId = isObject(response) ? str(response.id) : undefined;
    if (!isObject(response) || !responseId) return [];
    const state = this.#responses.get(responseId);
    this.#responses.delete(responseId);
    const out: TransportEmission[] = [];
    const output = Array.isArray(response.output) ? response.output : [];
    // Calls whose events went missing are still reported, always before assistant:done.
    for (const item of output) {
      if (isObject(item) && item.type === 'function_call' && (item.status === undefined || item.status === 'completed')) {
        out.push(...this.#call(responseId, item.call_id, str(item.name), item.arguments));
      }
    }
    const usage = mapUsage(response.usage);
    if (usage) out.push({ name: 'usage', payload: { responseId, usage } });
    const status = STATUSES.includes(response.status as TransportResponseStatus)
      ? (response.status as TransportResponseStatus)
      : 'failed';
    const text = outputText(output) ?? state?.text ?? '';
    out.push({ name: 'assistant:done', payload: { responseId, text, status } });
    return out;
  }

  #call(responseId: string, callId: unknown, name: string | undefined, args: unknown): TransportEmission[] {
    if (typeof callId !== 'string' || callId === '' || !name || typeof args !== 'string') return [];
    if (this.#seenCalls.has(callId)) return [];
    this.#seenCalls.add(callId);
    if (this.#seenCalls.size > MAX_SEEN_CALLS) this.#seenCalls.delete(this.#seenCalls.values().next().value!);
    return [{ name: 'tool:call', payload: { responseId, callId, name, arguments: args } }];
  }

  #error(event: Json): TransportEmission[] {
    const body = isObject(event.error) ? event.error : {};
    const message = str(body.message) ?? 'The realtime provider reported an error.';
    const error = new OpenAIServerError(message, {
      ...optional({}, 'providerCode', str(body.code)),
      ...optional({}, 'type', str(body.type)),
      ...optional({}, 'param', str(body.param)),
      ...optional({}, 'eventId', str(body.event_id)),
    });
    // The event's code is the provider's own (what a page shows or branches on), as sent.
    return [{ name: 'error', payload: optional({ error }, 'code', error.providerCode ?? error.type) }];
  }

  #response(id: string): ResponseState {
    let state = this.#responses.get(id);
    if (!state) {
      state = { text: '', callNames: new Map() };
      this.#responses.set(id, state);
      trim(this.#responses, MAX_OPEN);
    }
    return state;
  }
}

/** Maps OpenAI's usage object; undefined when it is not one. */
export function mapUsage(value: unknown): RealtimeUsage | undefined {
  if (!isObject(value)) return undefined;
  const usage: RealtimeUsage = {};
  if (isCount(value.total_tokens)) usage.totalTokens = value.total_tokens;
  if (isCount(value.input_tokens)) usage.inputTokens = value.input_tokens;
  if (isCount(value.output_tokens)) usage.outputTokens = value.output_tokens;
  if (usage.totalTokens === undefined && usage.inputTokens !== undefined && usage.outputTokens !== undefined) {
    usage.totalTokens = usage.inputTokens + usage.outputTokens;
  }
  const details: Record<string, unknown> = {};
  // Provider-specific, so kept under OpenAI's own names.
  if (isObject(value.input_token_details)) details.input_token_details = value.input_token_details;
  if (isObject(value.output_token_details)) details.output_token_details = value.output_token_details;
  if (Object.keys(details).length > 0) usage.details = details;
  return Object.keys(usage).length > 0 ? usage : undefined;
}

/** The assistant text of a response's output items (transcripts of audio, or text), if any. */
function outputText(output: unknown[]): string | undefined {
  const parts: string[] = [];
  for (const item of output) {
    if (!isObject(item) || item.type !== 'message' || item.role !== 'assistant' || !Array.isArray(item.content)) continue;
    for (const part of item.content) {
      if (!isObject(part)) continue;
      if (typeof part.transcript === 'string') parts.push(part.transcript);
      else if (typeof part.text === 'string') parts.push(part.text);
    }
  }
  return parts.length > 0 ? parts.join('') : undefined;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/** Adds `key: value` only when value is defined (payload types use optional, not undefined, fields). */
function optional<T extends object, K extends string, V>(base: T, key: K, value: V | undefined): T & Partial<Record<K, V>> {
  if (value !== undefined) (base as Record<string, unknown>)[key] = value;
  return base as T & Partial<Record<K, V>>;
}

/** Drops the oldest entries of an insertion-ordered map beyond `max`. */
function trim(map: Map<string, unknown>, max: number): void {
  while (map.size > max) map.delete(map.keys().next().value!);
}
