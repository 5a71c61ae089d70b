import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { startRealtimeEmulator, type RealtimeEmulator } from './index.js';
import { connectRtc, openSocket, postJson, type SocketClient } from './test-support.node.js';

const USER_TURN = { type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hello' }] } };

describe('emulator faults', () => {
  let emulator: RealtimeEmulator;
  before(async () => {
    emulator = await startRealtimeEmulator({ validate: true, scenario: { msPerChar: 8 } });
  });
  after(() => emulator.close());

  async function session(): Promise<{ client: SocketClient; id: string }> {
    const client = await openSocket(emulator);
    const created = await client.stream.next('session.created');
    return { client, id: (created.session as { id: string }).id };
  }

  async function setFaults(faults: Record<string, unknown>, sessionId?: string): Promise<void> {
    const { status, json } = await postJson(`${emulator.url}/_emulator/faults`, { ...(sessionId ? { sessionId } : {}), faults });
    assert.equal(status, 200, JSON.stringify(json));
  }

  test('dropAfterDeltas cuts a WebSocket mid-response, like a lost connection', async () => {
    const { client, id } = await session();
    await setFaults({ dropAfterDeltas: 2 }, id);
    const closed = new Promise<number>((resolve) => client.ws.once('close', (code) => resolve(code)));
    client.send(USER_TURN);
    client.send({ type: 'response.create' });
    assert.equal(await closed, 1006);
    assert.equal(client.stream.all('response.output_audio_transcript.delta').length, 2);
    assert.equal(client.stream.all('response.done').length, 0);
    const log = emulator.events(id)!;
    assert.equal(log.state, 'closed');
    assert.match(log.closeReason!, /fault/);
    assert.deepEqual(log.violations, []);
  });

  test('dropAfterDeltas over WebRTC closes the data channel mid-response', async () => {
    const secret = emulator.createClientSecret({ audio: { input: { turn_detection: null } } });
    const client = await connectRtc(emulator, secret.value);
    try {
      await client.stream.next('session.created');
      emulator.setFaults(client.callId, { dropAfterDeltas: 1 });
      client.send(USER_TURN);
      client.send({ type: 'response.create' });
      await client.stream.whenClosed();
      assert.equal(client.stream.all('response.output_audio_transcript.delta').length, 1);
      assert.equal(emulator.events(client.callId)!.state, 'closed');
      assert.deepEqual(emulator.violations(client.callId), []);
    } finally {
      client.close();
    }
  });

  test('dropAfterEvents closes after exactly N more server events', async () => {
    const { client, id } = await session();
    await setFaults({ dropAfterEvents: 3 }, id);
    const before = client.stream.events.length;
    client.send(USER_TURN);
    client.send({ type: 'response.create' });
    await client.stream.whenClosed();
    assert.deepEqual(client.stream.types(before), ['conversation.item.added', 'conversation.item.done', 'response.created']);
  });

  test('malformedJson, unknownEvents and missingFields inject garbage the schema log does not blame on the emulator', async () => {
    const { client, id } = await session();
    await setFaults({ malformedJson: 1, unknownEvents: 1, missingFields: 1, injectTypes: ['response.output_audio_transcript.delta'] }, id);
    client.send(USER_TURN);
    client.send({ type: 'response.create' });
    await client.stream.next('response.done');
    assert.equal(client.stream.unparseable.length, 1);
    assert.equal(client.stream.all('emulator.unknown_event').length, 1);
    const deltas = client.stream.all('response.output_audio_transcript.delta');
    assert.deepEqual(Object.keys(deltas[0]!).sort(), ['event_id', 'type'], 'first delta stripped');
    assert.ok(deltas.slice(1).every((d) => typeof d.delta === 'string'), 'later deltas intact');
    const log = emulator.events(id)!;
    assert.ok(log.events.some((e) => e.injected && e.type === '(malformed)'));
    assert.deepEqual(log.violations, []);
    const faults = (await (await fetch(`${emulator.url}/_emulator/sessions/${id}/events`)).json()) as { faults: Record<string, number> };
    assert.equal(faults.faults.malformedJson, 0, 'injection counters are consumed');
    client.close();
  });

  test('inject sends raw frames as they are, recorded as injected, and the session goes on', async () => {
    const { client, id } = await session();
    const frames = ['{"type":"response.output_text.delta","delta":', JSON.stringify({ type: 'made.up', event_id: 'x' }), '[]'];
    const { status, json } = await postJson(`${emulator.url}/_emulator/sessions/${id}/inject`, { frames });
    assert.equal(status, 200);
    assert.deepEqual(json, { sent: 3 });
    client.send(USER_TURN);
    client.send({ type: 'response.create' });
    await client.stream.next('response.done');
    assert.equal(client.stream.unparseable.length, 1);
    assert.equal(client.stream.all('made.up').length, 1);
    const log = emulator.events(id)!;
    assert.equal(log.events.filter((e) => e.injected).length, 3);
    assert.deepEqual(log.violations, []);
    const refused = await postJson(`${emulator.url}/_emulator/sessions/${id}/inject`, { frames: [1] });
    assert.equal(refused.status, 400);
    client.close();
  });

  test('delayMs holds every event (in order)', async () => {
    const { client, id } = await session();
    await setFaults({ delayMs: 150 }, id);
    const sentAt = performance.now();
    client.send({ type: 'session.update', session: { type: 'realtime', instructions: 'slow' } });
    client.send(USER_TURN);
    await client.stream.next('session.updated');
    assert.ok(performance.now() - sentAt >= 140, `arrived after ${performance.now() - sentAt} ms`);
    const added = await client.stream.next('conversation.item.added');
    assert.ok(client.stream.events.indexOf(added) > client.stream.events.findIndex((e) => e.type === 'session.updated'));
    await setFaults({}, id);
    client.close();
  });

  test('stallSessionUpdated: true never acknowledges; a number delays the ack', async () => {
    const { client, id } = await session();
    await setFaults({ stallSessionUpdated: true }, id);
    client.send({ type: 'session.update', session: { type: 'realtime', instructions: 'ignored ack' } });
    client.send(USER_TURN);
    await client.stream.next('conversation.item.done');
    assert.equal(client.stream.all('session.updated').length, 0);
    assert.equal(emulator.events(id)!.session.instructions, 'ignored ack', 'the update itself applied');

    await setFaults({ stallSessionUpdated: 200 }, id);
    client.send({ type: 'session.update', session: { type: 'realtime', instructions: 'late ack' } });
    client.send(USER_TURN);
    await client.stream.next('conversation.item.done');
    assert.equal(client.stream.all('session.updated').length, 0, 'not yet');
    const updated = await client.stream.next('session.updated');
    assert.equal((updated.session as { instructions: string }).instructions, 'late ack');
    client.close();
    assert.deepEqual(emulator.violations(id), []);
  });

  test('refuseSdp answers calls with the given status and an OpenAI-style error', async () => {
    const secret = emulator.createClientSecret();
    for (const status of [400, 503]) {
      await setFaults({ refuseSdp: status });
      const response = await fetch(emulator.callsUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/sdp', Authorization: `Bearer ${secret.value}` },
        body: 'v=0\r\n',
      });
      assert.equal(response.status, status);
      const body = (await response.json()) as { error: { message: string; type: string } };
      assert.match(body.error.message, /refuseSdp/);
    }
    await setFaults({});
  });

  test('down refuses secrets, calls and sockets with 503 until turned off', async () => {
    await setFaults({ down: true });
    try {
      const secret = await postJson(`${emulator.baseUrl}/realtime/client_secrets`, {}, emulator.apiKey);
      assert.equal(secret.status, 503);
      const call = await fetch(emulator.callsUrl, { method: 'POST', headers: { Authorization: `Bearer ${emulator.apiKey}`, 'Content-Type': 'application/sdp' }, body: 'v=0\r\n' });
      assert.equal(call.status, 503);
      const ws = new WebSocket(emulator.websocketUrl, ['realtime', `openai-insecure-api-key.${emulator.apiKey}`]);
      const status = await new Promise<number>((resolve) => ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
      assert.equal(status, 503);
      const control = await fetch(`${emulator.url}/_emulator/sessions`);
      assert.equal(control.status, 200, 'control endpoints stay up');
    } finally {
      await setFaults({});
    }
    const again = await postJson(`${emulator.baseUrl}/realtime/client_secrets`, {}, emulator.apiKey);
    assert.equal(again.status, 200);
  });

  test('secretTtlSeconds expires secrets early, including ones already issued', async () => {
    const secret = await postJson(`${emulator.baseUrl}/realtime/client_secrets`, {}, emulator.apiKey);
    const value = secret.json.value as string;
    await setFaults({ secretTtlSeconds: 0 });
    try {
      const call = await fetch(emulator.callsUrl, { method: 'POST', headers: { Authorization: `Bearer ${value}`, 'Content-Type': 'application/sdp' }, body: 'v=0\r\n' });
      assert.equal(call.status, 401);
      assert.equal(((await call.json()) as { error: { code: string } }).error.code, 'expired_client_secret');
      const ws = new WebSocket(emulator.websocketUrl, ['realtime', `openai-insecure-api-key.${value}`]);
      const status = await new Promise<number>((resolve) => ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
      assert.equal(status, 401);
      const fresh = await postJson(`${emulator.baseUrl}/realtime/client_secrets`, {}, emulator.apiKey);
      assert.ok(fresh.json.expires_at <= Math.ceil(Date.now() / 1000), 'new secrets get the short TTL');
    } finally {
      await setFaults({});
    }
    const ok = await openSocket(emulator, value);
    await ok.stream.next('session.created');
    ok.close();
  });

  test('faults set for all apply to open sessions and become defaults for new ones', async () => {
    const { client: open } = await session();
    emulator.setFaults('all', { unknownEvents: 1 });
    try {
      open.send(USER_TURN);
      await open.stream.next('emulator.unknown_event');
      const { client: fresh } = await session();
      // Defaults count from the session's first event: the injection lands before session.created.
      assert.deepEqual(fresh.stream.types().slice(0, 2), ['emulator.unknown_event', 'session.created']);
      fresh.close();
    } finally {
      emulator.setFaults('all', {});
    }
    open.close();
    assert.throws(() => emulator.setFaults('sess_missing', {}), /No emulator session/);
    assert.throws(() => emulator.setFaults('all', { delayMs: -1 }), /Invalid emulator faults/);
  });
});
