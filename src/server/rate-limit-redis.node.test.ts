// Two route instances (as two server processes would be) with their own Redis clients and limiter
// objects, sharing one store: they share one budget. Runs a real redis-server on loopback, started
// and stopped here (`node scripts/ensure.mjs --redis` installs it; npm run test:node calls that).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { createOpenAIRealtimeProvider, createRealtimeRoute } from './index.js';
import { closedPort, LeakWatch, startFakeUpstream, TEST_API_KEY, type FakeUpstream } from './test-fixtures.node.js';

const watch = new LeakWatch();
let upstream: FakeUpstream;
let redis: ChildProcess | undefined;
let port = 0;
const clients: Redis[] = [];

/** Starts redis-server on a free loopback port, without persistence, and waits until it accepts. */
async function startRedis(): Promise<void> {
  const found = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  assert.equal(found.status, 0, 'redis-server is not installed: run `node scripts/ensure.mjs --redis` (Debian: apt-get install redis-server)');
  port = await closedPort();
  redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    redis!.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Ready to accept connections')) resolve();
    });
    redis!.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${out.slice(-500)}`)));
  });
}

async function stopRedis(): Promise<void> {
  if (!redis || redis.exitCode !== null) return;
  const exited = new Promise((resolve) => redis!.once('exit', resolve));
  redis.kill('SIGTERM');
  await exited;
}

/** One "server process": its own Redis connection, its own limiter object, its own route. */
function instance() {
  // No offline queue and no retries: with the store gone, a command fails now instead of waiting.
  const client = new Redis({ host: '127.0.0.1', port, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: false });
  clients.push(client);
  const limiter = new RateLimiterRedis({ storeClient: client, keyPrefix: 'charivo-mint', points: 3, duration: 60 });
  const provider = createOpenAIRealtimeProvider({ apiKey: TEST_API_KEY, baseUrl: upstream.baseUrl });
  const route = createRealtimeRoute({ provider, logger: watch.logger, authorize: () => 'user-1', rateLimit: { limiter } });
  return { client, route };
}

const post = () =>
  new Request('http://app.test/api/realtime', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ adapter: 'openai-websocket' }) });

before(async () => {
  upstream = await startFakeUpstream();
  await startRedis();
});
after(async () => {
  for (const client of clients) client.disconnect();
  await stopRedis();
  await upstream.close();
});

test('two route instances sharing one Redis store share one budget: the fourth mint, on either, is 429', async () => {
  const a = instance();
  const b = instance();
  await Promise.all([a.client, b.client].map((client) => new Promise((resolve) => (client.status === 'ready' ? resolve(null) : client.once('ready', resolve)))));
  const statuses: number[] = [];
  for (const { route } of [a, b, a, b, a]) statuses.push((await watch.see(await route(post()))).status);
  assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
  assert.equal(upstream.requests.length, 3, 'only three mints reached the upstream');
  const limited = watch.responses.at(-1)!;
  assert.ok(Number(limited.headers['retry-after']) >= 1);
  assert.equal(await a.client.get('charivo-mint:subject:user-1'), '5', 'both instances counted in the same Redis key');
});

test('with the store gone, both instances refuse with 503 rate_limit_unavailable instead of minting without a limit', async () => {
  const a = instance();
  await new Promise((resolve) => (a.client.status === 'ready' ? resolve(null) : a.client.once('ready', resolve)));
  const before = upstream.requests.length;
  await stopRedis();
  await new Promise((resolve) => (a.client.status === 'end' ? resolve(null) : a.client.once('end', resolve)));
  const response = await watch.see(await a.route(post()));
  assert.equal(response.status, 503);
  assert.equal(response.json.error.code, 'rate_limit_unavailable');
  assert.equal(upstream.requests.length, before);
  assert.deepEqual(watch.leaksOf(TEST_API_KEY), []);
});
