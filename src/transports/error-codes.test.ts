// One vocabulary: every error a transport throws (or reports with a loss) carries a stable snake_case
// `code` from the one documented set, and the same failure has the same code on every adapter.
import { expect } from '@open-wc/testing';
import { connectRequest, emulatorDeps, newestSessionId } from '../../test/e2e/session-config/wire-capture.js';
// @ts-expect-error virtual module served by test/wtr-emulator-plugin.mjs
import { emulatorUrl } from '/__charivo/emulator.js';
// @ts-expect-error virtual module served by test/wtr-realtime-server.mjs
import { liveRoutes } from '/__charivo/live-routes.js';
import { AudioContextOwner } from './audio/audio-context-owner.js';
import { DeferredTransport } from './deferred-transport.js';
import { TRANSPORT_ERROR_CODES } from './errors.js';
import { createLiveWebRTCAdapter, type LiveWebRTCTransport } from './openai-live/index.js';
import { createWebSocketAdapter } from './openai-websocket/index.js';
import { createUnifiedWebRTCAdapter } from './openai-webrtc/unified-adapter.js';
import { createRemoteRealtimeClient } from './remote/index.js';
import { FakeRealtimeTransport } from '../testing/index.js';
import type { AdapterDeps } from './remote/adapters.js';
import type { RealtimeTransport } from './types.js';
import { need, needsOf } from '../../test/helpers/engine.js';

