/**
 * What the WebSocket adapter reads from the route's bootstrap, and the session it sends from it (the
 * protocol client sends it and waits for the acknowledgement).
 * @packageDocumentation
 */
import type { RealtimeSessionConfig } from '../../session/session-config.js';
import { toOpenAISession, type OpenAIRealtimeSession, type OpenAISessionDefaults } from '../../session/openai-session.js';
import { OpenAIWebSocketError } from './errors.js';

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
 * The whole session as sent on the wire: the bootstrap's model, and its voice where the config leaves
 * none. Always the whole session, never a patch: fields left out would fall back to defaults on
 * some providers.
 */
export function wireSession(session: RealtimeSessionConfig, bootstrap: WebSocketBootstrap): OpenAIRealtimeSession {
  // The model is the one the server created the session with (and put in the socket's URL).
  return toOpenAISession({ ...session, model: bootstrap.defaults.model }, bootstrap.defaults);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
