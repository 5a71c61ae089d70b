/**
 * Adapts a Web-standard handler to Node's `(req, res, next?)`, the signature node:http, Express,
 * Connect and Vite's dev server share. The request body is streamed (so the route's size limit
 * applies to bytes read, not to a buffer built first) and the response is streamed back with
 * backpressure.
 *
 * Only type imports from `node:`: this module is re-exported by the package entry, which must load
 * on runtimes without Node built-ins.
 * @packageDocumentation
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { forwardedClientIp, withClientIp } from './client-ip.js';
import { InvalidConfigurationError } from './errors.js';

/** Connect/Express `next`. */
export type NodeNext = (error?: unknown) => void;

/** A Node request handler usable with node:http, Express and Connect. */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse, next?: NodeNext) => void;

/** Options for {@link toNodeHandler}. */
export interface NodeHandlerOptions {
  /**
   * The proxies in front of this server that you run. `true` (one proxy) or a number of hops:
   * the scheme and host come from `X-Forwarded-Proto` / `X-Forwarded-Host`, and the client's IP
   * from `X-Forwarded-For`, taking the entry that many hops from the right (what your outermost
   * proxy saw); entries a client wrote further left are ignored. Default `false`: the socket
   * address is the client, and forwarded headers are ignored, since any client can send them.
   * Only enable behind proxies that set these headers: the route's same-origin check trusts the
   * host it is given.
   */
  trustProxy?: boolean | number;
}

/** Headers of the answers this adapter writes itself (the route's own carry the same). */
const BARE_JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };

/** Methods `new Request()` refuses (the Fetch standard's forbidden methods); answered 501 here. */
const UNREPRESENTABLE_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

/** Express-style extras some frameworks add to the request. */
interface FrameworkRequest extends IncomingMessage {
  originalUrl?: string;
  /** Set when a body parser already consumed the stream. */
  body?: unknown;
}

/**
 * Wraps `route` for Node. Errors the route does not turn into a response go to `next` when given
 * (Express error middleware), else become a bare 500.
 *
 * @example
 * ```ts
 * http.createServer(toNodeHandler(createRealtimeRoute({ provider }))).listen(3000);
 * app.post('/api/realtime', toNodeHandler(route)); // Express (mount before any JSON body parser, or after: both work)
 * ```
 */
export function toNodeHandler(route: (request: Request) => Promise<Response>, options: NodeHandlerOptions = {}): NodeHandler {
  const hops = options.trustProxy;
  if (hops !== undefined && typeof hops !== 'boolean' && !(Number.isInteger(hops) && hops >= 0 && hops <= 32)) {
    throw new InvalidConfigurationError(`trustProxy must be a boolean or a number of proxies from 0 to 32 (got ${String(hops)}).`);
  }
  return (req, res, next) => {
    handle(route, req as FrameworkRequest, res, options).catch((error: unknown) => {
      if (next) {
        next(error);
        return;
      }
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(500, BARE_JSON_HEADERS);
      res.end(JSON.stringify({ error: { code: 'internal_error', message: 'The server failed to handle the request.' } }));
    });
  };
}

async function handle(route: (request: Request) => Promise<Response>, req: FrameworkRequest, res: ServerResponse, options: NodeHandlerOptions) {
  const controller = new AbortController();
  // res 'close' before the response finished means the client went away: stop the upstream call.
  res.once('close', () => {
    if (!res.writableFinished) controller.abort(new Error('client disconnected'));
  });

  if (UNREPRESENTABLE_METHODS.has((req.method ?? '').toUpperCase())) {
    // The Fetch standard forbids these methods, so no Web Request can carry them to the route.
    res.writeHead(501, { ...BARE_JSON_HEADERS, Connection: 'close' });
    res.end(JSON.stringify({ error: { code: 'not_implemented', message: `${req.method} requests are not supported.` } }));
    return;
  }
  const request = toWebRequest(req, controller.signal, options);
  const hops = options.trustProxy === true ? 1 : typeof options.trustProxy === 'number' ? options.trustProxy : 0;
  const forwardedFor = hops > 0 ? headerValue(req.headers['x-forwarded-for']) : undefined;
  withClientIp(request, forwardedClientIp(req.socket?.remoteAddress, forwardedFor, hops));
  const response = await route(request);
  await writeWebResponse(response, req, res);
}

/** Builds a Web `Request` from a Node request. */
export function toWebRequest(req: IncomingMessage, signal?: AbortSignal, options: NodeHandlerOptions = {}): Request {
  const framework = req as FrameworkRequest;
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.startsWith(':')) continue; // HTTP/2 pseudo-headers are not headers.
    try {
      headers.append(name, raw[i + 1]!);
    } catch {
      // A header value undici refuses cannot matter to the route; drop it rather than fail the request.
    }
  }

  const method = (req.method ?? 'GET').toUpperCase();
  const init: RequestInit & { duplex?: 'half' } = { method, headers };
  if (signal) init.signal = signal;
  if (method !== 'GET' && method !== 'HEAD') {
    const parsed = framework.body;
    if (parsed !== undefined && (req.readableEnded || req.complete)) {
      // A body parser got here first; hand on what it kept. Its byte length may differ from the
      // original, so the old Content-Length would lie.
      headers.delete('content-length');
      init.body = bodyFromParsed(parsed);
    } else {
      init.body = bodyStream(req);
      init.duplex = 'half';
    }
  }
  return new Request(requestUrl(framework, options), init);
}