async function rejectionOf(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

async function faults(value: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${emulatorUrl}/_emulator/faults`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ faults: value }),
  });
  if (!response.ok) throw new Error(`faults: ${response.status}`);
}

/** A documented code, on an Error. */
function expectCode(error: any, code: string): void {
  expect(error, String(error)).to.be.instanceOf(Error);
  expect(error.code, `${error.name}: ${error.message}`).to.equal(code);
  expect(TRANSPORT_ERROR_CODES, `"${code}" is listed in src/transports/errors.ts`).to.include(code);
}

/** Deps of the GPT-Live adapter that bootstrap through the test server's Live route (client delegation). */
function liveRouteDeps(audio: AudioContextOwner): AdapterDeps {
  return {
    audio,
    async bootstrap(extra, signal) {
      const response = await fetch((liveRoutes as { client: { path: string } }).client.path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ adapter: 'openai-live-webrtc', transport: 'webrtc', session: {}, ...extra }),
        signal,
      });
      if (!response.ok) throw new Error(`live route: ${response.status} ${await response.text()}`);
      return response.json();
    },
  };
}

describe('transports: one error vocabulary', () => {
  let audio: AudioContextOwner;
  let transport: RealtimeTransport | undefined;

  beforeEach(() => {
    audio = new AudioContextOwner();
  });

  afterEach(async () => {
    await faults({});
    await transport?.disconnect();
    transport = undefined;
    await audio.close();
  });

  it('every listed code is snake_case and listed once', () => {
    expect(TRANSPORT_ERROR_CODES.length).to.be.greaterThan(10);
    for (const code of TRANSPORT_ERROR_CODES) expect(code).to.match(/^[a-z]+(_[a-z]+)*$/);
    expect(new Set(TRANSPORT_ERROR_CODES).size).to.equal(TRANSPORT_ERROR_CODES.length);
    expect(TRANSPORT_ERROR_CODES).to.not.include('connect_timeout');
  });

  it('the remote client refuses calls before connect with not_connected, and a missing push-to-talk or delegations with unsupported', async () => {
    const client = createRemoteRealtimeClient({ endpoint: '/nowhere' });
    expectCode(await rejectionOf(client.sendText('x')), 'not_connected');
    expectCode(await rejectionOf(client.interrupt()), 'not_connected');
    const plain = new FakeRealtimeTransport() as RealtimeTransport;
    (plain as { startInputTurn?: unknown }).startInputTurn = undefined;
    (plain as { answerDelegation?: unknown }).answerDelegation = undefined;
    const withoutTalk = createRemoteRealtimeClient({
      adapter: 'plain',
      adapters: [{ name: 'plain', transport: 'websocket', load: async () => () => plain, bootstrapSchema: { safeParse: (data) => ({ success: true, data }) } }],
      sessionBootstrap: async () => ({ adapter: 'plain', transport: 'websocket' }),
    });
    await withoutTalk.connect(connectRequest({}), new AbortController().signal);
    expectCode(await rejectionOf(withoutTalk.startInputTurn!()), 'unsupported');
    expectCode(await rejectionOf(withoutTalk.answerDelegation!('del_1', 'hi', 'commentary')), 'unsupported');
  });

  it('the deferred transport refuses calls before connect with not_connected, and a missing push-to-talk or delegations with unsupported', async () => {
    const fake = new FakeRealtimeTransport() as RealtimeTransport;
    (fake as { commitInputTurn?: unknown }).commitInputTurn = undefined;
    (fake as { answerDelegation?: unknown }).answerDelegation = undefined;
    const deferred = new DeferredTransport(() => fake);
    expectCode(await rejectionOf(deferred.updateSession({})), 'not_connected');
    await deferred.connect(connectRequest({}), new AbortController().signal);
    expectCode(await rejectionOf(deferred.commitInputTurn()), 'unsupported');
    expectCode(await rejectionOf(deferred.answerDelegation('del_1', 'hi', 'commentary')), 'unsupported');
  });

  it('websocket: a socket nobody answers fails the connect with connection_failed', async () => {
    const deps = emulatorDeps('openai-websocket', audio);
    const bootstrap = deps.bootstrap.bind(deps);
    // Port 1 on loopback: nothing listens, the socket is refused at once.
    deps.bootstrap = async (extra, signal) => ({ ...((await bootstrap(extra, signal)) as object), url: 'ws://127.0.0.1:1/v1/realtime' });
    transport = createWebSocketAdapter(deps);
    transport.setMuted?.(true);
    expectCode(await rejectionOf(transport.connect(connectRequest({}), new AbortController().signal)), 'connection_failed');
  });

  it('websocket: a socket that never says session.created fails with connection_failed (reason timeout)', async () => {
    await faults({ delayMs: 3000 });
    transport = createWebSocketAdapter(emulatorDeps('openai-websocket', audio), { connectTimeoutMs: 300 });
    transport.setMuted?.(true);
    const error = await rejectionOf(transport.connect(connectRequest({}), new AbortController().signal));
    expectCode(error, 'connection_failed');
    expect(error.reason).to.equal('timeout');
  });

  // One test per adapter: an engine without WebRTC runs the WebSocket one and says why it skips the other.
  const timeoutAdapters: Array<[string, () => RealtimeTransport]> = [
    ['openai-websocket', () => createWebSocketAdapter(emulatorDeps('openai-websocket', audio), { sessionUpdateTimeoutMs: 300 })],
    ['openai-webrtc', () => createUnifiedWebRTCAdapter(emulatorDeps('openai-webrtc', audio), { sessionUpdateTimeoutMs: 300 })],
  ];
  for (const [name, make] of timeoutAdapters) it(`${name} takes sessionUpdateTimeoutMs, and an unacknowledged session fails the connect with session_update_timeout`, async function () {
    await need(this, ...needsOf(name));
    await faults({ stallSessionUpdated: true });
    {
      transport = make();
      transport.setMuted?.(true);
      const error = await rejectionOf(transport.connect(connectRequest({}), new AbortController().signal));
      expectCode(error, 'session_update_timeout');
      // The adapter's own option set the limit, not the 10 s default.
      expect(error.message).to.contain('within 300 ms');
      await transport.disconnect();
      transport = undefined;
    }
  });

  it('sendAudio before connect is not_connected over websocket, and unsupported over webrtc', async () => {
    transport = createWebSocketAdapter(emulatorDeps('openai-websocket', audio));
    expectCode(await rejectionOf(transport.sendAudio(new ArrayBuffer(4))), 'not_connected');
    const webrtc = createUnifiedWebRTCAdapter(emulatorDeps('openai-webrtc', audio));
    expectCode(await rejectionOf(webrtc.sendAudio(new ArrayBuffer(4))), 'unsupported');
  });

  it('openai-live-webrtc: the same codes (unsupported, not_connected, unknown_delegation, connection_lost) and sessionUpdateTimeoutMs', async function () {
    await need(this, 'RTCPeerConnection');
    // The connect that must succeed keeps the default limit: a loaded runner can take over 300 ms to ack.
    const live = (options: { sessionUpdateTimeoutMs?: number } = {}) => createLiveWebRTCAdapter(liveRouteDeps(audio), options) as LiveWebRTCTransport;
    let adapter = live();
    transport = adapter;
    expectCode(await rejectionOf(adapter.sendAudio(new ArrayBuffer(4))), 'unsupported');
    expectCode(await rejectionOf(adapter.answerDelegation('del_x', 'hi', 'commentary')), 'not_connected');
    adapter.setMuted(true);
    const lost = new Promise<any>((resolve) => adapter.on('connection:lost', resolve));
    await adapter.connect(connectRequest({}), new AbortController().signal);
    // Typed text has no way into a client-delegation session; a delegation it never handed over is refused.
    expectCode(await rejectionOf(adapter.sendText('hi')), 'unsupported');
    expectCode(await rejectionOf(adapter.answerDelegation('del_never_created', 'hi', 'commentary')), 'unknown_delegation');
    await fetch(`${emulatorUrl}/_emulator/sessions/${encodeURIComponent(adapter.sessionId!)}/close`, { method: 'POST' });
    expectCode((await lost).error, 'connection_lost');
    await adapter.disconnect();

    // A muted start waits for GPT-Live to acknowledge the mute: held past the adapter's own limit, the
    // connect fails with session_update_timeout naming that limit.
    await faults({ delayMs: 1000 });
    adapter = live({ sessionUpdateTimeoutMs: 300 });
    transport = adapter;
    adapter.setMuted(true);
    const error = await rejectionOf(adapter.connect(connectRequest({}), new AbortController().signal));
    expectCode(error, 'session_update_timeout');
    expect(error.message).to.contain('within 300 ms');
  });

  const lossAdapters: Array<['websocket' | 'webrtc', () => RealtimeTransport]> = [
    ['websocket', () => createWebSocketAdapter(emulatorDeps('openai-websocket', audio))],
    ['webrtc', () => createUnifiedWebRTCAdapter(emulatorDeps('openai-webrtc', audio), { disconnectGraceMs: 100 })],
  ];
  for (const [kind, make] of lossAdapters) it(`a lost connection reports an error with a code (${kind})`, async function () {
    await need(this, ...(kind === 'webrtc' ? (['RTCPeerConnection'] as const) : []));
    {
      transport = make();
      transport.setMuted?.(true);
      const lost = new Promise<any>((resolve) => transport!.on('connection:lost', resolve));
      await transport.connect(connectRequest({}), new AbortController().signal);
      const id = await newestSessionId(kind);
      await fetch(`${emulatorUrl}/_emulator/sessions/${encodeURIComponent(id)}/close`, { method: 'POST' });
      const { error } = await lost;
      expectCode(error, 'connection_lost');
      await transport.disconnect();
      transport = undefined;
    }
  });
});
