// The provider's cap on a session's length: OpenAI ends a session at 60 minutes with an `error`
// `session_expired` and closes the connection (WebSocket code 1001). The emulator does the same after
// `maxSessionSeconds`, settable per emulator, per session and server-wide at run time.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRealtimeEmulator, type RealtimeEmulator } from './index.js';
import { parseFaults } from './faults.js';
import { sessionExpiredMessage } from './session-limit.js';
import { connectRtc, openSocket } from './test-support.node.js';

describe('emulator session cap', () => {
  let emulator: RealtimeEmulator;
  before(async () => {
    emulator = await startRealtimeEmulator({ validate: true, maxSessionSeconds: 1 });
  });
  after(() => emulator.close());

  test("OpenAI's wording: minutes when whole, else seconds", () => {
    assert.equal(sessionExpiredMessage(3600), 'Your session hit the maximum duration of 60 minutes.');
    assert.equal(sessionExpiredMessage(60), 'Your session hit the maximum duration of 1 minute.');
    assert.equal(sessionExpiredMessage(4), 'Your session hit the maximum duration of 4 seconds.');
  });

  test('a WebSocket session gets error session_expired, then a close with code 1001 and the same reason', async () => {
    const started = Date.now();
    const client = await openSocket(emulator);
    const created = await client.stream.next('session.created');
    const id = (created.session as { id: string }).id;
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      client.ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    const error = await client.stream.next('error', 5000);
    assert.deepEqual(error.error, {
      type: 'invalid_request_error',
      code: 'session_expired',
      message: 'Your session hit the maximum duration of 1 second.',
      param: null,
      event_id: null,
    });
    assert.ok(Date.now() - started >= 950, 'not before the cap');
    assert.deepEqual(await closed, { code: 1001, reason: 'Your session hit the maximum duration of 1 second.' });
    const info = emulator.sessions().find((s) => s.id === id)!;
    assert.equal(info.state, 'closed');
    assert.equal(info.closeReason, 'session expired');
    assert.deepEqual(emulator.violations(id), []);
  });

  test('a WebRTC call gets the error on its data channel before the call ends', async () => {
    const secret = emulator.createClientSecret().value;
    const client = await connectRtc(emulator, secret);
    try {
      await client.stream.next('session.created');
      const error = await client.stream.next('error', 5000);
      assert.equal((error.error as { code: string }).code, 'session_expired');
      await client.stream.whenClosed(5000);
      const info = emulator.sessions().find((s) => s.callId === client.callId)!;
      assert.equal(info.closeReason, 'session expired');
    } finally {
      client.close();
    }
  });

  test('the maxSessionSeconds fault overrides the cap, per session and server-wide; 0 turns it off', async () => {
    assert.deepEqual(parseFaults({ maxSessionSeconds: 2 }), { faults: { maxSessionSeconds: 2 } });
    assert.ok('error' in parseFaults({ maxSessionSeconds: -1 }));
    emulator.setFaults('all', { maxSessionSeconds: 0 });
    try {
      const client = await openSocket(emulator);
      const created = await client.stream.next('session.created');
      const id = (created.session as { id: string }).id;
      // Off: the session outlives the emulator's 1 s cap (the reply takes longer than that).
      client.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'still there after a while?' }] } });
      client.send({ type: 'response.create' });
      await client.stream.next('response.done', 15_000);
      assert.equal(emulator.sessions().find((s) => s.id === id)!.state, 'open');
      // Set on this session only, it applies from the session's creation: already past, so now.
      emulator.setFaults(id, { maxSessionSeconds: 1 });
      const error = await client.stream.next('error', 5000);
      assert.equal((error.error as { code: string }).code, 'session_expired');
      await client.stream.whenClosed(5000);
    } finally {
      emulator.setFaults('all', {});
    }
  });
});
