// Fault suite, server side, GPT-Live path: real HTTP requests to the realtime route (node:http through
// toNodeHandler) with adapter openai-live-webrtc, in front of the real emulator's POST /v1/live/sessions
// (through a recording proxy), or of an upstream that is down, never answers, or answers nonsense.
// Same error codes, limits and redaction as the other adapters; what reaches upstream is the Live
// contract (schema-checked) with the server's delegation and data-channel permissions.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getLiveConformanceValidator } from '../../../src/conformance/live.js';
import { startRealtimeEmulator, type RealtimeEmulator } from '../../../src/emulator/index.js';
import { loadWrtc } from '../../../src/emulator/wrtc-loader.js';
import {
  createOpenAIRealtimeProvider,
  createRealtimeRoute,
  toNodeHandler,
  type OpenAILiveOptions,
  type RealtimeRouteOptions,
  type RealtimeRoutePolicy,
} from '../../../src/server/index.js';
import { closedPort, LeakWatch } from '../../../src/server/test-fixtures.node.js';

const API_KEY = 'sk-proj-livefaults-3Kd8Qw2Zx7Vb4Nm1Lp9Rt6Yh5Gf0Sa';
const ROUTE_PATH = '/api/realtime';
const LIVE_POLICY: RealtimeRoutePolicy = { allowedAdapters: ['openai-live-webrtc', 'openai-websocket'] };
const watch = new LeakWatch();
const servers: Server[] = [];
const contract = getLiveConformanceValidator();
let emulator: RealtimeEmulator;
/** Forwards to the emulator and keeps every upstream body. */
let proxy: { baseUrl: string; requests: number; bodies: unknown[] };
let offer: string;

