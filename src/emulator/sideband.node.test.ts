// The server-side control connection ("sideband"): a WebSocket on /v1/realtime?call_id=rtc_… opened
// with the server key, attached to a live WebRTC call.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRealtimeEmulator, type RealtimeEmulator } from './index.js';
import {
  connectRtc,
  createServerCall,
  joinSideband,
  openSocket,
  postJson,
  upgradeRefusal,
  type RtcClient,
  type ServerCreatedCall,
  type SidebandClient,
  type WireEvent,
} from './test-support.node.js';

const TEXT_ONLY = { output_modalities: ['text'], audio: { input: { turn_detection: null } } };

describe('emulator: server-side control connection (call_id)', () => {
  let emulator: RealtimeEmulator;
  const cleanup: Array<{ close(): void }> = [];
  before(async () => {
    emulator = await startRealtimeEmulator({ validate: true, scenario: { msPerChar: 5 } });
  });
  after(async () => {
    for (const item of cleanup) item.close();
    await emulator.close();
  });

  async function liveCall(session: Record<string, unknown> = TEXT_ONLY): Promise<{ client: RtcClient; id: string }> {
    const secret = await postJson(`${emulator.baseUrl}/realtime/client_secrets`, { session: { type: 'realtime', ...session } }, emulator.apiKey);
    const client = await connectRtc(emulator, secret.json.value);
    cleanup.push(client);
    const created = await client.stream.next('session.created');
    return { client, id: (created.session as { id: string }).id };
  }

  async function sideband(callId: string, key?: string): Promise<SidebandClient> {
    const joined = await joinSideband(emulator, callId, key);
    cleanup.push(joined);
    return joined;
  }

  function sessionOf(event: WireEvent): Record<string, any> {
    return event.session as Record<string, any>;
  }

  test('it sees the call’s server events: what the client causes reaches both connections', async () => {
    const { client, id } = await liveCall();
    const control = await sideband(client.callId);
    assert.equal(emulator.sessions().find((s) => s.id === id)!.sidebands, 1);
    client.send({ type: 'session.update', session: { type: 'realtime', instructions: 'From the page.' } });
    assert.equal(sessionOf(await control.stream.next('session.updated')).instructions, 'From the page.');
    assert.equal(sessionOf(await client.stream.next('session.updated')).instructions, 'From the page.');

    client.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hello' }] } });
    client.send({ type: 'response.create' });
    await client.stream.next('response.done');
    await control.stream.next('response.done');
    const lifecycle = ['conversation.item.added', 'conversation.item.done', 'response.created', 'response.output_text.delta', 'response.output_text.done', 'response.done'];
    for (const type of lifecycle) assert.ok(control.stream.all(type).length > 0, `the control connection got ${type}`);
    const clientIds = client.stream.events.map((e) => e.event_id);
    const controlIds = control.stream.events.map((e) => e.event_id);
    assert.deepEqual(controlIds, clientIds.slice(clientIds.length - controlIds.length), 'the same events, in the same order');
    assert.deepEqual(emulator.violations(id), []);
  });

  test('its session.update applies to the call; session.updated goes to both; it is logged as via sideband', async () => {
    const { client, id } = await liveCall({ ...TEXT_ONLY, instructions: 'Minted.', audio: { input: { turn_detection: null }, output: { voice: 'marin' } } });
    const control = await sideband(client.callId);
    control.send({ type: 'session.update', event_id: 'evt_server_1', session: { type: 'realtime', instructions: 'Server says.', audio: { output: { voice: 'cedar' } } } });
    const forServer = sessionOf(await control.stream.next('session.updated'));
    const forClient = sessionOf(await client.stream.next('session.updated'));
    assert.equal(forServer.instructions, 'Server says.');
    assert.deepEqual(forClient, forServer);
    const live = emulator.events(client.callId)!;
    assert.equal(live.session.instructions, 'Server says.');
    assert.equal((live.session.audio as any).output.voice, 'cedar');
    const record = live.events.find((e) => e.direction === 'client' && e.type === 'session.update');
    assert.equal(record?.via, 'sideband');
    assert.equal(live.eventsReceived, 1);

    // It drives the conversation too: a response it asks for streams to both.
    control.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'from the server' }] } });
    control.send({ type: 'response.create' });
    const done = await client.stream.next('response.done');
    assert.equal((await control.stream.next('response.done')).event_id, done.event_id);
    assert.deepEqual(emulator.violations(id), []);
  });

  test('an error answers only the connection whose event caused it', async () => {
    const { client, id } = await liveCall();
    const control = await sideband(client.callId);
    control.send({ type: 'session.update', event_id: 'evt_bad_server', session: { type: 'realtime', bogus: true } });
    const serverError = await control.stream.next('error');
    assert.equal((serverError.error as any).event_id, 'evt_bad_server');
    client.send({ type: 'session.update', event_id: 'evt_bad_page', session: { type: 'realtime', voice: 'x' } });
    const pageError = await client.stream.next('error');
    assert.equal((pageError.error as any).event_id, 'evt_bad_page');
    // A later event both get proves the earlier errors would have arrived by now.
    client.send({ type: 'session.update', session: { type: 'realtime', instructions: 'fence' } });
    await control.stream.next('session.updated');
    await client.stream.next('session.updated');
    assert.deepEqual(control.stream.all('error').map((e) => (e.error as any).event_id), ['evt_bad_server']);
    assert.deepEqual(client.stream.all('error').map((e) => (e.error as any).event_id), ['evt_bad_page']);
    assert.deepEqual(emulator.violations(id).filter((v) => v.direction === 'server'), [], 'the emulator sent only valid events');
  });

  test('it may join a call the server created before the client connects; the client starts from its changes', async () => {
    const call: ServerCreatedCall = await createServerCall(emulator, { ...TEXT_ONLY, instructions: 'Minted.' });
    cleanup.push(call);
    const control = await sideband(call.callId);
    control.send({ type: 'session.update', session: { type: 'realtime', instructions: 'Before the page.' } });
    assert.equal(sessionOf(await control.stream.next('session.updated')).instructions, 'Before the page.');
    await call.connect();
    const created = await call.stream.next('session.created');
    assert.equal(sessionOf(created).instructions, 'Before the page.');
    assert.equal(sessionOf(await control.stream.next('session.created')).id, sessionOf(created).id, 'session.created reaches it too');
    assert.deepEqual(emulator.violations(call.callId), []);
  });

  test('closing it leaves the call running; the call ending closes it (1000)', async () => {
    const { client } = await liveCall();
    const first = await sideband(client.callId);
    const second = await sideband(client.callId);
    first.close();
    await first.closed;
    client.send({ type: 'session.update', session: { type: 'realtime', instructions: 'still here' } });
    await client.stream.next('session.updated');
    await second.stream.next('session.updated');
    assert.equal(emulator.events(client.callId)!.state, 'open');
    assert.equal(emulator.events(client.callId)!.sidebands, 1);

    const hangup = await fetch(`${emulator.baseUrl}/realtime/calls/${client.callId}/hangup`, { method: 'POST', headers: { Authorization: `Bearer ${emulator.apiKey}` } });
    assert.equal(hangup.status, 200);
    assert.deepEqual(await second.closed, { code: 1000, reason: 'call ended' });
    await client.stream.whenClosed();
    assert.equal(emulator.events(client.callId)!.closeReason, 'hangup');
    assert.equal(emulator.events(client.callId)!.sidebands, 0);
  });

  test('refusals: OpenAI-shaped errors, and no session is touched', async () => {
    const { client } = await liveCall();
    const url = (callId: string) => `${emulator.websocketUrl}?call_id=${encodeURIComponent(callId)}`;
    const secret = emulator.createClientSecret({ type: 'realtime' }).value;
    const cases: Array<{ name: string; callId: string; headers: Record<string, string>; status: number; code: string }> = [
      { name: 'no key', callId: client.callId, headers: {}, status: 401, code: 'missing_api_key' },
      { name: 'a wrong server key', callId: client.callId, headers: { Authorization: 'Bearer sk-wrong-key-1234' }, status: 401, code: 'invalid_api_key' },
      { name: 'an ek_ client secret', callId: client.callId, headers: { Authorization: `Bearer ${secret}` }, status: 404, code: 'call_id_not_found' },
      { name: 'an unknown call', callId: 'rtc_unknown', headers: { Authorization: `Bearer ${emulator.apiKey}` }, status: 404, code: 'call_id_not_found' },
      { name: 'a session id instead of a call id', callId: emulator.events(client.callId)!.id, headers: { Authorization: `Bearer ${emulator.apiKey}` }, status: 404, code: 'call_id_not_found' },
    ];
    for (const c of cases) {
      const refused = await upgradeRefusal(url(c.callId), c.headers);
      assert.equal(refused.status, c.status, c.name);
      assert.equal(refused.body.error.code, c.code, c.name);
      assert.equal(typeof refused.body.error.message, 'string', c.name);
      assert.equal(refused.body.error.type, 'invalid_request_error', c.name);
      assert.ok(!JSON.stringify(refused.body).includes(secret), `${c.name}: the secret is not echoed`);
    }
    assert.equal(emulator.events(client.callId)!.sidebands, 0);
    assert.equal(emulator.events(client.callId)!.state, 'open');

    // A WebSocket session has no call id to join.
    const socket = await openSocket(emulator);
    cleanup.push(socket);
    const wsSession = sessionOf(await socket.stream.next('session.created')).id as string;
    assert.equal((await upgradeRefusal(url(wsSession), { Authorization: `Bearer ${emulator.apiKey}` })).status, 404);

    // An ended call cannot be joined.
    client.close();
    await fetch(`${emulator.baseUrl}/realtime/calls/${client.callId}/hangup`, { method: 'POST', headers: { Authorization: `Bearer ${emulator.apiKey}` } });
    assert.equal(emulator.events(client.callId)!.state, 'closed');
    const ended = await upgradeRefusal(url(client.callId), { Authorization: `Bearer ${emulator.apiKey}` });
    assert.equal(ended.status, 404);
    assert.equal(ended.body.error.code, 'call_id_not_found');
  });
});
