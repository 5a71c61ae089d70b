import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getConformanceValidator } from '../conformance/index.js';
import { createOpenAIRealtimeProvider, createRealtimeRoute, realtimeBootstrapSchema, toNodeHandler, type RealtimeRoutePolicy } from './index.js';
import { openAIBehaviour, rejectKeyBehaviour, startFakeUpstream, TEST_API_KEY, LeakWatch, type FakeUpstream } from './test-fixtures.node.js';

const validator = getConformanceValidator();
const watch = new LeakWatch();
let upstream: FakeUpstream;
const servers: Server[] = [];

before(async () => {
  upstream = await startFakeUpstream();
});
after(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await upstream.close();
});
beforeEach(() => {
  upstream.requests.length = 0;
  upstream.behaviour = openAIBehaviour;
});

function realtimeRoute(policy: RealtimeRoutePolicy = {}) {
  const provider = createOpenAIRealtimeProvider({ apiKey: TEST_API_KEY, baseUrl: upstream.baseUrl });
  return createRealtimeRoute({ provider, policy, logger: watch.logger });
}

/** Starts a real node:http server on 127.0.0.1 with `listener`; returns its port. */
async function serve(listener: RequestListener): Promise<number> {
  const server = createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

interface RawResponse {
  status: number;
  headers: IncomingMessage['headers'];
  text: string;
  json: any;
}

/**
 * A request through node:http (not fetch) so the test controls every header, chunking and when the
 * body ends. `chunks` are written one by one (chunked encoding unless Content-Length is set);
 * `endBody: false` leaves the body open, as a client still uploading would.
 */
function raw(
  port: number,
  options: { method?: string; path?: string; headers?: Record<string, string>; chunks?: Array<string | Buffer>; endBody?: boolean },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = httpRequest({ host: '127.0.0.1', port, method: options.method ?? 'POST', path: options.path ?? '/api/realtime', headers: options.headers ?? {} }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        const seen = { status: res.statusCode ?? 0, headers: res.headers, text, json };
        const flat: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) flat[name] = Array.isArray(value) ? value.join(', ') : String(value);
        watch.responses.push({ status: seen.status, headers: flat, text, json });
        if (options.endBody === false) req.destroy();
        resolve(seen);
      });
    });
    // A server that answers early and closes can make the rest of an upload fail; that is expected.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    for (const chunk of options.chunks ?? []) req.write(chunk);
    if (options.endBody !== false) req.end();
  });
}

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  headers: { 'Content-Type': 'application/json', ...headers },
  chunks: [JSON.stringify(body)],
});

test('node:http: a POST streams through the route to the upstream and back as a bootstrap', async () => {
  const port = await serve(toNodeHandler(realtimeRoute()));
  const response = await raw(port, json({ adapter: 'openai-agents-webrtc', session: { instructions: 'Be brief.' } }));
  assert.equal(response.status, 200);
  assert.equal(response.headers['cache-control'], 'no-store');
  assert.match(String(response.headers['content-type']), /^application\/json/);
  assert.ok(realtimeBootstrapSchema.safeParse(response.json).success);
  const sent = upstream.requests[0]!;
  assert.equal(sent.headers.authorization, `Bearer ${TEST_API_KEY}`);
  assert.ok(validator.validateClientSecretRequest(sent.json).valid);
  assert.equal((sent.json as any).session.instructions, 'Be brief.');
});

test('node:http: a chunked body (no Content-Length) is read as a stream', async () => {
  const port = await serve(toNodeHandler(realtimeRoute()));
  const body = JSON.stringify({ adapter: 'openai-websocket', session: { instructions: 'y'.repeat(7_000) } });
  const chunks = body.match(/[\s\S]{1,1000}/g)!;
  const response = await raw(port, { headers: { 'Content-Type': 'application/json' }, chunks });
  assert.equal(response.status, 200);
  assert.equal((upstream.requests[0]!.json as any).session.instructions.length, 7_000);
});

