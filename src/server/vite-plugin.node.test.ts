import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { createServer as createViteServer, type Plugin, type ViteDevServer } from 'vite';
import {
  createOpenAIRealtimeProvider,
  InvalidConfigurationError,
  realtimeBootstrapSchema,
  realtimeRoutePlugin,
  type MiddlewareServerLike,
  type NodeHandler,
} from './index.js';
import { openAIBehaviour, startFakeUpstream, TEST_API_KEY, LeakWatch, type FakeUpstream } from './test-fixtures.node.js';

const watch = new LeakWatch();
let upstream: FakeUpstream;

before(async () => {
  upstream = await startFakeUpstream();
});
after(() => upstream.close());
beforeEach(() => {
  upstream.requests.length = 0;
  upstream.behaviour = openAIBehaviour;
});

/** A stand-in for Vite's server that records what the plugin mounts. */
function fakeServer() {
  const mounted: Array<{ path: string; handler: NodeHandler }> = [];
  const server: MiddlewareServerLike = { middlewares: { use: (path, handler) => mounted.push({ path, handler }) } };
  return { server, mounted };
}

function provider() {
  return createOpenAIRealtimeProvider({ apiKey: TEST_API_KEY, baseUrl: upstream.baseUrl });
}

test('configureServer mounts one handler on server.middlewares at /api/realtime by default', () => {
  const plugin = realtimeRoutePlugin({ provider: provider() });
  assert.equal(plugin.name, 'charivo-realtime-route');
  const { server, mounted } = fakeServer();
  plugin.configureServer(server);
  assert.equal(mounted.length, 1);
  assert.equal(mounted[0]!.path, '/api/realtime');
  assert.equal(typeof mounted[0]!.handler, 'function');
});

test('a custom path is used (trailing slash dropped), and the preview server gets the route too', () => {
  const plugin = realtimeRoutePlugin({ path: '/voice/session/', provider: provider() });
  const dev = fakeServer();
  const preview = fakeServer();
  plugin.configureServer(dev.server);
  plugin.configurePreviewServer(preview.server);
  assert.deepEqual(dev.mounted.map((m) => m.path), ['/voice/session']);
  assert.deepEqual(preview.mounted.map((m) => m.path), ['/voice/session']);
});

test('paths that are not paths are refused at config time', () => {
  for (const path of ['api/realtime', '/', '']) {
    assert.throws(() => realtimeRoutePlugin({ path, provider: provider() }), InvalidConfigurationError, path);
  }
});

test('the mounted handler passes deeper paths down the middleware stack', () => {
  const { server, mounted } = fakeServer();
  realtimeRoutePlugin({ provider: provider() }).configureServer(server);
  let nextCalls = 0;
  // Connect has already stripped the mount path: '/status' was '/api/realtime/status'.
  const req = { url: '/status', method: 'POST' } as IncomingMessage;
  const res = {} as ServerResponse; // touching it would throw: the handler must not
  mounted[0]!.handler(req, res, () => {
    nextCalls += 1;
  });
  assert.equal(nextCalls, 1);
});

test('the plugin object is assignable to Vite’s Plugin type', () => {
  const plugin: Plugin = realtimeRoutePlugin({ provider: provider() });
  assert.equal(typeof plugin.configureServer, 'function');
});

// ——— inside a real Vite dev server (middleware mode, so Connect's own path matching is exercised) ———

interface ViteHarness {
  vite: ViteDevServer;
  http: Server;
  port: number;
  close(): Promise<void>;
}

