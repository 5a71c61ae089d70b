/**
 * The OpenAI realtime provider: mints client secrets (`POST /realtime/client_secrets`), answers an
 * SDP offer through the unified interface (`POST /realtime/calls`), or creates a GPT-Live session
 * (`POST /live/sessions`, see openai-live.ts), with the server's API key.
 * Uses only `fetch`, `FormData`, `URL` and `Response`, so it runs on Node ≥ 20, Deno, Bun, Workers and
 * in Next.js route handlers alike.
 * @packageDocumentation
 */
import { z } from 'zod';
import type { OpenAIAgentsWebRTCBootstrap, OpenAIWebRTCBootstrap, OpenAIWebSocketBootstrap, RealtimeBootstrap } from './bootstrap.js';
import { InvalidConfigurationError, InvalidRequestError, MissingApiKeyError, UpstreamError } from './errors.js';
import { toOpenAISession, type OpenAIRealtimeSession } from '../session/openai-session.js';
import type { RealtimeProvider, RealtimeProviderCallOptions, RealtimeSessionRequest } from './provider.js';
import { parseRouteRequest } from './request-schema.js';
import { DEFAULT_MAX_JSON_DEPTH, findJsonShapeFault } from './json-limits.js';
import { readBody, send, type UpstreamContext } from './openai-http.js';
import { createLiveSession, OPENAI_LIVE_DEFAULT_MODEL, planLiveSession, type OpenAILiveOptions } from './openai-live.js';
import { containsSecret, redactSecrets } from './redact.js';
import type { RealtimeSessionConfig } from '../session/session-config.js';

/** OpenAI's recommended realtime model, used when the session names none. */
export const OPENAI_DEFAULT_MODEL = 'gpt-realtime';
/** OpenAI's recommended voice, used when the session names none. */
export const OPENAI_DEFAULT_VOICE = 'marin';
/** OpenAI's public API root. */
export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';
/** Client secret lifetime when the request sets none: long enough to connect, short if it leaks. */
export const DEFAULT_SECRET_TTL_SECONDS = 60;

/** Options for {@link createOpenAIRealtimeProvider}. */
export interface OpenAIRealtimeProviderOptions {
  /**
   * The server's OpenAI key. Defaults to `OPENAI_API_KEY` from the environment, read at each call;
   * when neither is set, `createSession` throws {@link MissingApiKeyError}.
   */
  apiKey?: string;
  /** API root; defaults to `OPENAI_BASE_URL` from the environment, then `https://api.openai.com/v1`. */
  baseUrl?: string;
  /** `fetch` to use (tests, proxies, instrumentation); defaults to the global one. */
  fetch?: typeof fetch;
  /** Model when the session names none; defaults to {@link OPENAI_DEFAULT_MODEL}. */
  defaultModel?: string;
  /** Voice when the session names none; defaults to {@link OPENAI_DEFAULT_VOICE}. */
  defaultVoice?: string;
  /**
   * Largest upstream answer read, in bytes (1024–67108864). Default 1 MiB: a client secret answer
   * is a few KB, an SDP answer less. Past it the body is dropped unread and the route answers 502
   * `upstream_response_too_large`.
   */
  maxResponseBytes?: number;
  /** GPT-Live sessions (`openai-live-webrtc`): model, delegation, data-channel permissions. */
  live?: OpenAILiveOptions;
  /**
   * How error messages name the upstream (default `OpenAI`). A server pointed at something else says
   * so: the emulator's demo passes `the local emulator`, so no error blames OpenAI for it.
   */
  upstreamName?: string;
}

/** The provider returned by {@link createOpenAIRealtimeProvider}. */
export interface OpenAIRealtimeProvider extends RealtimeProvider {
  readonly name: 'openai';
  readonly defaults: { readonly model: string; readonly voice: string };
  /**
   * Maps a session to the wire object OpenAI receives (defaults filled). Exposed for tests and for
   * servers that call OpenAI themselves.
   */
  toWireSession(session?: RealtimeSessionConfig): OpenAIRealtimeSession;
}

const clientSecretResponseSchema = z.object({
  value: z.string().min(1),
  expires_at: z.number().int().nonnegative(),
});

/** Default for {@link OpenAIRealtimeProviderOptions.maxResponseBytes}. */
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

