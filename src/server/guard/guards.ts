/**
 * Guarded mode: the route's option and the set of live call guards behind it.
 * @packageDocumentation
 */
import type { RealtimeBootstrap } from '../bootstrap.js';
import { InvalidConfigurationError, UpstreamError } from '../errors.js';
import type { ResolvedRealtimeRoutePolicy } from '../policy.js';
import { redactSecrets } from '../redact.js';
import { toOpenAISession } from '../../session/openai-session.js';
import { CallGuard, type RealtimeCallGuardAction, type RealtimeCallGuardEvent } from './call-guard.js';
import { ownedFieldsForCall, ownedSessionFields } from './owned-fields.js';
import { defaultWebSocket, type GuardWebSocketConstructor } from './socket.js';

/**
 * Guarded mode (`createRealtimeRoute({ guard })`): for every `openai-webrtc` call the route creates, a
 * server-side watcher joins the call over OpenAI's control connection with the server key, sees every
 * `session.updated`, and puts back the fields the policy owns when a page changed them (or hangs up).
 * One WebSocket per live call stays open on the server: not for serverless functions.
 */
export interface RealtimeCallGuardOptions {
  /** The server's OpenAI key (the provider's). Default: `OPENAI_API_KEY`, read at each call. */
  apiKey?: string;
  /** API root (the provider's `baseUrl`). Default: `OPENAI_BASE_URL`, then `https://api.openai.com/v1`. */
  baseUrl?: string;
  /** `reapply` (default) writes the owned fields back; `hangup` ends the call at the first violation. */
  action?: RealtimeCallGuardAction;
  /** With `reapply`: corrections allowed per call; the violation after them hangs up. Default 3. */
  maxCorrections?: number;
  /**
   * When the guard cannot join a call, or its connection drops while the call may run on: hang the
   * call up (default `true`; the route then answers 502 instead of handing out an unwatched call) or
   * let it run unguarded (`false`).
   */
  failClosed?: boolean;
  /** How long joining a call may take, in ms (100–60000). Default 10000. */
  joinTimeoutMs?: number;
  /**
   * The policy lets the browser pick adapters the guard cannot watch (`openai-agents-webrtc` and
   * `openai-websocket` hand the page a client secret and no call id reaches the server). By default
   * that is a configuration error; `true` accepts it, and those sessions run unguarded. GPT-Live
   * (`openai-live-webrtc`) is not counted: the guard does not watch it, and needs not, since the
   * server sets its data-channel permissions at creation and they leave `session.update` out (unless
   * the server itself lists it in the provider's `live.extraClientEvents`).
   */
  allowUnguardedAdapters?: boolean;
  /** Every guard event: joined, violation (with values), corrected (with `ms`), hangup, error, ended. */
  onEvent?: (event: RealtimeCallGuardEvent) => void;
  /** A WebSocket constructor that takes `{ headers }`. Default: `ws`, else the global `WebSocket`. */
  WebSocket?: GuardWebSocketConstructor;
  /** `fetch` for the hang-up request. Default: the global one. */
  fetch?: typeof fetch;
  /** Aborting it closes every guard (server shutdown); calls go on unwatched. */
  signal?: AbortSignal;
}

/** Logs one line; the route passes its own (redacting) logger. */
export type GuardLog = (level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown>) => void;

/** The live guards of one route. */
export interface RealtimeCallGuards {
  /**
   * Starts a guard for the call of an `openai-webrtc` bootstrap and resolves once it has joined.
   * Resolves `undefined` for other adapters. With `failClosed`, a guard that cannot join hangs the
   * call up and this rejects with an {@link UpstreamError}.
   */
  watch(bootstrap: RealtimeBootstrap): Promise<CallGuard | undefined>;
  /** Guards watching a call now. */
  readonly active: ReadonlySet<CallGuard>;
  /** Closes every guard (their calls go on) and refuses new ones. */
  close(): void;
}

const ACTIONS: readonly RealtimeCallGuardAction[] = ['reapply', 'hangup'];

