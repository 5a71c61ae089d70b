// authorize, rate limits (memory store) and the audit line. The shared Redis budget is in
// rate-limit-redis.node.test.ts.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { createOpenAIRealtimeProvider, createRealtimeRoute, ForbiddenError, toNodeHandler, UnauthorizedError, withClientIp, type RealtimeRouteOptions } from './index.js';
import { LeakWatch, openAIBehaviour, startFakeUpstream, TEST_API_KEY, type FakeUpstream } from './test-fixtures.node.js';

const ROUTE_URL = 'http://app.test/api/realtime';
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
  watch.logLines.length = 0;
});

function route(options: Partial<RealtimeRouteOptions> = {}) {
  const provider = createOpenAIRealtimeProvider({ apiKey: TEST_API_KEY, baseUrl: upstream.baseUrl });
  return createRealtimeRoute({ provider, logger: watch.logger, ...options });
}

const ws = { adapter: 'openai-websocket' };

function post(body: unknown = ws, headers: Record<string, string> = {}): Request {
  return new Request(ROUTE_URL, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

/** The parsed fields of each realtime.mint line logged so far. */
function mintLines(): Array<{ level: string; fields: Record<string, any> }> {
  return watch.logLines
    .filter((line) => line.split(' ')[1] === 'realtime.mint')
    .map((line) => ({ level: line.split(' ')[0]!, fields: JSON.parse(line.slice(line.indexOf('{'))) }));
}

/** Serves the route on 127.0.0.1 through toNodeHandler; returns its URL. */
async function serve(handler: (request: Request) => Promise<Response>, trustProxy?: boolean | number): Promise<string> {
  const server = createServer(toNodeHandler(handler, trustProxy === undefined ? {} : { trustProxy }));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/realtime`;
}

test('authorize runs before the body is read: false is a 401, the body stays unread and nothing goes upstream', async () => {
  const request = post();
  const response = await watch.see(await route({ authorize: () => false })(request));
  assert.equal(response.status, 401);
  assert.equal(response.json.error.code, 'unauthorized');
  assert.equal(request.bodyUsed, false, 'the body was never read');
  assert.equal(upstream.requests.length, 0);
  const [line] = mintLines();
  assert.equal(line?.level, 'warn');
  assert.equal(line?.fields.outcome, 'denied');
});

test('authorize: a subject string or { subject } mints; the subject keys the audit line', async () => {
  for (const result of ['user-42', { subject: 'user-42' }]) {
    const response = await watch.see(await route({ authorize: async () => result })(post()));
    assert.equal(response.status, 200, response.text);
  }
  assert.deepEqual(mintLines().map((line) => line.fields.subject), ['user-42', 'user-42']);
});

test('authorize: a Response is returned as is (a redirect to sign in); ForbiddenError / UnauthorizedError give 403 / 401 with their message', async () => {
  const redirect = new Response(null, { status: 302, headers: { Location: '/login' } });
  const response = await route({ authorize: () => redirect })(post());
  assert.equal(response, redirect, 'the very same Response');
  const forbidden = await watch.see(
    await route({
      authorize: () => {
        throw new ForbiddenError('Your plan has no voice minutes left.');
      },
    })(post()),
  );
  assert.equal(forbidden.status, 403);
  assert.deepEqual(forbidden.json.error, { code: 'forbidden', message: 'Your plan has no voice minutes left.' });
  const expired = await watch.see(
    await route({
      authorize: () => {
        throw new UnauthorizedError('Your session expired; sign in again.');
      },
    })(post()),
  );
  assert.equal(expired.status, 401);
  assert.deepEqual(expired.json.error, { code: 'unauthorized', message: 'Your session expired; sign in again.' });
  assert.equal(upstream.requests.length, 0);
  assert.deepEqual(mintLines().map((line) => [line.fields.outcome, line.fields.status]), [['denied', 302], ['denied', 403], ['denied', 401]]);
});

test('authorize fails closed: a throwing hook is a 500 that hides its message; true, undefined or "" are refused', async () => {
  const thrown = await watch.see(
    await route({
      authorize: () => {
        throw new Error('session store down: redis://admin:hunter2@db');
      },
    })(post()),
  );
  assert.equal(thrown.status, 500);
  assert.equal(thrown.json.error.code, 'internal_error');
  assert.ok(!thrown.text.includes('hunter2'));
  assert.match(mintLines().at(-1)!.fields.cause, /session store down/, 'operators see the cause');
  for (const result of [true, undefined, '', 'x'.repeat(257)]) {
    const response = await watch.see(await route({ authorize: () => result as never })(post()));
    assert.equal(response.status, 500, String(result));
    assert.equal(response.json.error.code, 'invalid_configuration');
  }
  assert.equal(upstream.requests.length, 0);
});

test('authorize sees every method but the CORS preflight: a GET without a session is 401, a preflight 204', async () => {
  const seen: string[] = [];
  const handler = route({
    authorize: (request) => {
      seen.push(request.method);
      return false;
    },
    policy: { allowedOrigins: ['https://app.example'] },
  });
  assert.equal((await watch.see(await handler(new Request(ROUTE_URL, { method: 'GET' })))).status, 401);
  const preflight = await watch.see(
    await handler(new Request(ROUTE_URL, { method: 'OPTIONS', headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'POST' } })),
  );
  assert.equal(preflight.status, 204);
  assert.deepEqual(seen, ['GET']);
});

test('a listed origin may send its cookies (Allow-Credentials on the preflight and the answer); the wildcard never', async () => {
  const listed = route({ authorize: () => 'user-1', policy: { allowedOrigins: ['https://app.example'] } });
  const preflight = await watch.see(
    await listed(new Request(ROUTE_URL, { method: 'OPTIONS', headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'POST' } })),
  );
  const answer = await watch.see(await listed(post(ws, { Origin: 'https://app.example', Cookie: 'sid=1' })));
  for (const response of [preflight, answer]) {
    assert.equal(response.headers['access-control-allow-origin'], 'https://app.example');
    assert.equal(response.headers['access-control-allow-credentials'], 'true');
  }
  const wildcard = await watch.see(await route({ policy: { allowedOrigins: '*' } })(post(ws, { Origin: 'https://any.example' })));
  assert.equal(wildcard.headers['access-control-allow-origin'], '*');
  assert.equal(wildcard.headers['access-control-allow-credentials'], undefined);
});

test('one realtime.mint line per request with request id, subject, ip, origin, adapter, model, expiry and outcome; never a secret', async () => {
  const url = await serve(route({ authorize: () => 'user-7', policy: { allowedOrigins: ['https://app.example'] } }));
  const response = await watch.see(
    await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: 'https://app.example' },
      body: JSON.stringify({ adapter: 'openai-agents-webrtc', session: { model: 'gpt-realtime-mini' } }),
    }),
  );
  assert.equal(response.status, 200);
  const lines = mintLines();
  assert.equal(lines.length, 1);
  const { level, fields } = lines[0]!;
  assert.equal(level, 'info');
  assert.equal(fields.requestId, response.headers['x-request-id']);
  assert.match(fields.requestId, /^[0-9a-f-]{36}$/);
  assert.match(response.headers['access-control-expose-headers']!, /X-Request-Id/);
  assert.deepEqual(
    { subject: fields.subject, ip: fields.ip, origin: fields.origin, adapter: fields.adapter, model: fields.model, outcome: fields.outcome, status: fields.status },
    { subject: 'user-7', ip: '127.0.0.1', origin: 'https://app.example', adapter: 'openai-agents-webrtc', model: 'gpt-realtime-mini', outcome: 'minted', status: 200 },
  );
  assert.equal(fields.expiresAt, response.json.clientSecret.expiresAt);
  assert.ok(!JSON.stringify(fields).includes(response.json.clientSecret.value), 'the client secret is not logged');
  assert.deepEqual(watch.leaksOf(TEST_API_KEY), []);
});

test('rate limit (memory store): past the budget 429 with Retry-After, nothing sent upstream; another subject has its own budget', async () => {
  let user = 'alice';
  const handler = route({ authorize: () => user, rateLimit: { limiter: new RateLimiterMemory({ points: 2, duration: 60 }) } });
  for (let i = 0; i < 2; i += 1) assert.equal((await watch.see(await handler(post()))).status, 200);
  const limited = await watch.see(await handler(post()));
  assert.equal(limited.status, 429);
  assert.equal(limited.json.error.code, 'rate_limited');
  const retryAfter = Number(limited.headers['retry-after']);
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${limited.headers['retry-after']}`);
  assert.equal(limited.json.error.retryAfterSeconds, retryAfter);
  assert.equal(upstream.requests.length, 2, 'the third request never reached the upstream');
  assert.equal(mintLines().at(-1)!.fields.outcome, 'rate_limited');
  user = 'bob';
  assert.equal((await watch.see(await handler(post()))).status, 200, 'bob has his own budget');
});