/**
 * Creates the OpenAI realtime provider.
 *
 * @example
 * ```ts
 * const provider = createOpenAIRealtimeProvider({ apiKey: process.env.OPENAI_API_KEY });
 * const bootstrap = await provider.createSession({ adapter: 'openai-agents-webrtc', session: { voice: 'cedar' } });
 * ```
 */
export function createOpenAIRealtimeProvider(options: OpenAIRealtimeProviderOptions = {}): OpenAIRealtimeProvider {
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  if (!Number.isInteger(maxResponseBytes) || maxResponseBytes < 1024 || maxResponseBytes > 64 * 1024 * 1024) {
    throw new InvalidConfigurationError(`maxResponseBytes must be an integer between 1024 and 67108864 (got ${maxResponseBytes}).`);
  }
  const defaults = Object.freeze({
    model: options.defaultModel ?? OPENAI_DEFAULT_MODEL,
    voice: options.defaultVoice ?? OPENAI_DEFAULT_VOICE,
  });

  // Read per call, not at construction: serverless platforms and tests set env after import.
  const apiKey = (): string | undefined => options.apiKey ?? readEnv('OPENAI_API_KEY');
  const redact = (text: string): string => redactSecrets(text, [apiKey()]);

  const doFetch = (url: string, init: RequestInit): Promise<Response> =>
    // Called through globalThis, not a stored reference: Workers throw "Illegal invocation" otherwise.
    options.fetch ? options.fetch(url, init) : globalThis.fetch(url, init);

  const upstreamName = options.upstreamName?.trim() || 'OpenAI';
  const toWireSession = (session: RealtimeSessionConfig = {}): OpenAIRealtimeSession => toOpenAISession(session, defaults);

  async function createSession(request: RealtimeSessionRequest, call: RealtimeProviderCallOptions = {}): Promise<RealtimeBootstrap> {
    const { adapter, sdp, history, session = {} } = parseRouteRequest({
      adapter: request.adapter,
      transport: request.transport,
      session: request.session,
      sdp: request.sdp,
      ...(request.history ? { history: request.history } : {}),
    });
    if (session.provider !== undefined && session.provider !== 'openai') {
      throw new InvalidRequestError(`session.provider: this server speaks to "openai", not "${session.provider}"`, {
        field: 'session.provider',
      });
    }
    const ttlSeconds = request.ttlSeconds ?? DEFAULT_SECRET_TTL_SECONDS;
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 10 || ttlSeconds > 7200) {
      throw new InvalidConfigurationError(`ttlSeconds must be an integer between 10 and 7200 (got ${ttlSeconds}).`);
    }
    const key = apiKey();
    if (!key || !key.trim()) throw new MissingApiKeyError('OPENAI_API_KEY');
    const base = resolveBaseUrl(options.baseUrl);

    const ctx: UpstreamContext = { base, key, signal: call.signal, doFetch, redact, maxResponseBytes, name: upstreamName };
    if (adapter === 'openai-live-webrtc') {
      const live = defaultsFor(adapter);
      const plan = planLiveSession({ ...session, model: session.model ?? live.model, voice: session.voice ?? live.voice }, options.live ?? {}, history);
      return createLiveSession(ctx, plan, sdp!);
    }
    const effective: RealtimeSessionConfig = { ...session, model: session.model ?? defaults.model, voice: session.voice ?? defaults.voice };
    const wire = toWireSession(effective);

    switch (adapter) {
      case 'openai-agents-webrtc': {
        const clientSecret = await mintClientSecret(ctx, wire, ttlSeconds);
        const bootstrap: OpenAIAgentsWebRTCBootstrap = {
          adapter,
          transport: 'webrtc',
          clientSecret,
          session: effective,
          callsUrl: `${base}/realtime/calls`,
        };
        return bootstrap;
      }
      case 'openai-websocket': {
        const clientSecret = await mintClientSecret(ctx, wire, ttlSeconds);
        const bootstrap: OpenAIWebSocketBootstrap = {
          adapter,
          transport: 'websocket',
          clientSecret,
          session: effective,
          url: webSocketUrl(base, wire.model),
        };
        return bootstrap;
      }
      case 'openai-webrtc': {
        const { answerSdp, callId } = await createCall(ctx, wire, sdp!);
        const bootstrap: OpenAIWebRTCBootstrap = { adapter, transport: 'webrtc', answerSdp, callId, session: effective };
        return bootstrap;
      }
    }
  }

  /** GPT-Live sessions have their own model and voice defaults. */
  const defaultsFor = (adapter: string): { model: string; voice: string } =>
    adapter === 'openai-live-webrtc'
      ? { model: options.live?.defaultModel ?? OPENAI_LIVE_DEFAULT_MODEL, voice: options.live?.defaultVoice ?? OPENAI_DEFAULT_VOICE }
      : defaults;

  return { name: 'openai', defaults, defaultsFor, createSession, redact, secrets: () => [apiKey()], toWireSession };
}

