/**
 * The handshake steps after the socket opens: reading the bootstrap, sending the whole session and
 * waiting for its acknowledgement, and replaying the conversation into a new provider session.
 * @packageDocumentation
 */
import type { RealtimeSessionConfig } from '../../manager/session-config.js';
import { toOpenAISession, type OpenAISessionDefaults } from '../../session/openai-session.js';
import * as events from '../openai-webrtc/client-events.js';
import type { ConversationTurn } from '../types.js';
import { OpenAIWebSocketError } from './errors.js';
import type { RealtimeSocket, ServerEvent } from './realtime-socket.js';

/** What this adapter takes from the route's bootstrap. */
export interface WebSocketBootstrap {
  url: string;
  clientSecret: string;
  /** Model and voice the server settled on, used where the session config leaves them out. */
  defaults: OpenAISessionDefaults;
}

/** Reads the `openai-websocket` bootstrap (already schema-checked by the remote client, re-checked here). */
export function parseBootstrap(value: unknown): WebSocketBootstrap {
  const bootstrap = isObject(value) ? value : {};
  const secret = isObject(bootstrap.clientSecret) ? bootstrap.clientSecret.value : undefined;
  const url = bootstrap.url;
  if (typeof url !== 'string' || !/^wss?:\/\//.test(url) || typeof secret !== 'string' || secret === '') {
    throw new OpenAIWebSocketError('invalid_bootstrap', 'The bootstrap for openai-websocket needs a ws(s) `url` and `clientSecret.value`.');
  }
  const session = isObject(bootstrap.session) ? bootstrap.session : {};
  const model = typeof session.model === 'string' ? session.model : (new URL(url).searchParams.get('model') ?? 'gpt-realtime');
  const voice = typeof session.voice === 'string' ? session.voice : 'marin';
  return { url, clientSecret: secret, defaults: { model, voice } };
}

/**
 * Sends the whole session (never a patch: fields left out would fall back to defaults on some
 * providers) and resolves on `session.updated`; rejects when the provider answers that event with an
 * `error`, or after `timeoutMs`. `claim` receives the event id before it is sent.
 */
export async function configureSession(
  socket: RealtimeSocket,
  session: RealtimeSessionConfig,
  bootstrap: WebSocketBootstrap,
  timeoutMs: number,
  signal?: AbortSignal,
  claim?: (eventId: string) => void,
): Promise<void> {
  // The model is the one the server created the session with (and put in the socket's URL).
  const update = events.sessionUpdate(toOpenAISession({ ...session, model: bootstrap.defaults.model }, bootstrap.defaults));
  // Its error is reported by this promise's rejection; `claim` lets the caller not report it twice.
  claim?.(update.event_id!);
  const acked = socket.waitFor(
    (event) => {
      if (event.type === 'session.updated') return true;
      const error = errorFor(event, [update.event_id!]);
      return error ? new OpenAIWebSocketError('session_update_rejected', `The provider refused the session: ${error.message}`, error) : undefined;
    },
    { timeoutMs, ...(signal ? { signal } : {}), what: 'session.updated', timeoutCode: 'session_update_timeout' },
  );
  socket.send(update);
  await acked;
}

/**
 * Replays finished turns as conversation items (no `response.create`, no tool calls: their ids belong
 * to the dead session) and resolves once the provider has added the last one.
 */
export async function replayHistory(socket: RealtimeSocket, history: readonly ConversationTurn[], timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const replay = history.filter((turn) => turn.text.trim() !== '').map((turn) => events.replayItem(turn, events.newItemId()));
  if (replay.length === 0) return;
  const lastId = (replay[replay.length - 1]!.item as { id: string }).id;
  const ids = replay.map((event) => event.event_id!);
  const added = socket.waitFor(
    (event) => {
      const item = isObject(event.item) ? event.item : undefined;
      if ((event.type === 'conversation.item.added' || event.type === 'conversation.item.created') && item?.id === lastId) return true;
      const error = errorFor(event, ids);
      return error ? new OpenAIWebSocketError('replay_failed', `The conversation could not be replayed: ${error.message}`, error) : undefined;
    },
    { timeoutMs, ...(signal ? { signal } : {}), what: 'the replayed conversation', timeoutCode: 'timeout' },
  );
  for (const event of replay) socket.send(event);
  await added;
}

/** The message and code of an `error` event caused by one of `eventIds`, if it is one. */
function errorFor(event: ServerEvent, eventIds: string[]): { message: string; providerCode?: string } | undefined {
  if (event.type !== 'error' || !isObject(event.error)) return undefined;
  const { event_id: eventId, message, code } = event.error;
  if (typeof eventId !== 'string' || !eventIds.includes(eventId)) return undefined;
  return { message: typeof message === 'string' ? message : 'unknown error', ...(typeof code === 'string' ? { providerCode: code } : {}) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
