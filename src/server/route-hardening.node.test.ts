// Route hardening (issue 10, item 4): a timeout that survives garbage collection, upstream bodies
// read with a cap, JSON nesting limits, and an upstream that hands back the server's own key.
// Slow clients and hang-ups over real HTTP are in test/node/faults/route-hostile.test.ts.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createOpenAIRealtimeProvider,
  createRealtimeRoute,
  type RealtimeProvider,
  type RealtimeRouteOptions,
  type RealtimeRoutePolicy,
} from './index.js';
import { hangBehaviour, LeakWatch, openAIBehaviour, SDP_OFFER, startFakeUpstream, TEST_API_KEY, type FakeUpstream } from './test-fixtures.node.js';

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

function route(policy: RealtimeRoutePolicy = {}, options: Partial<RealtimeRouteOptions> = {}) {
  const provider = createOpenAIRealtimeProvider({ apiKey: TEST_API_KEY, baseUrl: upstream.baseUrl });
  return createRealtimeRoute({ provider, policy, logger: watch.logger, ...options });
}

function post(body: unknown): Request {
  return new Request('http://app.test/api/realtime', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

/** `depth` levels of `{"a": …}` around `leaf`, built as text (JSON.stringify would overflow first). */
function nested(depth: number, leaf = '{}'): string {
  return '{"a":'.repeat(depth) + leaf + '}'.repeat(depth);
}

test('the upstream timeout fires although garbage collections run during the wait (nodejs/node#57736)', { timeout: 20_000 }, async () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  assert.equal(typeof gc, 'function', 'run with --expose-gc (scripts/run-node-tests.mjs passes it)');
  upstream.behaviour = hangBehaviour;
  const collecting = setInterval(() => gc!(), 10);
  try {
    for (const adapter of ['openai-agents-webrtc', 'openai-webrtc'] as const) {
      const arrived = upstream.nextRequest();
      const answer = route({}, { upstreamTimeoutMs: 300 })(post(adapter === 'openai-webrtc' ? { adapter, sdp: SDP_OFFER } : { adapter }));
      // On a loaded machine the deadline can pass before the request even reaches the upstream (the
      // fetch is aborted while connecting): that too must end as upstream_timeout, so wait for
      // whichever comes first rather than for the arrival alone.
      await Promise.race([arrived, answer]);
      gc!();
      const response = await watch.see(await answer);
      assert.equal(response.status, 502, adapter);
      assert.equal(response.json.error.code, 'upstream_timeout', adapter);
    }
  } finally {
    clearInterval(collecting);
  }
});

/**
 * An upstream that streams `total` bytes with backpressure and counts how many the socket took
 * before the route hung up.
 */
function floodBehaviour(status: number, total: number, declareLength: boolean, sent: { bytes: number; closed: Promise<void> }) {
  return (_request: unknown, res: import('node:http').ServerResponse) => {
    let closed!: () => void;
    sent.closed = new Promise<void>((resolve) => (closed = resolve));
    res.once('close', closed);
    res.writeHead(status, { 'Content-Type': 'application/json', ...(declareLength ? { 'Content-Length': String(total) } : {}) });
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const pump = (): void => {
      while (sent.bytes < total && !res.destroyed) {
        sent.bytes += chunk.length;
        if (!res.write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
      if (!res.destroyed) res.end();
    };
    pump();
  };
}

test('a 128 MiB upstream body is not buffered: the read stops at the cap (502), success or error body, declared or chunked', { timeout: 60_000 }, async () => {
  const total = 128 * 1024 * 1024;
  const cases = [
    { name: 'success body, chunked', status: 200, declare: false, code: 'upstream_response_too_large' },
    { name: 'success body, Content-Length', status: 200, declare: true, code: 'upstream_response_too_large' },
    { name: 'error body, chunked', status: 500, declare: false, code: 'upstream_error' },
  ];
  for (const { name, status, declare, code } of cases) {
    const sent = { bytes: 0, closed: Promise.resolve() };
    upstream.behaviour = floodBehaviour(status, total, declare, sent);
    const rssBefore = process.memoryUsage().rss;
    const response = await watch.see(await route()(post({ adapter: 'openai-websocket' })));
    await sent.closed;
    const grew = process.memoryUsage().rss - rssBefore;
    assert.equal(response.status, 502, name);
    assert.equal(response.json.error.code, code, name);
    assert.ok(sent.bytes < 32 * 1024 * 1024, `${name}: the upstream got to write ${sent.bytes} bytes before the route hung up`);
    assert.ok(grew < 64 * 1024 * 1024, `${name}: RSS grew by ${Math.round(grew / 1048576)} MiB`);
    if (status === 500) assert.ok(response.json.error.message.length <= 501, 'the error text is bounded');
  }
});

test('maxResponseBytes is checked at construction', () => {
  for (const maxResponseBytes of [0, 1023, 64 * 1024 * 1024 + 1, 1.5]) {
    assert.throws(() => createOpenAIRealtimeProvider({ apiKey: TEST_API_KEY, maxResponseBytes }), /maxResponseBytes/);
  }
});

test('4,200 levels in tools[].parameters, an allowed providerOptions key or anywhere else: 400 naming the field, never 500', async () => {
  const handler = route({ allowedProviderOptions: ['tracing'] });
  const firstLine = watch.logLines.length;
  const cases = [
    [`{"adapter":"openai-websocket","session":{"tools":[{"type":"function","name":"deep","parameters":${nested(4200)}}]}}`, 'session.tools[0].parameters'],
    [`{"adapter":"openai-websocket","session":{"providerOptions":{"tracing":${nested(4200)}}}}`, 'session.providerOptions.tracing'],
    [`{"adapter":"openai-websocket","session":${nested(4200)}}`, 'session.a'],
    [`{"adapter":"openai-websocket","x":${'['.repeat(30_000)}${']'.repeat(30_000)}}`, 'x'],
  ] as const;
  for (const [body, field] of cases) {
    const response = await watch.see(await handler(post(body)));
    assert.equal(response.status, 400, `${field}: ${response.text.slice(0, 200)}`);
    assert.equal(response.json.error.code, 'invalid_request');
    assert.equal(response.json.error.field, field);
    assert.match(response.json.error.message, /nested deeper than 64 levels/);
  }
  assert.equal(upstream.requests.length, 0);
  assert.ok(!watch.logLines.slice(firstLine).some((line) => line.startsWith('error')), 'no error-level line');
});

test('nesting within maxJsonDepth passes; a tighter maxJsonDepth refuses it', async () => {
  const schema = `{"type":"object","properties":{"a":${nested(20, '{"type":"string"}')}}}`;
  const body = `{"adapter":"openai-websocket","session":{"tools":[{"type":"function","name":"ok","parameters":${schema}}]}}`;
  assert.equal((await watch.see(await route()(post(body)))).status, 200);
  const tight = await watch.see(await route({ maxJsonDepth: 16 })(post(body)));
  assert.equal(tight.status, 400);
  assert.equal(tight.json.error.field, 'session.tools[0].parameters');
});

test('a __proto__ key anywhere in the body is refused with 400 naming it', async () => {
  const cases = [
    ['{"adapter":"openai-websocket","__proto__":{"x":1}}', '__proto__'],
    ['{"adapter":"openai-websocket","session":{"__proto__":{"instructions":"pwned"}}}', 'session.__proto__'],
    ['{"adapter":"openai-websocket","session":{"providerOptions":{"tracing":{"__proto__":{"polluted":true}}}}}', 'session.providerOptions.tracing'],
  ] as const;
  for (const [body, field] of cases) {
    const response = await watch.see(await route({ allowedProviderOptions: ['tracing'] })(post(body)));
    assert.equal(response.status, 400, body);
    assert.equal(response.json.error.field, field);
  }
  assert.equal(({} as { polluted?: boolean }).polluted, undefined);
  assert.equal(upstream.requests.length, 0);
});

test('an upstream that answers with the server key (or one starting with it, a piece of it, or it in base64) as the client secret: 502, not forwarded', async () => {
  for (const value of [TEST_API_KEY, `${TEST_API_KEY}-ek`, TEST_API_KEY.slice(0, 16), Buffer.from(TEST_API_KEY).toString('base64')]) {
    upstream.behaviour = (_request, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ value, expires_at: 1_760_000_060 }));
    };
    const response = await watch.see(await route()(post({ adapter: 'openai-agents-webrtc' })));
    assert.equal(response.status, 502, value);
    assert.equal(response.json.error.code, 'upstream_invalid_response');
  }
  assert.deepEqual(watch.leaksOf(TEST_API_KEY), []);
});

