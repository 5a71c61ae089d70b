/**
 * Builders of the OpenAI Realtime client events the adapters send, each shaped to validate against
 * OpenAI's schema (`schema/openai-realtime.schema.json`, `$defs.RealtimeClientEvent*`). Pure protocol
 * code, shared with any other transport of the same protocol.
 * @packageDocumentation
 */
import type { OpenAIRealtimeSession } from '../../session/openai-session.js';
import type { ConversationTurn } from '../types.js';

/** A client event as sent on the wire. */
export interface ClientEvent {
  type: string;
  event_id?: string;
  [field: string]: unknown;
}

let counter = 0;
/** Per page, made on first use so importing this module touches no global. */
let prefix: string | undefined;

/**
 * A client event id: unique in this page, short (the schema allows 512 characters), and readable in
 * provider logs (`ch_<page>_<kind>_<n>`).
 */
export function newEventId(kind: string): string {
  counter += 1;
  prefix ??= randomTag(6);
  return `ch_${prefix}_${kind}_${counter}`;
}

/** An item id for items the client creates (≤ 32 characters, as OpenAI accepts). */
export function newItemId(): string {
  return `ch_${randomTag(16)}`;
}

export function sessionUpdate(session: OpenAIRealtimeSession): ClientEvent {
  return { type: 'session.update', event_id: newEventId('session'), session };
}

export function userTextItem(text: string): ClientEvent {
  return {
    type: 'conversation.item.create',
    event_id: newEventId('item'),
    item: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] },
  };
}

/**
 * A user message with an image (`input_image`, a `data:` URL) and, when given, the text that goes with
 * it (`input_text`, first, as OpenAI's examples put it).
 */
export function userImageItem(dataUrl: string, detail: 'auto' | 'low' | 'high' | undefined, text?: string): ClientEvent {
  const image: Record<string, unknown> = { type: 'input_image', image_url: dataUrl };
  if (detail) image.detail = detail;
  const content = text ? [{ type: 'input_text', text }, image] : [image];
  return { type: 'conversation.item.create', event_id: newEventId('image'), item: { type: 'message', role: 'user', content } };
}

export function responseCreate(): ClientEvent {
  return { type: 'response.create', event_id: newEventId('response') };
}

export function responseCancel(): ClientEvent {
  return { type: 'response.cancel', event_id: newEventId('cancel') };
}

export function functionCallOutput(callId: string, output: Record<string, unknown>): ClientEvent {
  return {
    type: 'conversation.item.create',
    event_id: newEventId('output'),
    item: { type: 'function_call_output', call_id: callId, output: JSON.stringify(output) },
  };
}

/** WebRTC (and SIP) only: stops the audio the server is still playing on the track. */
export function outputAudioBufferClear(): ClientEvent {
  return { type: 'output_audio_buffer.clear', event_id: newEventId('clear') };
}

export function truncate(itemId: string, audioEndMs: number): ClientEvent {
  return {
    type: 'conversation.item.truncate',
    event_id: newEventId('truncate'),
    item_id: itemId,
    content_index: 0,
    audio_end_ms: Math.max(0, Math.floor(audioEndMs)),
  };
}

export function inputAudioBufferClear(): ClientEvent {
  return { type: 'input_audio_buffer.clear', event_id: newEventId('input') };
}

/** Appends base64 PCM to the provider's input buffer (WebSocket: the microphone travels as events). */
export function inputAudioBufferAppend(audio: string): ClientEvent {
  return { type: 'input_audio_buffer.append', event_id: newEventId('audio'), audio };
}

export function inputAudioBufferCommit(): ClientEvent {
  return { type: 'input_audio_buffer.commit', event_id: newEventId('commit') };
}

/**
 * A finished turn as a conversation item for replay on a new connection: user turns as `input_text`
 * user messages, assistant turns as assistant messages with `output_text` content (what
 * `RealtimeConversationItemMessageAssistant` allows besides audio). `itemId` lets the caller match
 * the server's `conversation.item.added`.
 */
export function replayItem(turn: ConversationTurn, itemId: string): ClientEvent {
  const content =
    turn.role === 'user' ? [{ type: 'input_text', text: turn.text }] : [{ type: 'output_text', text: turn.text }];
  return {
    type: 'conversation.item.create',
    event_id: newEventId('replay'),
    item: { id: itemId, type: 'message', role: turn.role, content },
  };
}

function randomTag(length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = new Uint8Array(length);
  crypto.getRandomValues(bytes);
  let out = '';
  for (const byte of bytes) out += alphabet[byte % alphabet.length];
  return out;
}
