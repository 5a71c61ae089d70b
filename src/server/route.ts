/**
 * The realtime route: `POST { adapter, transport?, session?, sdp? }` → bootstrap JSON. A plain
 * `(Request) => Promise<Response>`, so it mounts as a Next.js route handler, a Hono/Deno/Workers
 * handler, or (through `toNodeHandler`) on node:http, Express, Connect and Vite.
 * @packageDocumentation
 */
import { realtimeBootstrapSchema } from './bootstrap.js';
import {
  InvalidConfigurationError,
  InvalidRequestError,
  MethodNotAllowedError,
  OriginNotAllowedError,
  RealtimeRouteError,
  UnsupportedMediaTypeError,
} from './errors.js';
import { corsHeaders, errorResponse, isJsonContentType, isOriginAllowed, jsonResponse, parseJsonBody, preflightResponse, readBodyLimited } from './http.js';
import { applyPolicy, resolvePolicy, type RealtimeRoutePolicy } from './policy.js';
import { describePolicyForBrowser } from './policy-view.js';
import { describeLivePolicy } from './live-policy-view.js';
import type { RealtimeProvider } from './provider.js';
import { limitLength, redactSecrets } from './redact.js';
import { parseRouteRequest } from './request-schema.js';

/** Where the route reports what it did. Every method is optional; fields never hold secrets. */
export interface RealtimeRouteLogger {
  info?(message: string, fields?: Record<string, unknown>): void;
  warn?(message: string, fields?: Record<string, unknown>): void;
  error?(message: string, fields?: Record<string, unknown>): void;
}

/** Options for {@link createRealtimeRoute}. */
export interface RealtimeRouteOptions {
  /** Creates the sessions, e.g. `createOpenAIRealtimeProvider()`. */
  provider: RealtimeProvider;
  /** What browsers may ask for; see {@link RealtimeRoutePolicy} for the defaults. */
  policy?: RealtimeRoutePolicy;
  logger?: RealtimeRouteLogger;
  /** How long the provider's upstream call may take, in ms (1–120000). Default 15000. */
  upstreamTimeoutMs?: number;
}

/** A Web-standard request handler. */
export type RealtimeRoute = (request: Request) => Promise<Response>;

/** Default upstream timeout: OpenAI answers in well under a second; 15 s covers a slow day, not a hung socket. */
export const DEFAULT_UPSTREAM_TIMEOUT_MS = 15_000;

/**
 * Creates the realtime route handler. Policy numbers are checked here, so a misconfiguration throws
 * {@link InvalidConfigurationError} at start-up rather than on the first request.
 *
 * @example Next.js (`app/api/realtime/route.ts`)
 * ```ts
 * const route = createRealtimeRoute({ provider: createOpenAIRealtimeProvider(), policy: { allowedModels: ['gpt-realtime'] } });
 * export const POST = route, OPTIONS = route;
 * ```
 */
