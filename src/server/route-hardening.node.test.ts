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
import { LeakWatch, openAIBehaviour, SDP_OFFER, startFakeUpstream, TEST_API_KEY, type FakeUpstream } from './test-fixtures.node.js';

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

test('the upstream timeout fires although garbage collections run during the wait (nodejs/node#57736)', { timeout: 60_000 }, async () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  assert.equal(typeof gc, 'function', 'run with --expose-gc (scripts/run-node-tests.mjs passes it)');
  for (const adapter of ['openai-agents-webrtc', 'openai-webrtc'] as const) {
    // Collections are forced where they matter: the moment the request reaches the hanging upstream
    // (the deadline's signal exists, its timer has not fired), then every 50 ms until the answer. Not
    // a storm of back-to-back collections from the start, which on a loaded machine starved the event
    // loop so long that the test itself timed out. If the deadline passed before the request even
    // arrived (a loaded machine), no collection ran inside the wait: that answer must still be
    // upstream_timeout, and the case runs again with twice the deadline until one did.
    let collectedMidWait = false;
    for (let timeoutMs = 300; !collectedMidWait && timeoutMs <= 9600; timeoutMs *= 2) {
      let answered = false;
      const collecting: Array<ReturnType<typeof setInterval>> = [];
      // An upstream of its own per attempt: a request of an earlier attempt arriving late is not taken for this one's.
      const hanging = await startFakeUpstream(() => {
        if (answered) return;
        gc!();
        collectedMidWait = !answered;
        collecting.push(setInterval(() => gc!(), 50));
      });
      try {
        const provider = createOpenAIRealtimeProvider({ apiKey: TEST_API_KEY, baseUrl: hanging.baseUrl });
        const answer = createRealtimeRoute({ provider, logger: watch.logger, upstreamTimeoutMs: timeoutMs })(post(adapter === 'openai-webrtc' ? { adapter, sdp: SDP_OFFER } : { adapter }));
        const response = await watch.see(await answer);
        answered = true;
        assert.equal(response.status, 502, `${adapter}, ${timeoutMs} ms`);
        assert.equal(response.json.error.code, 'upstream_timeout', `${adapter}, ${timeoutMs} ms`);
      } finally {
        answered = true;
        collecting.forEach(clearInterval);
        await hanging.close();
      }
    }
    assert.ok(collectedMidWait, `${adapter}: a collection ran while the route waited for the upstream`);
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
