/**
 * Reading the browser's request body: bounded in bytes (413), in time (408) and in JSON nesting
 * (400), and telling a client that hung up (499, logged at info) from a route fault.
 * @packageDocumentation
 */
import { ClientClosedRequestError, InvalidRequestError, PayloadTooLargeError, RequestTimeoutError } from './errors.js';
import { findJsonShapeFault, routeRequestField } from './json-limits.js';

/** Limits for {@link readBodyLimited}. */
export interface BodyLimits {
  maxBytes: number;
  /** The whole body must have arrived this many ms after reading starts; a trickle is a stall. */
  timeoutMs: number;
}

/**
 * Reads the body, refusing more than `maxBytes`: first by the declared Content-Length (so a large
 * upload is refused before it is read), then by counting, since the header can be absent (chunked)
 * or lie. The deadline covers the whole body, not the gap between chunks, so a client sending one
 * byte a second cannot hold the request open.
 */
export async function readBodyLimited(request: Request, limits: BodyLimits): Promise<Uint8Array> {
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > limits.maxBytes) {
    await request.body?.cancel().catch(() => undefined);
    throw new PayloadTooLargeError(limits.maxBytes);
  }
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new RequestTimeoutError(limits.timeoutMs)), limits.timeoutMs);
  });
  deadline.catch(() => undefined); // observed by the race below; this only keeps Node from calling it unhandled
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await Promise.race([reader.read(), deadline]);
      } catch (error) {
        if (error instanceof RequestTimeoutError) throw error;
        // The body stream only fails when the connection under it does: the client went away.
        throw new ClientClosedRequestError(error);
      }
      if (next.done) break;
      total += next.value.byteLength;
      if (total > limits.maxBytes) throw new PayloadTooLargeError(limits.maxBytes);
      chunks.push(next.value);
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/**
 * Decodes UTF-8 JSON, throwing {@link InvalidRequestError}: `invalid_json` when it does not parse,
 * `invalid_request` naming the field when it nests deeper than `maxDepth` or holds a `__proto__` key.
 */
export function parseJsonBody(bytes: Uint8Array, maxDepth: number): unknown {
  if (bytes.byteLength === 0) throw new InvalidRequestError('The request body is empty; send a JSON object.', { code: 'invalid_json', field: '(body)' });
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new InvalidRequestError('The request body is not valid UTF-8.', { code: 'invalid_json', field: '(body)', cause });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new InvalidRequestError('The request body is not valid JSON.', { code: 'invalid_json', field: '(body)', cause });
  }
  const fault = findJsonShapeFault(value, maxDepth, routeRequestField);
  if (fault?.kind === 'too_deep') {
    throw new InvalidRequestError(`${fault.field}: nested deeper than ${maxDepth} levels.`, { field: fault.field });
  }
  if (fault?.kind === 'forbidden_key') {
    throw new InvalidRequestError(`${fault.field}: the key "__proto__" is not accepted.`, { field: fault.field });
  }
  return value;
}
