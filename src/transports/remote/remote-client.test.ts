import { expect } from '@open-wc/testing';
import { z } from 'zod';
import { FakeRealtimeTransport } from '../../testing/index.js';
import type { TransportConnectRequest } from '../types.js';
import { createRemoteRealtimeClient, RemoteRealtimeError, type AdapterDeps, type RealtimeAdapterEntry } from './index.js';

const request: TransportConnectRequest = { session: { model: 'gpt-realtime', voice: 'marin' }, reason: 'start', history: [], sessionId: 's1' };

const agentsBootstrap = {
  adapter: 'openai-agents-webrtc',
  transport: 'webrtc',
  clientSecret: { value: 'ek_test', expiresAt: 1_900_000_000 },
  session: { model: 'gpt-realtime', voice: 'marin' },
  callsUrl: 'http://127.0.0.1:1/v1/realtime/calls',
};

/** An adapter entry whose transport is a FakeRealtimeTransport that fetches a bootstrap on each connect. */
function fakeAdapter(name = 'openai-agents-webrtc') {
  const made: { deps?: AdapterDeps; transport?: FakeRealtimeTransport; bootstraps: unknown[] } = { bootstraps: [] };
  const entry: RealtimeAdapterEntry = {
    name,
    transport: 'webrtc',
    async load() {
      return (deps) => {
        made.deps = deps;
        const transport = new FakeRealtimeTransport();
        const connect = transport.connect.bind(transport);
        transport.connect = async (req, signal) => {
          made.bootstraps.push(await deps.bootstrap(undefined, signal));
          await connect(req, signal);
        };
        made.transport = transport;
        return transport;
      };
    },
  };
  return { entry, made };
}

function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