/** Creates the guards of a route with `policy`; checks the options (throws {@link InvalidConfigurationError}). */
export function createRealtimeCallGuards(options: RealtimeCallGuardOptions, policy: ResolvedRealtimeRoutePolicy, log: GuardLog = () => {}): RealtimeCallGuards {
  const action = options.action ?? 'reapply';
  if (!ACTIONS.includes(action)) throw new InvalidConfigurationError('guard.action must be "reapply" or "hangup".');
  const maxCorrections = options.maxCorrections ?? 3;
  checkInteger('maxCorrections', maxCorrections, 0, 1000);
  const joinTimeoutMs = options.joinTimeoutMs ?? 10_000;
  checkInteger('joinTimeoutMs', joinTimeoutMs, 100, 60_000);
  // GPT-Live sessions need no watcher: the route creates them with data-channel permissions that
  // keep the page from sending `session.update` at all (see openai-live.ts), which OpenAI enforces.
  const unguarded = policy.allowedAdapters.filter((adapter) => adapter !== 'openai-webrtc' && adapter !== 'openai-live-webrtc');
  if (unguarded.length > 0 && !options.allowUnguardedAdapters) {
    throw new InvalidConfigurationError(
      `guarded mode watches openai-webrtc calls only, but the policy also allows ${unguarded.join(', ')}: ` +
        "set policy.allowedAdapters: ['openai-webrtc'] or guard.allowUnguardedAdapters: true.",
    );
  }
  if (options.baseUrl !== undefined) resolveBaseUrl(options.baseUrl);
  const owned = ownedSessionFields(policy);
  const active = new Set<CallGuard>();
  let closed = false;
  let socketConstructor: Promise<GuardWebSocketConstructor> | undefined;
  const WebSocket = (): Promise<GuardWebSocketConstructor> => (socketConstructor ??= options.WebSocket ? Promise.resolve(options.WebSocket) : defaultWebSocket());
  const doFetch = (url: string, init: RequestInit): Promise<Response> => (options.fetch ? options.fetch(url, init) : globalThis.fetch(url, init));

  const close = (): void => {
    closed = true;
    for (const guard of [...active]) guard.close();
  };
  options.signal?.addEventListener('abort', close, { once: true });
  if (options.signal?.aborted) close();

  async function watch(bootstrap: RealtimeBootstrap): Promise<CallGuard | undefined> {
    if (bootstrap.adapter !== 'openai-webrtc') return undefined;
    const { callId, session } = bootstrap;
    const apiKey = options.apiKey ?? readEnv('OPENAI_API_KEY');
    if (!apiKey) throw new InvalidConfigurationError("Guarded mode has no API key: set OPENAI_API_KEY or pass guard.apiKey (the provider's key).");
    const redact = (text: string): string => redactSecrets(text, [apiKey]);
    const report = (event: RealtimeCallGuardEvent): void => {
      logEvent(event, log, redact);
      try {
        options.onEvent?.(event);
      } catch {
        // A throwing hook must not stop the guard.
      }
    };
    const base = resolveBaseUrl(options.baseUrl);
    // The minted session has its model and voice filled in (a custom voice `{ id }` stays as it is).
    const minted = toOpenAISession(session, { model: session.model ?? '', voice: typeof session.voice === 'string' ? session.voice : '' }) as Record<string, unknown>;
    const guard = new CallGuard({
      callId,
      minted,
      owned: ownedFieldsForCall(owned, session),
      action,
      maxCorrections,
      failClosed: options.failClosed ?? true,
      joinTimeoutMs,
      controlUrl: controlUrl(base, callId),
      hangupUrl: `${base}/realtime/calls/${encodeURIComponent(callId)}/hangup`,
      apiKey,
      WebSocket,
      fetch: doFetch,
      report,
    });
    if (closed) {
      // Shutting down: no call leaves this route unwatched unless the server said it may.
      log('warn', 'realtime.guard.refused', { callId, reason: 'guards closed' });
      if (!(options.failClosed ?? true)) return undefined;
      await guard.hangUp('guard_unavailable');
      throw new UpstreamError('upstream_error', 'Guarded mode is shutting down, so the call was hung up.');
    }
    active.add(guard);
    void guard.ended.then(() => active.delete(guard));
    const joined = await guard.start();
    if (!joined && (options.failClosed ?? true) && !closed) {
      await guard.ended;
      throw new UpstreamError('upstream_error', 'Guarded mode could not watch the call, so it was hung up.');
    }
    return guard;
  }

  return { watch, active, close };
}

function logEvent(event: RealtimeCallGuardEvent, log: GuardLog, redact: (text: string) => string): void {
  const base = { callId: event.callId };
  switch (event.type) {
    case 'joined':
      return log('info', 'realtime.guard.joined', { ...base, ms: event.ms });
    case 'violation':
      return log('warn', 'realtime.guard.violation', { ...base, fields: event.violations.map((v) => v.field).join(','), action: event.action });
    case 'corrected':
      return log('info', 'realtime.guard.corrected', { ...base, fields: event.fields.join(','), ms: event.ms });
    case 'hangup':
      return log('warn', 'realtime.guard.hangup', { ...base, reason: event.reason });
    case 'error':
      return log('error', 'realtime.guard.error', { ...base, code: event.error.code, message: redact(event.error.message) });
    case 'ended':
      return log('info', 'realtime.guard.ended', { ...base, reason: event.reason, violations: event.violations, corrections: event.corrections });
  }
}

/** `https://host/v1` → `wss://host/v1/realtime?call_id=…`. */
function controlUrl(base: string, callId: string): string {
  const url = new URL(`${base}/realtime`);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('call_id', callId);
  return url.toString();
}

function resolveBaseUrl(configured: string | undefined): string {
  const raw = configured ?? readEnv('OPENAI_BASE_URL') ?? 'https://api.openai.com/v1';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InvalidConfigurationError('guard.baseUrl (or OPENAI_BASE_URL) is not a URL.');
  }
  url.search = '';
  url.hash = '';
  return url.toString().replace(/\/+$/, '');
}

function checkInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidConfigurationError(`guard.${name} must be an integer between ${min} and ${max} (got ${value}).`);
  }
}

function readEnv(name: string): string | undefined {
  const value = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
  return value === '' ? undefined : value;
}
