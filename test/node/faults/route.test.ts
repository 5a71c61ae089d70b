// Fault suite, server side, end to end: real HTTP requests to the realtime route (node:http through
// toNodeHandler) in front of the real emulator, or of an upstream that is down, never answers, or answers
// too late. Each fault gets the right status and code, and the server's API key is in no response
// body or header, and no log line. (Unit-level policy and parsing checks live in src/server/*.node.test.ts.)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startRealtimeEmulator, type RealtimeEmulator } from '../../../src/emulator/index.js';
import {
  createOpenAIRealtimeProvider,
  createRealtimeRoute,
  toNodeHandler,
  type RealtimeRouteOptions,
  type RealtimeRoutePolicy,
} from '../../../src/server/index.js';
import { closedPort, LeakWatch, SDP_OFFER } from '../../../src/server/test-fixtures.node.js';

/** Key-shaped, so generic scrubbing would catch it too; exact-match scrubbing must. */
const API_KEY = 'sk-proj-faultsuite-7Hq2vX9mK4pL8nR3tW6yB1cD5fG0jS';
const ROUTE_PATH = '/api/realtime';
const watch = new LeakWatch();
const servers: Server[] = [];
let emulator: RealtimeEmulator;
/** Counts what reaches the emulator: every upstream request of the route goes through it. */
let proxy: { baseUrl: string; requests: number };