test('rate limit: refused media types and origins spend nothing, so a cross-site form cannot burn a user’s budget', async () => {
  const handler = route({ authorize: () => 'alice', rateLimit: { limiter: new RateLimiterMemory({ points: 1, duration: 60 }) } });
  for (let i = 0; i < 5; i += 1) {
    const form = await watch.see(await handler(post({ adapter: 'openai-websocket' }, { 'Content-Type': 'text/plain', Origin: 'https://evil.example' })));
    assert.equal(form.status, 403);
  }
  assert.equal((await watch.see(await handler(post()))).status, 200, 'the budget is intact');
});

test('rate limit by IP without authorize: the socket address, not a client-written X-Forwarded-For', async () => {
  const limiter = new RateLimiterMemory({ points: 2, duration: 60 });
  const url = await serve(route({ rateLimit: { limiter } }));
  const send = (xff?: string) =>
    fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(xff ? { 'X-Forwarded-For': xff } : {}) },
      body: JSON.stringify({ adapter: 'openai-websocket' }),
    }).then((response) => watch.see(response));
  const statuses = [];
  for (const xff of [undefined, '203.0.113.1', '203.0.113.2', '198.51.100.9']) statuses.push((await send(xff)).status);
  assert.deepEqual(statuses, [200, 200, 429, 429], 'spoofed forwarded addresses share the socket’s budget');
  assert.deepEqual(mintLines().map((line) => line.fields.ip), ['127.0.0.1', '127.0.0.1', '127.0.0.1', '127.0.0.1']);
});

