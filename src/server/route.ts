/**
 * The realtime route: `POST { adapter, transport?, session?, sdp?, history? }` → bootstrap JSON. A plain
 * `(Request) => Promise<Response>`, so it mounts as a Next.js route handler, a Hono/Deno/Workers
 * handler, or (through `toNodeHandler`) on node:http, Express, Connect and Vite.
 *
 * Order of checks, cheapest and least trusting first: CORS preflight (answered without
 * `authorize`: browsers send no credentials on it) → `authorize` → method → origin → media type →
 * rate limit → body (size, time, nesting) → request schema → policy → provider → bootstrap checks.
 * @packageDocumentation
 */
import { runAuthorize, type RealtimeAuthorize } from './auth.js';
import { outcomeOf, writeLogLine, writeMintRecord, type RealtimeMintRecord, type RealtimeRouteLogger } from './audit.js';
import { realtimeBootstrapSchema } from './bootstrap.js';
import { recordedClientIp } from './client-ip.js';
import {
  ClientClosedRequestError,
  InvalidConfigurationError,
  InvalidRequestError,
  MethodNotAllowedError,
  OriginNotAllowedError,
  RealtimeRouteError,
  UnsupportedMediaTypeError,
  UpstreamError,
} from './errors.js';
import { corsHeaders, errorResponse, isJsonContentType, isOriginAllowed, jsonResponse, preflightResponse } from './http.js';
import { createRealtimeCallGuards, type RealtimeCallGuardOptions } from './guard/guards.js';
import { applyPolicy, resolvePolicy, type RealtimeRoutePolicy } from './policy.js';
import { describePolicyForBrowser } from './policy-view.js';
import type { RealtimeProvider } from './provider.js';
import { consumeRateLimit, type RealtimeRateLimitOptions } from './rate-limit.js';
import { containsSecret, limitLength, redactSecrets } from './redact.js';
import { parseJsonBody, readBodyLimited } from './request-body.js';
import { parseRouteRequest } from './request-schema.js';
import { startUpstreamDeadline } from './upstream-deadline.js';

export type { RealtimeRouteLogger } from './audit.js';

/** Options for {@link createRealtimeRoute}. */
export interface RealtimeRouteOptions {
  /** Creates the sessions, e.g. `createOpenAIRealtimeProvider()`. */
  provider: RealtimeProvider;
  /** What browsers may ask for; see {@link RealtimeRoutePolicy} for the defaults. */
  policy?: RealtimeRoutePolicy;
  /**
   * Who may mint. Runs first for every request but CORS preflights, before the body is read. Return
   * the subject (user id), `false` (401), or a `Response` (sent as is). Without it anyone who can
   * reach the route can mint: fine for local development, not for a public deploy.
   */
  authorize?: RealtimeAuthorize;
  /** Limits mints per subject (or IP); see {@link RealtimeRateLimitOptions}. Checked after `authorize`, origin and media type. */
  rateLimit?: RealtimeRateLimitOptions;
  /**
   * The client's IP address, for the rate-limit key and the audit line. Default: the address
   * `toNodeHandler` (or your own `withClientIp`) recorded; `undefined` elsewhere. Read a forwarded
   * header here only when a proxy you run overwrites it: clients can write any `X-Forwarded-For`.
   */
  clientIp?: (request: Request) => string | undefined | Promise<string | undefined>;
  /** Gets one `realtime.mint` line per answered request (see `RealtimeMintRecord`). */
  logger?: RealtimeRouteLogger;
  /** How long the provider's upstream call may take, in ms (1–120000). Default 15000. */
  upstreamTimeoutMs?: number;
  /** How long the whole request body may take to arrive, in ms (1–120000); then 408. Default 10000. */
  bodyTimeoutMs?: number;
  /**
   * Guarded mode: watch each `openai-webrtc` call server-side and hold it to the policy ({@link RealtimeCallGuardOptions}).
   * GPT-Live sessions (`openai-live-webrtc`) are not watched: their data-channel permissions, set by
   * the server at creation, already keep the page from changing the session.
   */
  guard?: RealtimeCallGuardOptions;
}

