/**
 * Wire-level shapes the emulator handles. They are deliberately loose (records with a `type`):
 * everything arriving from a client is untrusted and checked field by field where it is used, and
 * what the emulator sends is checked against OpenAI's schema by the conformance validator.
 */

/** A JSON object as parsed from the wire. */
export type JsonObject = Record<string, unknown>;

/** One server → client event before the outbox stamps its `event_id`. */
export interface ServerEventInit extends JsonObject {
  type: string;
}

/** One server → client event as sent. */
export interface ServerEvent extends ServerEventInit {
  event_id: string;
}

/** A conversation item in its wire shape (`RealtimeConversationItem`). */
export interface ConversationItem extends JsonObject {
  id: string;
  type: string;
}

/** The session object the emulator keeps and sends (`RealtimeSessionCreateResponseGA`). */
export interface SessionObject extends JsonObject {
  type: 'realtime';
  object: 'realtime.session';
  id: string;
  model: string;
}

/** Which wire a session runs over. */
export type TransportKind = 'webrtc' | 'websocket';

/** Narrows an unknown value to a plain JSON object. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