test('node:http: 405 with Allow for GET and HEAD; preflight answered for an allowed origin', async () => {
  const port = await serve(toNodeHandler(realtimeRoute({ allowedOrigins: ['https://app.example'] })));
  const get = await raw(port, { method: 'GET' });
  assert.equal(get.status, 405);
  assert.equal(get.headers.allow, 'POST, OPTIONS');
  assert.equal(get.json.error.code, 'method_not_allowed');
  const head = await raw(port, { method: 'HEAD' });
  assert.equal(head.status, 405);
  assert.equal(head.text, '');

  const preflight = await raw(port, {
    method: 'OPTIONS',
    headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers['access-control-allow-origin'], 'https://app.example');
  assert.equal(preflight.headers['access-control-allow-methods'], 'POST, OPTIONS');
});

test('node:http: the same-host default compares Origin with the Host header', async () => {
  const port = await serve(toNodeHandler(realtimeRoute()));
  const same = await raw(port, json({ adapter: 'openai-websocket' }, { Origin: `http://127.0.0.1:${port}` }));
  assert.equal(same.status, 200);
  const other = await raw(port, json({ adapter: 'openai-websocket' }, { Origin: 'http://localhost:1' }));
  assert.equal(other.status, 403);
  assert.equal(other.json.error.code, 'origin_not_allowed');
});

test('node:http: trustProxy takes the host from X-Forwarded-Host; without it, the header is ignored', async () => {
  const headers = { Origin: 'https://app.example', 'X-Forwarded-Host': 'app.example', 'X-Forwarded-Proto': 'https' };
  const trusting = await serve(toNodeHandler(realtimeRoute(), { trustProxy: true }));
  assert.equal((await raw(trusting, json({ adapter: 'openai-websocket' }, headers))).status, 200);
  const strict = await serve(toNodeHandler(realtimeRoute()));
  assert.equal((await raw(strict, json({ adapter: 'openai-websocket' }, headers))).status, 403);
});

test('node:http: 413 from Content-Length while the client is still uploading, with Connection: close', async () => {
  const port = await serve(toNodeHandler(realtimeRoute()));
  const response = await raw(port, {
    headers: { 'Content-Type': 'application/json', 'Content-Length': String(10 * 1024 * 1024) },
    chunks: ['{"adapter":"openai-websocket","session":{"instructions":"', 'z'.repeat(1024)],
    endBody: false,
  });
  assert.equal(response.status, 413);
  assert.equal(response.json.error.code, 'payload_too_large');
  assert.equal(response.headers.connection, 'close');
});

test('node:http: a refusal that never read the body discards the rest at once: the request has ended when the answer is sent', async () => {
  // A route that answers without reading (as the real one does for 401, 403, 405 and 415). The body
  // stream had paused the socket after its first chunk, so the request never ended and every such
  // answer waited the whole upload-drain bound (2 s; the hostile-route suite spent 2 s per refusal).
  const handler = toNodeHandler(async () => new Response(JSON.stringify({ error: { code: 'forbidden', message: 'No.' } }), { status: 403 }));
  const endedWhenAnswered: boolean[] = [];
  const port = await serve((req, res) => {
    res.on('finish', () => endedWhenAnswered.push(req.readableEnded));
    handler(req, res);
  });
  const body = '{"adapter":"openai-websocket"}';
  const framings: Array<Record<string, string>> = [{ 'Content-Type': 'application/json' }, { 'Content-Type': 'application/json', 'Content-Length': String(body.length) }];
  for (const headers of framings) {
    const response = await raw(port, { headers, chunks: [body] });
    assert.equal(response.status, 403);
  }
  assert.deepEqual(endedWhenAnswered, [true, true], 'chunked and Content-Length bodies were read to their end before the answer finished');
});

test('node:http: 413 from counted bytes on a chunked upload over the 64 KiB default', async () => {
  const port = await serve(toNodeHandler(realtimeRoute()));
  const chunks = ['{"adapter":"openai-websocket","session":{"instructions":"', ...Array.from({ length: 100 }, () => 'w'.repeat(1024)), '"}}'];
  const response = await raw(port, { headers: { 'Content-Type': 'application/json' }, chunks });
  assert.equal(response.status, 413);
  assert.equal(upstream.requests.length, 0);
});

test('node:http: upstream errors come back as 502 without the key', async () => {
  upstream.behaviour = rejectKeyBehaviour;
  const port = await serve(toNodeHandler(realtimeRoute()));
  const response = await raw(port, json({ adapter: 'openai-agents-webrtc' }));
  assert.equal(response.status, 502);
  assert.equal(response.json.error.upstreamStatus, 401);
  assert.ok(!response.text.includes(TEST_API_KEY));
});

test('Express/Connect style: works after a JSON body parser consumed the stream, and uses originalUrl', async () => {
  const seenUrls: string[] = [];
  const handler = toNodeHandler(async (request) => {
    seenUrls.push(request.url);
    return realtimeRoute()(request);
  });
  const port = await serve((req, res) => {
    // What express.json() does: read the stream, keep the parsed value on req.body.
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const framework = req as IncomingMessage & { body?: unknown; originalUrl?: string };
      framework.body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      framework.originalUrl = req.url;
      req.url = '/'; // a router mounted at /api/realtime strips its prefix
      handler(req, res, (error) => {
        res.statusCode = 599;
        res.end(String(error));
      });
    });
  });
  const response = await raw(port, json({ adapter: 'openai-websocket', session: { voice: 'cedar' } }));
  assert.equal(response.status, 200);
  assert.equal(response.json.session.voice, 'cedar');
  assert.equal(seenUrls[0], `http://127.0.0.1:${port}/api/realtime`);
});