/** A Web-standard request handler. */
export type RealtimeRoute = (request: Request) => Promise<Response>;

/** Default upstream timeout: OpenAI answers in well under a second; 15 s covers a slow day, not a hung socket. */
export const DEFAULT_UPSTREAM_TIMEOUT_MS = 15_000;
/** Default body timeout: a JSON body of at most 64 KiB arrives in milliseconds; 10 s covers a bad mobile link. */
export const DEFAULT_BODY_TIMEOUT_MS = 10_000;

/**
 * Creates the realtime route handler. Policy numbers are checked here, so a misconfiguration throws
 * {@link InvalidConfigurationError} at start-up rather than on the first request.
 *
 * @example Next.js (`app/api/realtime/route.ts`)
 * ```ts
 * const route = createRealtimeRoute({
 *   provider: createOpenAIRealtimeProvider(),
 *   authorize: async (request) => (await getSession(request))?.userId ?? false,
 *   policy: { allowedModels: ['gpt-realtime'] },
 * });
 * export const POST = route, OPTIONS = route;
 * ```
 */
export function createRealtimeRoute(options: RealtimeRouteOptions): RealtimeRoute {
  const { provider, logger, authorize, rateLimit } = options;
  if (!provider || typeof provider.createSession !== 'function') {
    throw new InvalidConfigurationError('createRealtimeRoute needs a provider with createSession().');
  }
  if (authorize !== undefined && typeof authorize !== 'function') throw new InvalidConfigurationError('authorize must be a function.');
  if (rateLimit !== undefined && typeof rateLimit.limiter?.consume !== 'function') {
    throw new InvalidConfigurationError('rateLimit.limiter must have consume(key, points), e.g. a rate-limiter-flexible limiter.');
  }
  const policy = resolvePolicy(options.policy);
  // The browser learns what the policy owns, so the manager refuses a live change before sending it.
  const browserPolicy = describePolicyForBrowser(policy);
  // GPT-Live fixes more at startup (see live-policy-view.ts): its sessions get their own view.
  const livePolicy = describePolicyForBrowser(policy, 'openai-live-webrtc');
  const timeoutMs = checkTimeout('upstreamTimeoutMs', options.upstreamTimeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS);
  const bodyTimeoutMs = checkTimeout('bodyTimeoutMs', options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS);
  const clientIp = options.clientIp ?? recordedClientIp;
  // The provider's secrets, plus the conventional env key in case a custom provider forgot it.
  const secrets = (): Array<string | undefined> => [...(provider.secrets?.() ?? []), readEnv('OPENAI_API_KEY')];
  // Everything that leaves the route as text passes here, whatever the provider already scrubbed.
  const redact = (text: string): string => redactSecrets(provider.redact ? provider.redact(text) : text, secrets());

  // Guard lines go through the route's logger, scrubbed like every line the route writes.
  const guards = options.guard ? createRealtimeCallGuards(options.guard, policy, (level, message, fields) => writeLogLine(logger, level, message, fields, redact)) : undefined;

  return async function realtimeRoute(request: Request): Promise<Response> {
    const started = Date.now();
    const origin = request.headers.get('origin');
    const method = request.method.toUpperCase();
    const originOk = origin === null || isOriginAllowed(origin, policy.allowedOrigins, request.url);
    const cors = originOk ? corsHeaders(origin, policy.allowedOrigins) : {};
    const record: RealtimeMintRecord = { requestId: newRequestId(), outcome: 'failed', status: 500, method: limitLength(method, 16), durationMs: 0 };
    if (origin !== null) record.origin = limitLength(origin, 200);
    const headers = { ...cors, 'X-Request-Id': record.requestId };
    const finish = (response: Response): Response => {
      record.durationMs = Date.now() - started;
      writeMintRecord(logger, record, redact);
      return response;
    };

    try {
      if (method === 'OPTIONS') {
        if (!originOk) throw new OriginNotAllowedError(origin!);
        return preflightResponse(origin, policy.allowedOrigins);
      }
      const auth = await runAuthorize(authorize, request);
      if ('response' in auth) {
        Object.assign(record, { outcome: 'denied', status: auth.response.status });
        return finish(auth.response);
      }
      if (auth.subject !== undefined) record.subject = auth.subject;
      const ip = await clientIp(request);
      if (ip) record.ip = ip;

      if (method !== 'POST') throw new MethodNotAllowedError(method);
      if (!originOk) throw new OriginNotAllowedError(origin!);
      // Only JSON: it forces a preflight for cross-site pages, so a form post cannot spend credits.
      const contentType = request.headers.get('content-type');
      if (!isJsonContentType(contentType)) throw new UnsupportedMediaTypeError(contentType);
      if (rateLimit) await consumeRateLimit(rateLimit, { subject: auth.subject, ip: record.ip, request });

      const bytes = await readBodyLimited(request, { maxBytes: policy.maxBodyBytes, timeoutMs: bodyTimeoutMs });
      const body = parseRouteRequest(parseJsonBody(bytes, policy.maxJsonDepth));
      record.adapter = body.adapter;
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
      if (session.model !== undefined) record.model = session.model;

      const deadline = startUpstreamDeadline(timeoutMs, request.signal);
      let bootstrap: unknown;
      try {
        bootstrap = await provider.createSession(
          {
            adapter: body.adapter,
            transport: body.transport,
            session,
            sdp: body.sdp,
            ttlSeconds: policy.secretTtlSeconds,
            ...(body.history ? { history: body.history } : {}),
          },
          { signal: deadline.signal },
        );
      } finally {
        deadline.dispose();
      }
      const checked = realtimeBootstrapSchema.safeParse(bootstrap);
      if (!checked.success) {
        throw new InvalidConfigurationError('The provider returned a bootstrap that does not match the bootstrap schema.');
      }
      const answer = JSON.stringify(checked.data);
      if (containsSecret(answer, secrets())) {
        throw new UpstreamError('upstream_invalid_response', "The provider's answer holds the server's API key; it was not forwarded.");
      }
      if (guards) await guards.watch(checked.data);

      record.model = checked.data.session.model ?? record.model;
      if ('clientSecret' in checked.data) record.expiresAt = checked.data.clientSecret.expiresAt;
      Object.assign(record, { outcome: 'minted', status: 200 });
      const view = checked.data.adapter === 'openai-live-webrtc' ? livePolicy : browserPolicy;
      return finish(jsonResponse(200, { ...checked.data, policy: view }, headers));
    } catch (error) {
      const routeError = classify(error, request);
      const message = limitLength(redact(routeError.message));
      Object.assign(record, { status: routeError.status, code: routeError.code, message, outcome: outcomeOf(routeError.status, routeError.code) });
      if (routeError.field) record.field = routeError.field;
      const upstreamStatus = (routeError as { upstreamStatus?: number }).upstreamStatus;
      if (upstreamStatus !== undefined) record.upstreamStatus = upstreamStatus;
      if (routeError.code === 'internal_error' && error instanceof Error) record.cause = limitLength(describeCause(error));
      return finish(errorResponse(routeError, message, headers));
    }
  };
}

/**
 * Maps any failure to a route error. A request whose client already left is `client_closed_request`
 * whatever broke (the upstream call aborted with it): not the server's fault, and nobody to tell.
 */
function classify(error: unknown, request: Request): RealtimeRouteError {
  if (error instanceof ClientClosedRequestError) return error;
  if (request.signal.aborted) return new ClientClosedRequestError(error);
  if (error instanceof RealtimeRouteError) return error;
  return new RealtimeRouteError('internal_error', 500, 'The realtime route failed unexpectedly.', { cause: error });
}

function describeCause(error: Error): string {
  const inner = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${inner}`;
}

function checkTimeout(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 120_000) {
    throw new InvalidConfigurationError(`${name} must be an integer between 1 and 120000 (got ${value}).`);
  }
  return value;
}

/** A random id per request, for the audit line and `X-Request-Id`. */
function newRequestId(): string {
  return globalThis.crypto.randomUUID();
}

function readEnv(name: string): string | undefined {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name] || undefined;
}