async function rejectionOf(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('remote client', () => {
  it('posts { adapter, transport, session } to the endpoint and connects the adapter with the bootstrap', async () => {
    const { entry, made } = fakeAdapter();
    const posted: Array<{ url: string; body: unknown }> = [];
    const client = createRemoteRealtimeClient({
      endpoint: '/custom/realtime',
      adapters: [entry],
      fetch: async (url, init) => {
        posted.push({ url: String(url), body: JSON.parse(String(init!.body)) });
        return jsonResponse(agentsBootstrap);
      },
    });
    await client.connect(request, new AbortController().signal);
    expect(posted).to.deep.equal([
      { url: '/custom/realtime', body: { adapter: 'openai-agents-webrtc', transport: 'webrtc', session: request.session } },
    ]);
    expect(made.bootstraps).to.deep.equal([agentsBootstrap]);
    expect(client.inner).to.equal(made.transport);
  });

  it('forwards calls and events in both directions', async () => {
    const { entry, made } = fakeAdapter();
    const client = createRemoteRealtimeClient({ adapters: [entry], sessionBootstrap: async () => agentsBootstrap });
    const deltas: string[] = [];
    client.on('assistant:delta', ({ delta }) => deltas.push(delta));
    client.setMuted(true);
    await client.connect(request, new AbortController().signal);
    expect(made.transport!.muted).to.equal(true);
    await client.sendText('hi');
    await client.sendToolResult('c1', { ok: true }, { requestResponse: false });
    made.transport!.emit('assistant:delta', { responseId: 'r', delta: 'yo' });
    expect(deltas).to.deep.equal(['yo']);
    expect(made.transport!.callsOf('sendText')).to.have.length(1);
    expect(made.transport!.callsOf('sendToolResult')[0]!.requestResponse).to.equal(false);
  });

  it('levels forward to the adapter once loaded', async () => {
    const { entry, made } = fakeAdapter();
    const client = createRemoteRealtimeClient({ adapters: [entry], sessionBootstrap: async () => agentsBootstrap });
    expect(client.levels.output.read()).to.equal(0);
    await client.connect(request, new AbortController().signal);
    made.transport!.levels.output.set(0.6);
    expect(client.levels.output.active).to.equal(true);
    expect(client.levels.output.read()).to.equal(0.6);
  });

  it('fetches a fresh bootstrap on every connect (reconnects get a new secret)', async () => {
    const { entry, made } = fakeAdapter();
    let n = 0;
    const client = createRemoteRealtimeClient({
      adapters: [entry],
      sessionBootstrap: async () => ({ ...agentsBootstrap, clientSecret: { value: `ek_${++n}`, expiresAt: 1 } }),
    });
    await client.connect(request, new AbortController().signal);
    await client.connect({ ...request, reason: 'reconnect' }, new AbortController().signal);
    expect(made.bootstraps.map((b: any) => b.clientSecret.value)).to.deep.equal(['ek_1', 'ek_2']);
  });

  it('network failure is network_error', async () => {
    const { entry } = fakeAdapter();
    const client = createRemoteRealtimeClient({ adapters: [entry], fetch: async () => Promise.reject(new TypeError('Failed to fetch')) });
    const error = await rejectionOf(client.connect(request, new AbortController().signal));
    expect(error).to.be.instanceOf(RemoteRealtimeError);
    expect(error.code).to.equal('network_error');
    expect(error.message).to.contain('Failed to fetch');
  });

  it("a non-2xx answer is http_error with the route's message and code", async () => {
    const { entry } = fakeAdapter();
    const client = createRemoteRealtimeClient({
      adapters: [entry],
      fetch: async () => jsonResponse({ error: { code: 'policy_violation', message: 'session.voice: "x" is not allowed' } }, 400),
    });
    const error = await rejectionOf(client.connect(request, new AbortController().signal));
    expect(error.code).to.equal('http_error');
    expect(error.status).to.equal(400);
    expect(error.routeCode).to.equal('policy_violation');
    expect(error.message).to.contain('session.voice: "x" is not allowed');
  });

  describe('the route’s refusals each have their code', () => {
    const refusedWith = async (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const { entry } = fakeAdapter();
      const client = createRemoteRealtimeClient({
        adapters: [entry],
        fetch: async () => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } }),
      });
      return rejectionOf(client.connect(request, new AbortController().signal));
    };
    const table: Array<[number, string, string]> = [
      [401, 'unauthorized', 'unauthorized'],
      [403, 'forbidden', 'forbidden'],
      [403, 'forbidden', 'origin_not_allowed'],
      [408, 'request_timeout', 'request_timeout'],
      [413, 'payload_too_large', 'payload_too_large'],
      [429, 'rate_limited', 'rate_limited'],
      [400, 'http_error', 'policy_violation'],
      [502, 'http_error', 'upstream_error'],
    ];
    for (const [status, code, routeCode] of table) {
      it(`${status} ${routeCode} → ${code}`, async () => {
        const error = await refusedWith(status, { error: { code: routeCode, message: 'no' } });
        expect(error).to.be.instanceOf(RemoteRealtimeError);
        expect(error.code).to.equal(code);
        expect(error.status).to.equal(status);
        expect(error.routeCode).to.equal(routeCode);
      });
    }

    it('429: retryAfterSeconds from Retry-After (seconds or an HTTP date), else from the body; nonsense clamped', async () => {
      expect((await refusedWith(429, { error: { code: 'rate_limited' } }, { 'Retry-After': '7' })).retryAfterSeconds).to.equal(7);
      const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
      expect((await refusedWith(429, {}, { 'Retry-After': inTenSeconds })).retryAfterSeconds).to.be.within(9, 11);
      expect((await refusedWith(429, { error: { code: 'rate_limited', retryAfterSeconds: 12 } })).retryAfterSeconds).to.equal(12);
      expect((await refusedWith(429, { error: { retryAfterSeconds: -5 } })).retryAfterSeconds).to.equal(0);
      expect((await refusedWith(429, {}, { 'Retry-After': '999999999' })).retryAfterSeconds).to.equal(86_400);
      expect((await refusedWith(429, { error: { retryAfterSeconds: 'soon' } }, { 'Retry-After': 'later' })).retryAfterSeconds).to.equal(undefined);
      expect((await refusedWith(401, { error: { retryAfterSeconds: 3 } }, { 'Retry-After': '3' })).retryAfterSeconds, 'only for 429').to.equal(undefined);
    });
  });

  it('credentials: same-origin by default; include (a route on another origin with cookie auth) and omit pass through', async () => {
    const seen: Array<RequestCredentials | undefined> = [];
    for (const credentials of [undefined, 'include', 'omit'] as const) {
      const { entry } = fakeAdapter();
      const client = createRemoteRealtimeClient({
        adapters: [entry],
        ...(credentials ? { credentials } : {}),
        fetch: async (_url, init) => {
          seen.push(init?.credentials);
          return jsonResponse(agentsBootstrap);
        },
      });
      await client.connect(request, new AbortController().signal);
    }
    expect(seen).to.deep.equal(['same-origin', 'include', 'omit']);
  });

  it('an invalid bootstrap is invalid_bootstrap, naming the field', async () => {
    const { entry } = fakeAdapter();
    const client = createRemoteRealtimeClient({
      adapters: [entry],
      fetch: async () => jsonResponse({ ...agentsBootstrap, callsUrl: 'javascript:alert(1)' }),
    });
    const error = await rejectionOf(client.connect(request, new AbortController().signal));
    expect(error.code).to.equal('invalid_bootstrap');
    expect(error.message).to.contain('callsUrl');
  });

  it('a body that is not JSON is invalid_bootstrap', async () => {
    const { entry } = fakeAdapter();
    const client = createRemoteRealtimeClient({ adapters: [entry], fetch: async () => new Response('<html>', { status: 200 }) });
    expect((await rejectionOf(client.connect(request, new AbortController().signal))).code).to.equal('invalid_bootstrap');
  });

  it('a route that does not answer in time is timeout', async () => {
    const { entry } = fakeAdapter();
    const client = createRemoteRealtimeClient({
      adapters: [entry],
      timeoutMs: 30,
      fetch: (_url, init) =>
        new Promise((_resolve, reject) => init!.signal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))),
    });
    const error = await rejectionOf(client.connect(request, new AbortController().signal));
    expect(error.code).to.equal('timeout');
  });

  it('the caller abort rejects with an AbortError, not a timeout', async () => {
    const { entry } = fakeAdapter();
    const controller = new AbortController();
    const client = createRemoteRealtimeClient({
      adapters: [entry],
      fetch: (_url, init) =>
        new Promise((_resolve, reject) => init!.signal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))),
    });
    const pending = client.connect(request, controller.signal);
    controller.abort();
    expect((await rejectionOf(pending)).name).to.equal('AbortError');
  });

  it('an unknown adapter is unknown_adapter listing the known ones', async () => {
    const client = createRemoteRealtimeClient({ adapter: 'carrier-pigeon' });
    const error = await rejectionOf(client.connect(request, new AbortController().signal));
    expect(error.code).to.equal('unknown_adapter');
    expect(error.message).to.contain('openai-agents-webrtc');
  });

  it('an answer for another adapter is adapter_mismatch', async () => {
    const { entry } = fakeAdapter();
    const client = createRemoteRealtimeClient({
      adapters: [entry],
      sessionBootstrap: async () => ({
        adapter: 'openai-websocket',
        transport: 'websocket',
        clientSecret: agentsBootstrap.clientSecret,
        session: agentsBootstrap.session,
        url: 'ws://127.0.0.1:1/v1/realtime',
      }),
    });
    expect((await rejectionOf(client.connect(request, new AbortController().signal))).code).to.equal('adapter_mismatch');
  });

  it('users can register their own adapter with its own bootstrap schema', async () => {
    const { entry, made } = fakeAdapter('my-sip-bridge');
    const client = createRemoteRealtimeClient({
      adapter: 'my-sip-bridge',
      adapters: [{ ...entry, bootstrapSchema: z.object({ adapter: z.literal('my-sip-bridge'), room: z.string() }) }],
      sessionBootstrap: async (body) => ({ adapter: body.adapter, room: 'r1', ignored: true }),
    });
    await client.connect(request, new AbortController().signal);
    expect(made.bootstraps).to.deep.equal([{ adapter: 'my-sip-bridge', room: 'r1' }]);
  });

  it('a failing adapter load is adapter_load_failed and a later connect retries it', async () => {
    let attempts = 0;
    const { entry } = fakeAdapter();
    const client = createRemoteRealtimeClient({
      adapters: [{ ...entry, load: async () => (++attempts === 1 ? Promise.reject(new Error('chunk 404')) : entry.load()) }],
      sessionBootstrap: async () => agentsBootstrap,
    });
    expect((await rejectionOf(client.connect(request, new AbortController().signal))).code).to.equal('adapter_load_failed');
    await client.connect(request, new AbortController().signal);
    expect(attempts).to.equal(2);
  });

  it('calls before the first connect reject clearly', async () => {
    const client = createRemoteRealtimeClient();
    expect((await rejectionOf(client.sendText('x'))).message).to.contain('not connected');
  });
});