test('trustProxy: 1 takes the last X-Forwarded-For entry (what the proxy saw); entries a client prepends do not count', async () => {
  const limiter = new RateLimiterMemory({ points: 1, duration: 60 });
  const url = await serve(route({ rateLimit: { limiter } }), 1);
  const send = (xff: string) =>
    fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': xff }, body: JSON.stringify({ adapter: 'openai-websocket' }) }).then(
      (response) => watch.see(response),
    );
  assert.equal((await send('192.0.2.10')).status, 200);
  assert.equal((await send('10.9.9.9, 192.0.2.10')).status, 429, 'a forged left entry does not buy a new budget');
  assert.equal((await send('192.0.2.11')).status, 200, 'another client behind the proxy has its own');
  assert.deepEqual(mintLines().map((line) => line.fields.ip), ['192.0.2.10', '192.0.2.10', '192.0.2.11']);
});

test('clientIp option and withClientIp(): where the address comes from on hosts without toNodeHandler', async () => {
  const limiter = new RateLimiterMemory({ points: 1, duration: 60 });
  const viaHeader = route({ rateLimit: { limiter }, clientIp: (request) => request.headers.get('x-real-ip') ?? undefined });
  assert.equal((await watch.see(await viaHeader(post(ws, { 'X-Real-IP': '198.51.100.1' })))).status, 200);
  assert.equal((await watch.see(await viaHeader(post(ws, { 'X-Real-IP': '198.51.100.1' })))).status, 429);
  assert.equal((await watch.see(await viaHeader(post(ws, { 'X-Real-IP': '198.51.100.2' })))).status, 200);

  const recorded = route({ rateLimit: { limiter: new RateLimiterMemory({ points: 1, duration: 60 }) } });
  assert.equal((await watch.see(await recorded(withClientIp(post(), '::ffff:192.0.2.5')))).status, 200);
  assert.equal((await watch.see(await recorded(withClientIp(post(), '192.0.2.5')))).status, 429, 'the same address, mapped or not');
  assert.equal((await watch.see(await recorded(withClientIp(post(), 'not-an-ip')))).status, 200, 'garbage is no address: the unknown bucket');
  assert.deepEqual(mintLines().map((line) => line.fields.ip), ['198.51.100.1', '198.51.100.1', '198.51.100.2', '192.0.2.5', '192.0.2.5', undefined]);
});

test('a failing limiter store is a 503 rate_limit_unavailable (fail closed), nothing sent upstream', async () => {
  const broken = { consume: async () => Promise.reject(new Error('ECONNREFUSED 127.0.0.1:6379')) };
  const response = await watch.see(await route({ rateLimit: { limiter: broken } })(post()));
  assert.equal(response.status, 503);
  assert.equal(response.json.error.code, 'rate_limit_unavailable');
  assert.equal(upstream.requests.length, 0);
  assert.equal(mintLines().at(-1)!.level, 'error');
});

test('rateLimit.key and points: a custom key and cost', async () => {
  const keys: string[] = [];
  const limiter = new RateLimiterMemory({ points: 3, duration: 60 });
  const spy = { consume: (key: string, points?: number) => (keys.push(`${key}×${points}`), limiter.consume(key, points)) };
  const handler = route({ authorize: () => 'carol', rateLimit: { limiter: spy, key: ({ subject }) => `tenant-a:${subject}`, points: 2 } });
  assert.equal((await watch.see(await handler(post()))).status, 200);
  assert.equal((await watch.see(await handler(post()))).status, 429, 'two points of three spent, two more are not there');
  assert.deepEqual(keys, ['tenant-a:carol×2', 'tenant-a:carol×2']);
});

test('the API key is in no response or log line of this file', () => {
  assert.ok(watch.responses.length >= 25, `${watch.responses.length} responses`);
  assert.deepEqual(watch.leaksOf(TEST_API_KEY), []);
});
