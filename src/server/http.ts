/**
 * HTTP plumbing for the route, on Web `Request`/`Response` only: origin checks, CORS headers and
 * JSON responses. (Reading the body is in request-body.ts.)
 * @packageDocumentation
 */
import type { RealtimeRouteError } from './errors.js';

/** Methods the route answers; sent in `Allow` and in preflight answers. */
export const ALLOWED_METHODS = 'POST, OPTIONS';
/** Request headers a cross-origin page may send (Authorization for the app's own auth). */
const ALLOWED_REQUEST_HEADERS = 'Content-Type, Authorization';
/** Response headers a cross-origin page may read: when to retry a 429, and the id to quote to support. */
const EXPOSED_HEADERS = 'Retry-After, X-Request-Id';

/**
 * Whether `origin` may call the route. With no list, only the route's own host is allowed; the
 * scheme is not compared because TLS is often terminated by a proxy in front of the server.
 */
export function isOriginAllowed(origin: string, allowed: string[] | '*' | undefined, requestUrl: string): boolean {
  if (allowed === '*') return true;
  if (allowed) return allowed.some((entry) => normalizeOrigin(entry) === normalizeOrigin(origin));
  try {
    return new URL(origin).host === new URL(requestUrl).host;
  } catch {
    return false;
  }
}

function normalizeOrigin(origin: string): string {
  if (origin === 'null') return origin;
  try {
    return new URL(origin).origin;
  } catch {
    return origin.trim().toLowerCase();
  }
}

/** CORS headers for a response to an allowed origin. */
export function corsHeaders(origin: string | null, allowed: string[] | '*' | undefined): Record<string, string> {
  if (!origin) return {};
  // '*' is exact for a wildcard policy; otherwise the origin is echoed, and caches must key on it.
  const expose = { 'Access-Control-Expose-Headers': EXPOSED_HEADERS };
  // A named origin may send its cookies (the `authorize` hook reads them); the wildcard never may.
  return allowed === '*'
    ? { 'Access-Control-Allow-Origin': '*', ...expose }
    : { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true', Vary: 'Origin', ...expose };
}

/** Answer to a CORS preflight from an allowed origin. */
export function preflightResponse(origin: string | null, allowed: string[] | '*' | undefined): Response {
  const headers = new Headers({ Allow: ALLOWED_METHODS, ...corsHeaders(origin, allowed) });
  if (origin) {
    headers.set('Access-Control-Allow-Methods', ALLOWED_METHODS);
    headers.set('Access-Control-Allow-Headers', ALLOWED_REQUEST_HEADERS);
    headers.set('Access-Control-Max-Age', '600');
    headers.append('Vary', 'Access-Control-Request-Headers');
  }
  return new Response(null, { status: 204, headers });
}

/** Headers every JSON answer carries: bootstraps hold a credential, so nothing may cache them. */
const JSON_HEADERS = {
  'Content-Type': 'application/json; charset=utf-8',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
};

/** A JSON response. */
export function jsonResponse(status: number, body: unknown, extraHeaders: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...extraHeaders } });
}

/**
 * `{ error: { code, message, field?, upstreamStatus?, retryAfterSeconds? } }` for a route error, with
 * `Allow` on a 405 and `Retry-After` on a 429.
 */
export function errorResponse(error: RealtimeRouteError, message: string, extraHeaders: Record<string, string> = {}): Response {
  const body: Record<string, unknown> = { code: error.code, message };
  if (error.field !== undefined) body.field = error.field;
  const upstreamStatus = (error as { upstreamStatus?: number }).upstreamStatus;
  if (upstreamStatus !== undefined) body.upstreamStatus = upstreamStatus;
  const headers: Record<string, string> = { ...extraHeaders };
  if (error.status === 405) headers.Allow = ALLOWED_METHODS;
  const retryAfter = (error as { retryAfterSeconds?: number }).retryAfterSeconds;
  if (retryAfter !== undefined) {
    body.retryAfterSeconds = retryAfter;
    headers['Retry-After'] = String(retryAfter);
  }
  return jsonResponse(error.status, { error: body }, headers);
}

/** Whether the Content-Type is JSON (`application/json`, or `application/<x>+json`), ignoring parameters. */
export function isJsonContentType(contentType: string | null): boolean {
  if (!contentType) return false;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}