/** Serves `route` on 127.0.0.1 (node:http, as an app would) and returns its URL. */
async function serve(options: Partial<RealtimeRouteOptions> & { upstream?: string; apiKey?: string; policy?: RealtimeRoutePolicy } = {}): Promise<string> {
  const { upstream = proxy.baseUrl, apiKey = API_KEY, ...routeOptions } = options;
  const provider = createOpenAIRealtimeProvider({ apiKey, baseUrl: upstream });
  const handler = toNodeHandler(createRealtimeRoute({ provider, logger: watch.logger, ...routeOptions }));
  const server = createServer((req, res) => {
    if (req.url?.split('?')[0] !== ROUTE_PATH) {
      res.writeHead(404).end();
      return;
    }
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}${ROUTE_PATH}`;
}

/** A stand-in upstream on loopback: `answer` decides what (and whether) it replies. */
async function fakeUpstream(
  answer: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void | Promise<void>,
): Promise<{ baseUrl: string; requests: number }> {
  const state = { baseUrl: '', requests: 0 };
  const server = createServer((req, res) => {
    state.requests += 1;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => void answer(req, res, Buffer.concat(chunks)));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return state;
}

/** Sends a request over HTTP and records the response for the leak check. */
async function send(url: string, init: { method?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {}) {
  const method = init.method ?? 'POST';
  const body = init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
  const response = await fetch(url, {
    method,
    headers: { ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...init.headers },
    ...(body !== undefined && method !== 'GET' && method !== 'HEAD' ? { body } : {}),
  });
  return watch.see(response);
}

function expectError(response: Awaited<ReturnType<typeof send>>, status: number, code: string, what: string): void {
  assert.equal(response.status, status, `${what}: status (${response.text.slice(0, 200)})`);
  assert.equal(response.json?.error?.code, code, `${what}: code`);
  assert.equal(typeof response.json.error.message, 'string', `${what}: a message`);
}

before(async () => {
  emulator = await startRealtimeEmulator({ apiKey: API_KEY });
  proxy = await fakeUpstream(async (req, res, body) => {
    const answer = await fetch(`${emulator.url}${req.url}`, {
      method: req.method!,
      headers: Object.fromEntries(Object.entries(req.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name))) as Record<string, string>,
      ...(body.length ? { body: new Uint8Array(body) } : {}),
    });
    const headers: Record<string, string> = {};
    answer.headers.forEach((value, name) => {
      if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(name)) headers[name] = value;
    });
    res.writeHead(answer.status, headers);
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
});

after(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  await emulator.close();
});

test('baseline: the route in front of the emulator answers 200 with a bootstrap for each adapter', async () => {
  const url = await serve();
  for (const body of [{ adapter: 'openai-agents-webrtc' }, { adapter: 'openai-websocket', session: { model: 'gpt-realtime', voice: 'marin' } }]) {
    const response = await send(url, { body });
    assert.equal(response.status, 200, response.text);
    assert.match(response.json.clientSecret.value, /^ek_/);
    assert.equal(response.headers['cache-control'], 'no-store');
  }
});

test('oversized bodies: 413 by Content-Length and by bytes read (chunked), nothing reaches the emulator', async () => {
  const url = await serve({ policy: { maxBodyBytes: 2048 } });
  const before = proxy.requests;
  const big = JSON.stringify({ adapter: 'openai-websocket', session: { instructions: 'x'.repeat(4096) } });
  expectError(await send(url, { raw: big }), 413, 'payload_too_large', 'Content-Length over the limit');
  // A stream has no Content-Length: the route counts what it reads.
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < 8; i += 1) controller.enqueue(new TextEncoder().encode('x'.repeat(1024)));
      controller.close();
    },
  });
  const chunked = await watch.see(
    await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit),
  );
  expectError(chunked, 413, 'payload_too_large', 'chunked body over the limit');
  // Default policy (64 KiB) with a 1 MiB body.
  const defaults = await serve();
  expectError(await send(defaults, { raw: JSON.stringify({ adapter: 'openai-websocket', pad: 'y'.repeat(1 << 20) }) }), 413, 'payload_too_large', '1 MiB body');
  assert.equal(proxy.requests, before, 'nothing reached the emulator');
});

test('malformed requests: 400 invalid_json / invalid_request, 415 for other content types; nothing reaches the emulator', async () => {
  const url = await serve();
  const before = proxy.requests;
  for (const raw of ['{', '', 'null', '[]', '"adapter"', '{"adapter": "openai-websocket",}', '\u0000']) {
    const response = await send(url, { raw });
    assert.equal(response.status, 400, `${JSON.stringify(raw)}: ${response.text}`);
    assert.match(response.json.error.code, /^invalid_(json|request)$/);
  }
  for (const body of [
    {},
    { adapter: 42 },
    { adapter: 'carrier-pigeon' },
    { adapter: 'openai-websocket', session: 'gpt-realtime' },
    { adapter: 'openai-websocket', session: { speed: 99 } },
    { adapter: 'openai-websocket', session: { tools: 'all' } },
    { adapter: 'openai-webrtc', sdp: 12 },
  ]) {
    expectError(await send(url, { body }), 400, 'invalid_request', JSON.stringify(body));
  }
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
    expectError(await send(url, { raw: '{"adapter":"openai-websocket"}', headers: { 'Content-Type': type } }), 415, 'unsupported_media_type', type);
  }
  assert.equal(proxy.requests, before);
});

test('wrong methods: 405 with Allow; HEAD gets the status without a body', async () => {
  const url = await serve();
  const before = proxy.requests;
  for (const method of ['GET', 'PUT', 'PATCH', 'DELETE']) {
    const response = await send(url, { method, ...(method === 'GET' ? {} : { body: { adapter: 'openai-websocket' } }) });
    expectError(response, 405, 'method_not_allowed', method);
    assert.match(response.headers.allow ?? '', /POST/);
  }
  const head = await send(url, { method: 'HEAD' });
  assert.equal(head.status, 405);
  assert.equal(head.text, '');
  assert.equal(proxy.requests, before);
});

test('disallowed model, voice, adapter or origin: 400 policy_violation / 403, nothing reaches the emulator', async () => {
  const url = await serve({
    policy: { allowedModels: ['gpt-realtime-mini'], allowedVoices: ['marin'], allowedAdapters: ['openai-websocket'], allowedOrigins: ['https://app.example'] },
  });
  const before = proxy.requests;
  const model = await send(url, { body: { adapter: 'openai-websocket', session: { model: 'gpt-realtime' } } });
  expectError(model, 400, 'policy_violation', 'model');
  assert.equal(model.json.error.field, 'session.model');
  const voice = await send(url, { body: { adapter: 'openai-websocket', session: { voice: 'alloy' } } });
  expectError(voice, 400, 'policy_violation', 'voice');
  assert.equal(voice.json.error.field, 'session.voice');
  expectError(await send(url, { body: { adapter: 'openai-agents-webrtc' } }), 400, 'invalid_request', 'adapter not enabled');
  for (const method of ['POST', 'OPTIONS']) {
    const origin = await send(url, {
      method,
      ...(method === 'POST' ? { body: { adapter: 'openai-websocket' } } : {}),
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    expectError(origin, 403, 'origin_not_allowed', `${method} from another origin`);
    assert.equal(origin.headers['access-control-allow-origin'], undefined);
  }
  const allowed = await send(url, { body: { adapter: 'openai-websocket' }, headers: { Origin: 'https://app.example' } });
  assert.equal(allowed.status, 200, allowed.text);
  assert.equal(allowed.headers['access-control-allow-origin'], 'https://app.example');
  assert.equal(proxy.requests, before + 1, 'only the allowed request reached the emulator');
});

test('upstream down (the emulator refuses with 503): 502 upstream_error for every adapter; back up, it works again', async () => {
  const url = await serve();
  emulator.setFaults('all', { down: true });
  try {
    for (const body of [{ adapter: 'openai-agents-webrtc' }, { adapter: 'openai-websocket' }, { adapter: 'openai-webrtc', sdp: SDP_OFFER }]) {
      const response = await send(url, { body });
      expectError(response, 502, 'upstream_error', body.adapter);
      assert.equal(response.json.error.upstreamStatus, 503);
    }
  } finally {
    emulator.setFaults('all', {});
  }
  assert.equal((await send(url, { body: { adapter: 'openai-websocket' } })).status, 200);
});

test('wrong key: the emulator’s 401 comes back as 502 without the key it quoted', async () => {
  const wrongKey = 'sk-proj-wrongkey-Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0';
  const url = await serve({ apiKey: wrongKey });
  const response = await send(url, { body: { adapter: 'openai-websocket' } });
  expectError(response, 502, 'upstream_error', 'wrong key');
  assert.equal(response.json.error.upstreamStatus, 401);
  assert.deepEqual(watch.leaksOf(wrongKey), []);
});

test('upstream unreachable (nothing listens): 502 upstream_unreachable', async () => {
  const url = await serve({ upstream: `http://127.0.0.1:${await closedPort()}/v1` });
  expectError(await send(url, { body: { adapter: 'openai-agents-webrtc' } }), 502, 'upstream_unreachable', 'closed port');
});