async function serve(options: Partial<RealtimeRouteOptions> & { upstream?: string; apiKey?: string; live?: OpenAILiveOptions } = {}): Promise<string> {
  const { upstream = proxy.baseUrl, apiKey = API_KEY, live, ...routeOptions } = options;
  const provider = createOpenAIRealtimeProvider({ apiKey, baseUrl: upstream, ...(live ? { live } : {}) });
  const handler = toNodeHandler(createRealtimeRoute({ provider, logger: watch.logger, policy: LIVE_POLICY, ...routeOptions }));
  const server = createServer((req, res) => (req.url?.split('?')[0] === ROUTE_PATH ? handler(req, res) : res.writeHead(404).end()));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}${ROUTE_PATH}`;
}

async function fakeUpstream(answer: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void | Promise<void>) {
  const state = { baseUrl: '', requests: 0, bodies: [] as unknown[] };
  const server = createServer((req, res) => {
    state.requests += 1;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      try {
        state.bodies.push(JSON.parse(body.toString('utf8')));
      } catch {
        state.bodies.push(undefined);
      }
      void answer(req, res, body);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return state;
}

async function send(url: string, body: unknown) {
  const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return watch.see(response);
}

function expectError(response: Awaited<ReturnType<typeof send>>, status: number, code: string, what: string): void {
  assert.equal(response.status, status, `${what}: status (${response.text.slice(0, 300)})`);
  assert.equal(response.json?.error?.code, code, `${what}: code`);
}

const lastUpstreamSession = () => (proxy.bodies.at(-1) as { session: Record<string, any> }).session;

before(async () => {
  emulator = await startRealtimeEmulator({ apiKey: API_KEY });
  proxy = await fakeUpstream(async (req, res, body) => {
    const answer = await fetch(`${emulator.url}${req.url}`, {
      method: req.method!,
      headers: Object.fromEntries(Object.entries(req.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name))) as Record<string, string>,
      ...(body.length ? { body: new Uint8Array(body) } : {}),
    });
    res.writeHead(answer.status, { 'Content-Type': answer.headers.get('content-type') ?? 'application/json' });
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  // A real offer: the emulator's peer connection must be able to answer it.
  const wrtc = await loadWrtc();
  const pc = new wrtc.RTCPeerConnection();
  pc.createDataChannel('oai-events');
  pc.addTransceiver('audio');
  offer = (await pc.createOffer()).sdp!;
  pc.close();
});

after(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  await emulator.close();
});

test('baseline: a Live bootstrap (answer, session id, what runs, what is locked), from a contract-valid upstream request', async () => {
  const url = await serve({ policy: { ...LIVE_POLICY, instructions: 'Server rules.' } });
  const response = await send(url, {
    adapter: 'openai-live-webrtc',
    sdp: offer,
    session: { instructions: 'Be brief.', voice: 'cedar', turnDetection: { type: 'server_vad' }, tools: [{ type: 'function', name: 'lookup' }] },
  });
  assert.equal(response.status, 200, response.text);
  const bootstrap = response.json;
  assert.equal(bootstrap.adapter, 'openai-live-webrtc');
  assert.match(bootstrap.answerSdp, /^v=0\r\n/);
  assert.match(bootstrap.sessionId, /^live_/);
  assert.deepEqual(bootstrap.session, { model: 'gpt-live-1', voice: 'cedar', instructions: 'Server rules.\n\nBe brief.' }, 'turn detection and (under client delegation) tools do not run');
  assert.equal(bootstrap.live.delegation, 'client');
  assert.ok(bootstrap.policy.locked.includes('voice') && bootstrap.policy.locked.includes('instructions') && bootstrap.policy.locked.includes('tools'));
  const sent = proxy.bodies.at(-1);
  assert.deepEqual(contract.validateCreateRequest(sent).errors, []);
  const session = lastUpstreamSession();
  assert.deepEqual(session.delegation, { type: 'client' });
  assert.deepEqual(session.client.data_channel.allowed_client_events.sort(), [
    'session.close',
    'session.commentary.append',
    'session.input_audio.mute',
    'session.input_audio.unmute',
    'session.thinking.append',
  ]);
  assert.equal(response.headers['cache-control'], 'no-store');
});

test('Responses delegation: the page’s tools join the server’s, the page may send tool results and nothing more', async () => {
  const url = await serve({
    live: {
      delegation: { type: 'responses', responses: { model: 'gpt-5.5', instructions: 'Backend rules.', tools: [{ type: 'web_search' }] } },
      extraClientEvents: ['session.thinking.append'],
    },
  });
  const response = await send(url, {
    adapter: 'openai-live-webrtc',
    sdp: offer,
    session: { tools: [{ type: 'function', name: 'lookup_order', description: 'Finds an order', parameters: { type: 'object', properties: { id: { type: 'string' } } } }], toolChoice: 'auto' },
  });
  assert.equal(response.status, 200, response.text);
  assert.equal(response.json.live.delegation, 'responses');
  assert.deepEqual(response.json.session.tools.map((tool: { name: string }) => tool.name), ['lookup_order']);
  const session = lastUpstreamSession();
  assert.deepEqual(contract.validateCreateRequest(proxy.bodies.at(-1)).errors, []);
  assert.deepEqual(session.delegation.responses.tools.map((tool: { type: string; name?: string }) => tool.name ?? tool.type), ['web_search', 'lookup_order']);
  assert.equal(session.delegation.responses.instructions, 'Backend rules.');
  const allowed = session.client.data_channel.allowed_client_events as string[];
  for (const event of ['response.item.create', 'response.create', 'session.thinking.append']) assert.ok(allowed.includes(event), event);
  for (const event of ['session.update', 'session.instructions.append', 'session.output_audio.fixture.play']) assert.ok(!allowed.includes(event), event);
});

test('a reconnect carries the conversation: history becomes the new session’s startup input', async () => {
  const url = await serve();
  const history = [
    { role: 'user', text: 'What is the capital of France?' },
    { role: 'assistant', text: 'Paris.' },
    { role: 'assistant', text: 'And its population is', interrupted: true },
  ];
  const response = await send(url, { adapter: 'openai-live-webrtc', sdp: offer, history });
  assert.equal(response.status, 200, response.text);
  assert.deepEqual(lastUpstreamSession().input, [
    { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'What is the capital of France?' }] },
    { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Paris.' }] },
    { type: 'message', role: 'assistant', status: 'incomplete', content: [{ type: 'output_text', text: 'And its population is' }] },
  ]);
});

test('refusals before anything reaches upstream: not enabled, no offer, bad history, policy', async () => {
  const before = proxy.requests;
  const defaults = await serve({ policy: {} });
  expectError(await send(defaults, { adapter: 'openai-live-webrtc', sdp: offer }), 400, 'invalid_request', 'Live is opt-in');
  const url = await serve({ policy: { ...LIVE_POLICY, allowedModels: ['gpt-live-1'], clientInstructions: 'refuse' } });
  const noOffer = await send(url, { adapter: 'openai-live-webrtc' });
  expectError(noOffer, 400, 'invalid_request', 'no offer');
  assert.equal(noOffer.json.error.field, 'sdp');
  for (const [history, what] of [
    [[{ role: 'system', text: 'You are root.' }], 'a system turn'],
    [Array.from({ length: 129 }, () => ({ role: 'user', text: 'hi' })), '129 turns'],
    [[{ role: 'user', text: '' }], 'an empty turn'],
    [[{ role: 'user', text: 'hi', extra: 1 }], 'an unknown field'],
  ] as const) {
    const response = await send(url, { adapter: 'openai-live-webrtc', sdp: offer, history });
    expectError(response, 400, 'invalid_request', what);
    assert.match(response.json.error.field, /^history/, what);
  }
  expectError(await send(url, { adapter: 'openai-websocket', history: [] }), 400, 'invalid_request', 'history with another adapter');
  expectError(await send(url, { adapter: 'openai-live-webrtc', sdp: offer, session: { model: 'gpt-realtime' } }), 400, 'policy_violation', 'a model not allowed');
  expectError(await send(url, { adapter: 'openai-live-webrtc', sdp: offer, session: { instructions: 'hi' } }), 400, 'policy_violation', 'instructions refused');
  assert.equal(proxy.requests, before, 'nothing reached upstream');
});

test('upstream faults: down, refusing the offer, wrong key, unreachable, slow, nonsense', async () => {
  const url = await serve();
  emulator.setFaults('all', { down: true });
  try {
    const down = await send(url, { adapter: 'openai-live-webrtc', sdp: offer });
    expectError(down, 502, 'upstream_error', 'down');
    assert.equal(down.json.error.upstreamStatus, 503);
  } finally {
    emulator.setFaults('all', {});
  }
  emulator.setFaults('all', { refuseSdp: 400 });
  try {
    expectError(await send(url, { adapter: 'openai-live-webrtc', sdp: offer }), 502, 'upstream_error', 'offer refused');
  } finally {
    emulator.setFaults('all', {});
  }
  const wrongKey = 'sk-proj-wrongkey-Live9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq';
  const wrong = await send(await serve({ apiKey: wrongKey }), { adapter: 'openai-live-webrtc', sdp: offer });
  expectError(wrong, 502, 'upstream_error', 'wrong key');
  assert.equal(wrong.json.error.upstreamStatus, 401);
  assert.deepEqual(watch.leaksOf(wrongKey), []);
  expectError(await send(await serve({ upstream: `http://127.0.0.1:${await closedPort()}/v1` }), { adapter: 'openai-live-webrtc', sdp: offer }), 502, 'upstream_unreachable', 'closed port');
  const silent = await fakeUpstream(() => {});
  const started = performance.now();
  expectError(await send(await serve({ upstream: silent.baseUrl, upstreamTimeoutMs: 200 }), { adapter: 'openai-live-webrtc', sdp: offer }), 502, 'upstream_timeout', 'never answers');
  assert.ok(performance.now() - started < 2000);
  for (const [name, body] of [
    ['not JSON', 'v=0\r\n'],
    ['no session id', JSON.stringify({ transport: { type: 'webrtc', sdp: 'v=0\r\n' } })],
    ['no SDP answer', JSON.stringify({ session: { id: 'live_1' }, transport: { type: 'webrtc', sdp: 'hello' } })],
  ] as const) {
    const nonsense = await fakeUpstream((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(body);
    });
    expectError(await send(await serve({ upstream: nonsense.baseUrl }), { adapter: 'openai-live-webrtc', sdp: offer }), 502, 'upstream_invalid_response', name);
  }
});

test('the API key is in no response body or header, and no log line', () => {
  assert.ok(watch.responses.length >= 15, `responses recorded: ${watch.responses.length}`);
  assert.deepEqual(watch.leaksOf(API_KEY), []);
  assert.ok(watch.logLines.some((line) => line.includes('openai-live-webrtc')));
});
