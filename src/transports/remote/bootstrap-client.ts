/**
 * Asks the page's realtime route for a bootstrap: POST `{ adapter, transport, session, sdp? }`, with a
 * timeout and the caller's AbortSignal, and parses the answer before any field is trusted.
 */
import type { BootstrapSchema } from './adapters.js';
import { RemoteRealtimeError, type RemoteRealtimeErrorCode } from './errors.js';

/** What the route is asked for. */
export interface BootstrapRequest {
  adapter: string;
  transport: 'webrtc' | 'websocket';
  session: unknown;
  sdp?: string;
  /** GPT-Live reconnects: the conversation so far. */
  history?: ReadonlyArray<{ role: 'user' | 'assistant'; text: string; interrupted?: boolean }>;
}

/** Options of {@link requestBootstrap}. */
export interface BootstrapRequestOptions {
  endpoint: string;
  fetch: typeof fetch;
  timeoutMs: number;
  signal: AbortSignal;
  schema: BootstrapSchema;
  /** Whether cookies go with the request: `same-origin` (default), `include` (a route on another origin), `omit`. */
  credentials?: RequestCredentials;
}

/** The code of a route's refusal, by HTTP status; any other status is `http_error`. */
const STATUS_CODES: Readonly<Record<number, RemoteRealtimeErrorCode>> = {
  401: 'unauthorized',
  403: 'forbidden',
  408: 'request_timeout',
  413: 'payload_too_large',
  429: 'rate_limited',
};

/** Longest `Retry-After` taken as it is (a day); a larger one is nonsense and is capped. */
const MAX_RETRY_AFTER_SECONDS = 86_400;

export async function requestBootstrap(body: BootstrapRequest, options: BootstrapRequestOptions): Promise<unknown> {
  const { endpoint, timeoutMs, signal, schema } = options;
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), timeoutMs);
  const combined = AbortSignal.any([signal, timeout.signal]);
  let response: Response;
  try {
    response = await options.fetch(endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
      credentials: options.credentials ?? 'same-origin',
      signal: combined,
    });
  } catch (error) {
    clearTimeout(timer);
    if (signal.aborted) throw abortError();
    if (timeout.signal.aborted) {
      throw new RemoteRealtimeError('timeout', `The realtime route ${endpoint} did not answer within ${timeoutMs} ms.`);
    }
    throw new RemoteRealtimeError('network_error', `Could not reach the realtime route ${endpoint}: ${messageOf(error)}`, { cause: error });
  }
  let payload: unknown;
  try {
    payload = await response.json();
  } catch (error) {
    payload = undefined;
    if (signal.aborted) throw abortError();
    if (timeout.signal.aborted) {
      throw new RemoteRealtimeError('timeout', `The realtime route ${endpoint} did not finish its answer within ${timeoutMs} ms.`);
    }
    if (response.ok) {
      throw new RemoteRealtimeError('invalid_bootstrap', `The realtime route answered ${response.status} with a body that is not JSON.`, { cause: error });
    }
  } finally {
    clearTimeout(timer);
  }
  if (!response.ok) {
    const routeError = readRouteError(payload);
    const code = STATUS_CODES[response.status] ?? 'http_error';
    const retryAfter = code === 'rate_limited' ? retryAfterSeconds(response.headers.get('retry-after'), routeError.retryAfterSeconds) : undefined;
    const when = retryAfter !== undefined ? ` (retry in ${retryAfter} s)` : '';
    throw new RemoteRealtimeError(
      code,
      `The realtime route refused the session (${response.status}): ${routeError.message ?? response.statusText ?? 'no message'}${when}`,
      { status: response.status, ...(routeError.code ? { routeCode: routeError.code } : {}), ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}) },
    );
  }
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    const where = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    throw new RemoteRealtimeError('invalid_bootstrap', `The realtime route sent an invalid bootstrap: ${where}`);
  }
  return parsed.data;
}

function readRouteError(payload: unknown): { code?: string; message?: string; retryAfterSeconds?: unknown } {
  const error = (payload as { error?: unknown } | undefined)?.error;
  if (typeof error === 'string') return { message: error.slice(0, 500) };
  if (typeof error !== 'object' || error === null) return {};
  const { code, message, retryAfterSeconds } = error as { code?: unknown; message?: unknown; retryAfterSeconds?: unknown };
  return {
    ...(typeof code === 'string' ? { code: code.slice(0, 100) } : {}),
    ...(typeof message === 'string' ? { message: message.slice(0, 500) } : {}),
    retryAfterSeconds,
  };
}

/**
 * Seconds to wait from a `Retry-After` header (delta-seconds or an HTTP date), else from the route's
 * JSON `retryAfterSeconds` (a page on another origin may not see the header unless the route exposes
 * it; ours does). Untrusted: a negative, fractional or absurd value is clamped to whole seconds within
 * 0 and a day; nothing usable gives `undefined`.
 */
export function retryAfterSeconds(header: string | null, fromBody: unknown): number | undefined {
  let seconds: number | undefined;
  const text = header?.trim();
  if (text) {
    if (/^\d+$/.test(text)) seconds = Number(text);
    else {
      const date = Date.parse(text);
      if (Number.isFinite(date)) seconds = (date - Date.now()) / 1000;
    }
  }
  if (seconds === undefined && typeof fromBody === 'number' && Number.isFinite(fromBody)) seconds = fromBody;
  if (seconds === undefined || !Number.isFinite(seconds)) return undefined;
  return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(0, Math.ceil(seconds)));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function abortError(): Error {
  return new DOMException('The session start was cancelled.', 'AbortError');
}
