/**
 * HTTP plumbing for the route, on Web `Request`/`Response` only: origin checks and CORS headers,
 * bounded body reading, JSON error responses.
 * @packageDocumentation
 */
import { InvalidRequestError, PayloadTooLargeError, type RealtimeRouteError } from './errors.js';

/** Methods the route answers; sent in `Allow` and in preflight answers. */
export const ALLOWED_METHODS = 'POST, OPTIONS';
/** Request headers a cross-origin page may send (Authorization for the app's own auth). */
const ALLOWED_REQUEST_HEADERS = 'Content-Type, Authorization';

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
  return allowed === '*' ? { 'Access-Control-Allow-Origin': '*' } : { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' };
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

/** `{ error: { code, message, field?, upstreamStatus? } }` for a route error. */
export function errorResponse(error: RealtimeRouteError, message: string, extraHeaders: Record<string, string> = {}): Response {
  const body: Record<string, unknown> = { code: error.code, message };
  if (error.field !== undefined) body.field = error.field;
  const upstreamStatus = (error as { upstreamStatus?: number }).upstreamStatus;
  if (upstreamStatus !== undefined) body.upstreamStatus = upstreamStatus;
  const headers = error.status === 405 ? { Allow: ALLOWED_METHODS, ...extraHeaders } : extraHeaders;
  return jsonResponse(error.status, { error: body }, headers);
}

/** Whether the Content-Type is JSON (`application/json`, or `application/<x>+json`), ignoring parameters. */
export function isJsonContentType(contentType: string | null): boolean {
  if (!contentType) return false;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/**
 * Reads the body, refusing more than `maxBytes`: first by the declared Content-Length (so a large
 * upload is refused before it is read), then by counting, since the header can be absent (chunked)
 * or lie.
 */
export async function readBodyLimited(request: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > maxBytes) {
    await request.body?.cancel().catch(() => undefined);
    throw new PayloadTooLargeError(maxBytes);
  }
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new PayloadTooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** Decodes UTF-8 JSON, throwing {@link InvalidRequestError} (`invalid_json`) on any fault. */
export function parseJsonBody(bytes: Uint8Array): unknown {
  if (bytes.byteLength === 0) throw new InvalidRequestError('The request body is empty; send a JSON object.', { code: 'invalid_json', field: '(body)' });
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new InvalidRequestError('The request body is not valid UTF-8.', { code: 'invalid_json', field: '(body)', cause });
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new InvalidRequestError('The request body is not valid JSON.', { code: 'invalid_json', field: '(body)', cause });
  }
}