export function createRealtimeRoute(options: RealtimeRouteOptions): RealtimeRoute {
  const { provider, logger } = options;
  if (!provider || typeof provider.createSession !== 'function') {
    throw new InvalidConfigurationError('createRealtimeRoute needs a provider with createSession().');
  }
  const policy = resolvePolicy(options.policy);
  // The browser learns what the policy owns, so the manager refuses a live change before sending it.
  const browserPolicy = describePolicyForBrowser(policy);
  const timeoutMs = options.upstreamTimeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 120_000) {
    throw new InvalidConfigurationError(`upstreamTimeoutMs must be an integer between 1 and 120000 (got ${timeoutMs}).`);
  }
  // Everything that leaves the route as text passes here, whatever the provider already scrubbed:
  // the provider's own secrets, the conventional env key in case a custom provider forgot it, and
  // anything key-shaped.
  const redact = (text: string): string =>
    redactSecrets(provider.redact ? provider.redact(text) : text, [readEnv('OPENAI_API_KEY')]);
  const log = (level: keyof RealtimeRouteLogger, message: string, fields: Record<string, unknown>): void => {
    try {
      logger?.[level]?.(redact(message), redactFields(fields, redact));
    } catch {
      // A broken logger must not turn a good answer into a 500.
    }
  };

  return async function realtimeRoute(request: Request): Promise<Response> {
    const started = Date.now();
    const origin = request.headers.get('origin');
    const method = request.method.toUpperCase();
    const originOk = origin === null || isOriginAllowed(origin, policy.allowedOrigins, request.url);
    const cors = originOk ? corsHeaders(origin, policy.allowedOrigins) : {};
    let adapter: string | undefined;

    try {
      if (method === 'OPTIONS') {
        if (!originOk) throw new OriginNotAllowedError(origin!);
        return preflightResponse(origin, policy.allowedOrigins);
      }
      if (method !== 'POST') throw new MethodNotAllowedError(method);
      if (!originOk) throw new OriginNotAllowedError(origin!);
      // Only JSON: it forces a preflight for cross-site pages, so a form post cannot spend credits.
      const contentType = request.headers.get('content-type');
      if (!isJsonContentType(contentType)) throw new UnsupportedMediaTypeError(contentType);

      const body = parseRouteRequest(parseJsonBody(await readBodyLimited(request, policy.maxBodyBytes)));
      adapter = body.adapter;
      if (!policy.allowedAdapters.includes(body.adapter)) {
        throw new InvalidRequestError(`adapter: ${body.adapter} is not enabled on this server; enabled: ${policy.allowedAdapters.join(', ')}.`, {
          field: 'adapter',
        });
      }
      if (body.session?.provider !== undefined && body.session.provider !== provider.name) {
        throw new InvalidRequestError(`session.provider: this server creates "${provider.name}" sessions, not "${body.session.provider}".`, {
          field: 'session.provider',
        });
      }
      const session = applyPolicy(body.session, policy, provider.defaultsFor?.(body.adapter) ?? provider.defaults);

      const signal = anySignal([AbortSignal.timeout(timeoutMs), request.signal]);
      const bootstrap = await provider.createSession(
        { adapter: body.adapter, transport: body.transport, session, sdp: body.sdp, ttlSeconds: policy.secretTtlSeconds, ...(body.history ? { history: body.history } : {}) },
        { signal },
      );
      const checked = realtimeBootstrapSchema.safeParse(bootstrap);
      if (!checked.success) {
        throw new InvalidConfigurationError('The provider returned a bootstrap that does not match the bootstrap schema.');
      }

      log('info', 'realtime session created', {
        status: 200,
        adapter: checked.data.adapter,
        model: checked.data.session.model,
        durationMs: Date.now() - started,
      });
      const view = checked.data.adapter === 'openai-live-webrtc' ? describeLivePolicy(browserPolicy) : browserPolicy;
      return jsonResponse(200, { ...checked.data, policy: view }, cors);
    } catch (error) {
      const routeError =
        error instanceof RealtimeRouteError
          ? error
          : new RealtimeRouteError('internal_error', 500, 'The realtime route failed unexpectedly.', { cause: error });
      const message = limitLength(redact(routeError.message));
      const fields: Record<string, unknown> = {
        status: routeError.status,
        code: routeError.code,
        durationMs: Date.now() - started,
      };
      if (adapter) fields.adapter = adapter;
      if (routeError.field) fields.field = routeError.field;
      if (origin) fields.origin = origin;
      const upstreamStatus = (routeError as { upstreamStatus?: number }).upstreamStatus;
      if (upstreamStatus !== undefined) fields.upstreamStatus = upstreamStatus;
      if (routeError.code === 'internal_error' && error instanceof Error) fields.cause = error.message;
      log(routeError.status >= 500 ? 'error' : 'warn', `realtime route: ${message}`, fields);
      return errorResponse(routeError, message, cors);
    }
  };
}

function redactFields(fields: Record<string, unknown>, redact: (text: string) => string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) out[key] = typeof value === 'string' ? redact(value) : value;
  return out;
}

function readEnv(name: string): string | undefined {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name] || undefined;
}

/** `AbortSignal.any`, with a fallback for runtimes that lack it (Node < 20.3, older Workers). */
function anySignal(signals: AbortSignal[]): AbortSignal {
  const any = (AbortSignal as { any?: (signals: AbortSignal[]) => AbortSignal }).any;
  if (any) return any.call(AbortSignal, signals);
  const controller = new AbortController();
  for (const signal of signals) {
    if (signal.aborted) {
      controller.abort(signal.reason);
      break;
    }
    signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
  }
  return controller.signal;
}