async function startVite(plugin: Plugin): Promise<ViteHarness> {
  const root = await mkdtemp(join(tmpdir(), 'charivo-vite-'));
  const vite = await createViteServer({
    configFile: false,
    root,
    logLevel: 'silent',
    appType: 'custom',
    server: { middlewareMode: true, hmr: false, watch: null, ws: false },
    optimizeDeps: { noDiscovery: true, include: [] },
    plugins: [plugin],
  });
  const http = createHttpServer(vite.middlewares);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;
  return {
    vite,
    http,
    port,
    close: async () => {
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
      await vite.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

async function post(port: number, path: string, body: unknown, method = 'POST', headers: Record<string, string> = {}) {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', Origin: `http://127.0.0.1:${port}`, ...headers },
    ...(method === 'GET' ? {} : { body: JSON.stringify(body) }),
  });
  return watch.see(response);
}

test('in a real Vite dev server: POST /api/realtime returns a bootstrap; GET is 405; deeper paths fall through', async () => {
  const harness = await startVite(realtimeRoutePlugin({ provider: provider(), logger: watch.logger }));
  try {
    const ok = await post(harness.port, '/api/realtime', { adapter: 'openai-agents-webrtc', session: { voice: 'cedar' } });
    assert.equal(ok.status, 200);
    assert.ok(realtimeBootstrapSchema.safeParse(ok.json).success);
    assert.equal(upstream.requests.length, 1);
    assert.equal(upstream.requests[0]!.headers.authorization, `Bearer ${TEST_API_KEY}`);

    assert.equal((await post(harness.port, '/api/realtime?debug=1', { adapter: 'openai-websocket' })).status, 200);

    const get = await post(harness.port, '/api/realtime', undefined, 'GET');
    assert.equal(get.status, 405);
    assert.equal(get.headers['allow'], 'POST, OPTIONS');

    const deeper = await post(harness.port, '/api/realtime/other', { adapter: 'openai-websocket' });
    assert.equal(deeper.status, 404, 'not ours: Vite answers');
    const sibling = await post(harness.port, '/api/realtimex', { adapter: 'openai-websocket' });
    assert.equal(sibling.status, 404);
    assert.equal(upstream.requests.length, 2);
  } finally {
    await harness.close();
  }
});

test('in a real Vite dev server: every route option goes through (authorize, rateLimit, policy, clientIp via trustProxy, bodyTimeoutMs, logger)', async () => {
  const lines: Array<Record<string, unknown>> = [];
  const harness = await startVite(
    realtimeRoutePlugin({
      provider: provider(),
      authorize: (request) => /(?:^|;\s*)user=([^;]+)/.exec(request.headers.get('cookie') ?? '')?.[1] ?? false,
      rateLimit: { limiter: new RateLimiterMemory({ points: 1, duration: 60 }) },
      policy: { allowedVoices: ['marin'] },
      bodyTimeoutMs: 5000,
      trustProxy: 1,
      logger: { info: (_message, fields) => lines.push(fields ?? {}), warn: (_message, fields) => lines.push(fields ?? {}) },
    }),
  );
  try {
    const anonymous = await post(harness.port, '/api/realtime', { adapter: 'openai-websocket' });
    assert.equal(anonymous.status, 401, 'authorize: nobody signed in');
    assert.equal(anonymous.json.error.code, 'unauthorized');
    const ada = { Cookie: 'user=ada', 'X-Forwarded-For': '203.0.113.7' };
    assert.equal((await post(harness.port, '/api/realtime', { adapter: 'openai-websocket', session: { voice: 'marin' } }, 'POST', ada)).status, 200);
    const again = await post(harness.port, '/api/realtime', { adapter: 'openai-websocket' }, 'POST', ada);
    assert.equal(again.status, 429, 'rateLimit: one mint per user');
    assert.ok(Number(again.headers['retry-after']) > 0, 'Retry-After');
    const voice = await post(harness.port, '/api/realtime', { adapter: 'openai-websocket', session: { voice: 'alloy' } }, 'POST', { Cookie: 'user=bob' });
    assert.equal(voice.status, 400, 'policy: the voice allow-list');
    assert.equal(voice.json.error.field, 'session.voice');
    assert.equal(upstream.requests.length, 1, 'only the one allowed mint reached the upstream');
    const minted = lines.find((line) => line.outcome === 'minted');
    assert.deepEqual([minted?.subject, minted?.ip], ['ada', '203.0.113.7'], 'the audit line: the subject, and the client IP through trustProxy');
    // Options the route checks at creation are checked through the plugin too.
    assert.throws(() => realtimeRoutePlugin({ provider: provider(), bodyTimeoutMs: 0 }), InvalidConfigurationError);
    assert.throws(() => realtimeRoutePlugin({ provider: provider(), guard: {} }), InvalidConfigurationError);
    assert.throws(() => realtimeRoutePlugin({ provider: provider(), trustProxy: 99 }), InvalidConfigurationError);
  } finally {
    await harness.close();
  }
});

test('in a real Vite dev server: a ready route is mounted as given, at a custom path', async () => {
  const harness = await startVite(
    realtimeRoutePlugin({ path: '/rt', route: async (request) => Response.json({ seen: new URL(request.url).pathname }) }),
  );
  try {
    const response = await post(harness.port, '/rt', {});
    assert.equal(response.status, 200);
    assert.deepEqual(response.json, { seen: '/rt' });
  } finally {
    await harness.close();
  }
});

test('in a real Vite dev server: with no provider and no OPENAI_API_KEY, the route answers 500 missing_api_key', async () => {
  const saved = { key: process.env.OPENAI_API_KEY, base: process.env.OPENAI_BASE_URL };
  delete process.env.OPENAI_API_KEY;
  process.env.OPENAI_BASE_URL = upstream.baseUrl;
  const harness = await startVite(realtimeRoutePlugin({ logger: watch.logger }));
  try {
    const missing = await post(harness.port, '/api/realtime', { adapter: 'openai-agents-webrtc' });
    assert.equal(missing.status, 500);
    assert.equal(missing.json.error.code, 'missing_api_key');
    assert.match(missing.json.error.message, /OPENAI_API_KEY/);

    process.env.OPENAI_API_KEY = TEST_API_KEY; // read per request: no restart needed
    const ok = await post(harness.port, '/api/realtime', { adapter: 'openai-agents-webrtc' });
    assert.equal(ok.status, 200);
  } finally {
    await harness.close();
    if (saved.key === undefined) delete process.env.OPENAI_API_KEY;
    else process.env.OPENAI_API_KEY = saved.key;
    if (saved.base === undefined) delete process.env.OPENAI_BASE_URL;
    else process.env.OPENAI_BASE_URL = saved.base;
  }
});

test('the API key appears in no response body, header or log line across the Vite scenarios', () => {
  assert.ok(watch.responses.length >= 8, `checked ${watch.responses.length} responses`);
  assert.deepEqual(watch.leaksOf(TEST_API_KEY), []);
});
