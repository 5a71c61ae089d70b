/**
 * Asks the page's realtime route for a bootstrap: POST `{ adapter, transport, session, sdp? }`, with a
 * timeout and the caller's AbortSignal, and parses the answer before any field is trusted.
 */
import type { BootstrapSchema } from './adapters.js';
import { RemoteRealtimeError } from './errors.js';

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
}

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
      credentials: 'same-origin',
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
    throw new RemoteRealtimeError(
      'http_error',
      `The realtime route refused the session (${response.status}): ${routeError.message ?? response.statusText ?? 'no message'}`,
      { status: response.status, ...(routeError.code ? { routeCode: routeError.code } : {}) },
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

function readRouteError(payload: unknown): { code?: string; message?: string } {
  const error = (payload as { error?: unknown } | undefined)?.error;
  if (typeof error === 'string') return { message: error.slice(0, 500) };
  if (typeof error !== 'object' || error === null) return {};
  const { code, message } = error as { code?: unknown; message?: unknown };
  return {
    ...(typeof code === 'string' ? { code: code.slice(0, 100) } : {}),
    ...(typeof message === 'string' ? { message: message.slice(0, 500) } : {}),
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function abortError(): Error {
  return new DOMException('The session start was cancelled.', 'AbortError');
}