test('the route refuses any bootstrap holding a provider secret or the env key, whatever field it is in', async () => {
  upstream.behaviour = (_request, res) => {
    res.writeHead(201, { 'Content-Type': 'application/sdp', Location: `/v1/realtime/calls/rtc_${TEST_API_KEY}` });
    res.end(`v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=${TEST_API_KEY}\r\n`);
  };
  const rtc = await watch.see(await route()(post({ adapter: 'openai-webrtc', sdp: SDP_OFFER })));
  assert.equal(rtc.status, 502);
  assert.equal(rtc.json.error.code, 'upstream_invalid_response');

  const saved = process.env.OPENAI_API_KEY;
  process.env.OPENAI_API_KEY = TEST_API_KEY;
  try {
    const careless: RealtimeProvider = {
      name: 'openai',
      createSession: async () => ({
        adapter: 'openai-websocket',
        transport: 'websocket',
        clientSecret: { value: TEST_API_KEY, expiresAt: 1 },
        session: {},
        url: 'wss://api.example/v1/realtime',
      }),
    };
    const response = await watch.see(await createRealtimeRoute({ provider: careless, logger: watch.logger })(post({ adapter: 'openai-websocket' })));
    assert.equal(response.status, 502);
  } finally {
    if (saved === undefined) delete process.env.OPENAI_API_KEY;
    else process.env.OPENAI_API_KEY = saved;
  }
  assert.deepEqual(watch.leaksOf(TEST_API_KEY), []);
});