test('upstream slow: never answering, or answering after upstreamTimeoutMs, gives 502 upstream_timeout in time', async () => {
  const silent = await fakeUpstream(() => {});
  const late = await fakeUpstream((_req, res) => {
    setTimeout(() => {
      if (res.destroyed) return;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ value: 'ek_late', expires_at: 9_999_999_999, session: {} }));
    }, 800);
  });
  const stalls = await fakeUpstream((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.write('{"value":"ek_');
  });
  for (const [name, upstream] of [['never answers', silent], ['answers late', late], ['stalls mid-body', stalls]] as const) {
    const url = await serve({ upstream: upstream.baseUrl, upstreamTimeoutMs: 200 });
    const started = performance.now();
    const response = await send(url, { body: { adapter: 'openai-websocket' } });
    const took = performance.now() - started;
    expectError(response, 502, 'upstream_timeout', name);
    assert.ok(took >= 150 && took < 2000, `${name}: answered after ${Math.round(took)} ms (timeout 200 ms)`);
    assert.equal(upstream.requests, 1, `${name}: the route called the upstream once`);
  }
});

test('the API key is in no response body or header, and no log line, across every scenario above', () => {
  assert.ok(watch.responses.length >= 30, `responses recorded: ${watch.responses.length}`);
  assert.deepEqual(watch.leaksOf(API_KEY), []);
  assert.deepEqual(watch.leaksOf(emulator.apiKey), []);
  assert.ok(watch.logLines.some((line) => line.includes('upstream_timeout')));
  assert.ok(watch.logLines.some((line) => line.includes('upstream_error')));
});