/** `POST {base}/realtime/client_secrets`: an ephemeral key bound to this session. */
async function mintClientSecret(ctx: UpstreamContext, session: OpenAIRealtimeSession, ttlSeconds: number) {
  const response = await send(ctx, `${ctx.base}/realtime/client_secrets`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ctx.key}`, 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ expires_after: { anchor: 'created_at', seconds: ttlSeconds }, session }),
  });
  const text = await readBody(ctx, response, false);
  let parsed: z.infer<typeof clientSecretResponseSchema>;
  try {
    const json: unknown = JSON.parse(text);
    if (findJsonShapeFault(json, DEFAULT_MAX_JSON_DEPTH)) throw new Error('the answer nests too deep');
    parsed = clientSecretResponseSchema.parse(json);
  } catch (cause) {
    throw new UpstreamError('upstream_invalid_response', `${cap(ctx.name)} answered client_secrets without a client secret value and expiry.`, {
      upstreamStatus: response.status,
      cause,
    });
  }
  // An upstream (or something impersonating it) that hands back our own key as the "ephemeral" one
  // would have the route give the key to the browser.
  if (containsSecret(parsed.value, [ctx.key])) {
    throw new UpstreamError('upstream_invalid_response', `${cap(ctx.name)} answered client_secrets with the server's own API key; it was not forwarded.`, {
      upstreamStatus: response.status,
    });
  }
  return { value: parsed.value, expiresAt: parsed.expires_at };
}

/** `POST {base}/realtime/calls` (multipart `sdp` + `session`): OpenAI answers the browser's offer. */
async function createCall(ctx: UpstreamContext, session: OpenAIRealtimeSession, sdp: string) {
  const form = new FormData();
  form.set('sdp', sdp);
  form.set('session', JSON.stringify(session));
  const url = `${ctx.base}/realtime/calls`;
  // No Content-Type: fetch writes multipart/form-data with the boundary itself.
  const response = await send(ctx, url, { method: 'POST', headers: { Authorization: `Bearer ${ctx.key}` }, body: form });
  const answerSdp = await readBody(ctx, response, false);
  if (!/^v=0\r?\n/.test(answerSdp)) {
    throw new UpstreamError('upstream_invalid_response', `${cap(ctx.name)} answered the call without an SDP answer.`, {
      upstreamStatus: response.status,
    });
  }
  const location = response.headers.get('location');
  const callId = location ? lastPathSegment(location, url) : undefined;
  if (!callId) {
    throw new UpstreamError('upstream_invalid_response', `${cap(ctx.name)} answered the call without a Location header naming the call.`, {
      upstreamStatus: response.status,
    });
  }
  return { answerSdp, callId };
}

function lastPathSegment(location: string, base: string): string | undefined {
  try {
    const segments = new URL(location, base).pathname.split('/').filter(Boolean);
    return segments.at(-1);
  } catch {
    return undefined;
  }
}

/** `https://host/v1` → `wss://host/v1/realtime?model=…`. */
function webSocketUrl(base: string, model: string): string {
  const url = new URL(`${base}/realtime`);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('model', model);
  return url.toString();
}

function resolveBaseUrl(configured: string | undefined): string {
  const raw = configured ?? readEnv('OPENAI_BASE_URL') ?? OPENAI_DEFAULT_BASE_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InvalidConfigurationError('baseUrl (or OPENAI_BASE_URL) is not a URL.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InvalidConfigurationError('baseUrl (or OPENAI_BASE_URL) must be an http(s) URL.');
  }
  url.search = '';
  url.hash = '';
  return url.toString().replace(/\/+$/, '');
}

/** Environment lookup that works where `process` does not exist (Workers, Deno without --compat, browsers). */
function readEnv(name: string): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const value = env?.[name];
  return value === '' ? undefined : value;
}

/** The upstream's name at the start of a sentence. */
function cap(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