/** Repeated headers arrive as arrays; X-Forwarded-For lists join with commas like one header would. */
function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

function bodyFromParsed(parsed: unknown): BodyInit {
  if (typeof parsed === 'string') return parsed;
  if (parsed instanceof Uint8Array) return new Uint8Array(parsed);
  return JSON.stringify(parsed);
}

function requestUrl(req: FrameworkRequest, options: NodeHandlerOptions): string {
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim();
  const encrypted = (req.socket as { encrypted?: boolean } | undefined)?.encrypted === true;
  let scheme = encrypted ? 'https' : 'http';
  let host = req.headers.host;
  if (options.trustProxy) {
    const proto = first(req.headers['x-forwarded-proto']);
    if (proto === 'http' || proto === 'https') scheme = proto;
    host = first(req.headers['x-forwarded-host']) ?? host;
  }
  const path = req.originalUrl ?? req.url ?? '/';
  try {
    return new URL(path.startsWith('/') ? path : `/${path}`, `${scheme}://${host ?? 'localhost'}`).toString();
  } catch {
    // An unparseable Host: still answer (the route's same-origin check will simply not match).
    return new URL(path.startsWith('/') ? path : '/', `${scheme}://localhost`).toString();
  }
}

/**
 * How to throw away the unread rest of a request's body, per request whose body became a Web stream:
 * stop feeding that stream and let the socket flow, so `end` comes as soon as the client is done.
 */
const discarders = new WeakMap<IncomingMessage, () => void>();

/** The request body as a Web stream, pausing the socket while the reader is behind. */
function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  let finished = false;
  let onData: ((chunk: Buffer) => void) | undefined;
  const discard = (): void => {
    finished = true;
    if (onData) req.off('data', onData);
    req.resume();
  };
  discarders.set(req, discard);
  return new ReadableStream<Uint8Array>({
    start(controller) {
      onData = (chunk) => {
        if (finished) return;
        controller.enqueue(new Uint8Array(chunk));
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      };
      req.on('data', onData);
      req.once('end', () => {
        if (finished) return;
        finished = true;
        controller.close();
      });
      req.once('error', (error) => {
        if (finished) return;
        finished = true;
        controller.error(error);
      });
      req.once('close', () => {
        if (finished) return;
        finished = true;
        controller.error(new Error('request closed before its body ended'));
      });
    },
    pull() {
      req.resume();
    },
    cancel() {
      // The route stopped reading (too large): discard the rest rather than leave the socket stuck;
      // the response then carries Connection: close so the client is not kept on it.
      discard();
    },
  });
}

/** Writes a Web `Response` to a Node response, streaming the body. */
export async function writeWebResponse(response: Response, req: IncomingMessage, res: ServerResponse): Promise<void> {
  res.statusCode = response.status;
  if (response.statusText) res.statusMessage = response.statusText;
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') res.setHeader(name, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) res.setHeader('set-cookie', cookies);
  if (!req.complete) res.setHeader('Connection', 'close');

  if (!response.body || req.method === 'HEAD') {
    await response.body?.cancel();
    await uploadSettled(req);
    res.end();
    return;
  }
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (res.destroyed) {
        await reader.cancel();
        return;
      }
      if (!res.write(value)) await drained(res);
    }
  } finally {
    reader.releaseLock();
  }
  await uploadSettled(req);
  res.end();
}

/** How long a refused upload (its rest discarded) may still take to arrive before the socket closes. */
const UPLOAD_DRAIN_MS = 2000;

/**
 * Discards, and waits briefly for, the rest of a body the route did not read to its end (a 413, or a
 * refusal such as 401, 403 or 415 answered before reading it): closing the socket while the client
 * still sends makes the kernel reset the connection, and a browser (WebKit) then reports a network
 * error instead of the answer it was sent. The rest must flow to be discarded: a body stream the
 * route never read had paused the socket after its first chunk, so `end` never came and every such
 * refusal waited the whole {@link UPLOAD_DRAIN_MS}.
 */
function uploadSettled(req: IncomingMessage): Promise<void> {
  if (req.complete || req.destroyed || req.readableEnded) return Promise.resolve();
  (discarders.get(req) ?? (() => req.resume()))();
  if (req.readableEnded) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      req.off('end', done);
      req.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, UPLOAD_DRAIN_MS);
    req.once('end', done);
    req.once('close', done);
  });
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