test('errors the route throws go to next() when given, else become a bare 500', async () => {
  const failing = toNodeHandler(async () => {
    throw new Error('route exploded');
  });
  const nextErrors: unknown[] = [];
  const withNext = await serve((req, res) =>
    failing(req, res, (error) => {
      nextErrors.push(error);
      res.statusCode = 418;
      res.end('handled by error middleware');
    }),
  );
  const handled = await raw(withNext, json({}));
  assert.equal(handled.status, 418);
  assert.equal((nextErrors[0] as Error).message, 'route exploded');

  const bare = await serve(failing);
  const response = await raw(bare, json({}));
  assert.equal(response.status, 500);
  assert.equal(response.json.error.code, 'internal_error');
  assert.ok(!response.text.includes('exploded'));
});

test('the Response is streamed back: status text, every chunk, and each Set-Cookie', async () => {
  const port = await serve(
    toNodeHandler(async () => {
      const parts = ['alpha,', 'beta,', 'gamma'];
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          const next = parts.shift();
          if (next === undefined) controller.close();
          else controller.enqueue(new TextEncoder().encode(next));
        },
      });
      const headers = new Headers({ 'Content-Type': 'text/plain', 'X-Custom': 'yes' });
      headers.append('Set-Cookie', 'a=1; Path=/');
      headers.append('Set-Cookie', 'b=2; Path=/');
      return new Response(body, { status: 201, statusText: 'Made', headers });
    }),
  );
  const response = await raw(port, { method: 'GET' });
  assert.equal(response.status, 201);
  assert.equal(response.text, 'alpha,beta,gamma');
  assert.equal(response.headers['x-custom'], 'yes');
  assert.deepEqual(response.headers['set-cookie'], ['a=1; Path=/', 'b=2; Path=/']);
});

test('a client that disconnects aborts the Request signal the route sees', async () => {
  let aborted!: () => void;
  const sawAbort = new Promise<void>((resolve) => (aborted = resolve));
  let started!: () => void;
  const routeStarted = new Promise<void>((resolve) => (started = resolve));
  const port = await serve(
    toNodeHandler(async (request) => {
      request.signal.addEventListener('abort', () => aborted(), { once: true });
      started();
      await sawAbort;
      return new Response(null, { status: 204 });
    }),
  );
  const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/', headers: { 'Content-Type': 'application/json', 'Content-Length': '2' } });
  req.on('error', () => {});
  req.end('{}');
  await routeStarted;
  req.destroy();
  await sawAbort; // resolves only if the abort reached the route
});

test('the API key appears in no response body or header, and no log line, across the Node scenarios', () => {
  assert.ok(watch.responses.length >= 15, `checked ${watch.responses.length} responses`);
  assert.deepEqual(watch.leaksOf(TEST_API_KEY), []);
});

// Keep the types honest: toNodeHandler's result is a node:http listener.
const _listener: (req: IncomingMessage, res: ServerResponse) => void = toNodeHandler(async () => new Response());
void _listener;
