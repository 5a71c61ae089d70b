import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRealtimeEmulator, type RealtimeEmulator } from './index.js';
import { loadWrtc } from './wrtc-loader.js';
import { connectRtc, postJson, silence, toneBurst, type RtcClient } from './test-support.node.js';

const TOOLS = [
  {
    type: 'function',
    name: 'setExpression',
    description: 'Sets the avatar expression.',
    parameters: { type: 'object', properties: { expressionId: { type: 'string' } }, required: ['expressionId'] },
  },
];

/**
 * Feeds samples into the client's microphone in real time, 10 ms frames (a producer, not a wait): each
 * tick sends the frames due by the clock, so a late tick is made up and the stream keeps real time on
 * average. Records each frame's send time: a late tick leaves the receiver without audio for a moment,
 * which it conceals (and later time-compresses), so what it hears can differ from what was sent by up
 * to the sum of those stalls, and a test bounds it by that.
 */
function playIntoMic(client: RtcClient, samples: Int16Array): { done: Promise<void>; sentAt: number[] } {
  const frame = 480;
  const sentAt: number[] = [];
  let offset = 0;
  const startedAt = performance.now();
  const done = new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const due = Math.floor((performance.now() - startedAt) / 10) + 1;
      while (offset / frame < due && offset < samples.length) {
        const chunk = new Int16Array(frame);
        chunk.set(samples.subarray(offset, offset + frame));
        client.mic.push(chunk);
        sentAt.push(performance.now());
        offset += frame;
      }
      if (offset >= samples.length) {
        clearInterval(timer);
        resolve();
      }
    }, 10);
  });
  return { done, sentAt };
}

/** Total time, in seconds, the frames `from`–`to` were late beyond their 10 ms spacing (the receiver's stalls). */
function stallSeconds(sentAt: readonly number[], from: number, to: number): number {
  let stalled = 0;
  for (let i = from + 1; i <= to; i += 1) stalled += Math.max(0, sentAt[i]! - sentAt[i - 1]! - 10);
  return stalled / 1000;
}

describe('emulator over WebRTC (@roamhq/wrtc client)', () => {
  let emulator: RealtimeEmulator;
  const clients: RtcClient[] = [];
  before(async () => {
    emulator = await startRealtimeEmulator({
      validate: true,
      scenario: { msPerChar: 15, rules: [{ match: 'long', say: 'A long answer that keeps going for a while so that it can be interrupted.' }] },
    });
  });
  after(async () => {
    for (const client of clients) client.close();
    await emulator.close();
  });

  async function connect(session: Record<string, unknown>): Promise<{ client: RtcClient; id: string }> {
    const secret = await postJson(`${emulator.baseUrl}/realtime/client_secrets`, { session: { type: 'realtime', ...session } }, emulator.apiKey);
    assert.equal(secret.status, 200);
    const client = await connectRtc(emulator, secret.json.value);
    clients.push(client);
    const created = await client.stream.next('session.created');
    return { client, id: (created.session as { id: string }).id };
  }

  test('offer → answer with an ek_ secret; the data channel opens with session.created from the secret', async () => {
    const { client, id } = await connect({ instructions: 'From the secret.', tools: TOOLS });
    assert.match(client.callId, /^rtc_/);
    const created = client.stream.all('session.created')[0]!;
    assert.equal((created.session as { instructions: string }).instructions, 'From the secret.');
    const info = emulator.sessions().find((s) => s.id === id)!;
    assert.equal(info.transport, 'webrtc');
    assert.equal(info.callId, client.callId);
    assert.equal(emulator.events(client.callId)!.id, id, 'the call id finds the session too');
    client.send({ type: 'session.update', session: { type: 'realtime', instructions: 'Updated.' } });
    const updated = await client.stream.next('session.updated');
    assert.equal((updated.session as { instructions: string }).instructions, 'Updated.');
    assert.deepEqual(emulator.violations(id), []);
  });

  test('a text turn: transcript deltas on the channel, speech on the track, buffer started/stopped', async () => {
    const { client, id } = await connect({ audio: { input: { turn_detection: null } } });
    const start = client.stream.cursor;
    client.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hello' }] } });
    client.send({ type: 'response.create' });
    const loud = client.audioAbove(0.05);
    const started = await client.stream.next('output_audio_buffer.started');
    const level = await loud;
    assert.ok(level > 0.05, `track RMS ${level}`);
    const done = await client.stream.next('response.done');
    assert.equal(started.response_id, (done.response as { id: string }).id);
    const stopped = await client.stream.next('output_audio_buffer.stopped');
    assert.equal(stopped.response_id, started.response_id);
    const types = client.stream.types(start);
    assert.ok(!types.includes('response.output_audio.delta'), 'WebRTC audio goes on the track, not in events');
    assert.ok(types.includes('response.output_audio.done'));
    const transcript = client.stream.all('response.output_audio_transcript.delta', start).map((e) => e.delta).join('');
    assert.equal(transcript, 'You said "hello". This is the emulator speaking.');
    assert.deepEqual(emulator.violations(id), []);
  });

  test('a tool call round-trips over the data channel', async () => {
    const { client, id } = await connect({ tools: TOOLS, audio: { input: { turn_detection: null } } });
    client.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'call setExpression {"expressionId":"Smile"}' }] } });
    client.send({ type: 'response.create' });
    const args = await client.stream.next('response.function_call_arguments.done');
    await client.stream.next('response.done');
    client.send({ type: 'conversation.item.create', item: { type: 'function_call_output', call_id: args.call_id, output: '{"ok":true}' } });
    client.send({ type: 'response.create' });
    const answer = await client.stream.next('response.output_audio_transcript.done');
    assert.match(answer.transcript as string, /setExpression returned \{"ok":true\}/);
    await client.stream.next('response.done');
    assert.deepEqual(emulator.violations(id), []);
  });

  test('output_audio_buffer.clear interrupts: response cancelled, buffer cleared, the track falls silent', async () => {
    const { client, id } = await connect({ audio: { input: { turn_detection: null } } });
    client.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'something long' }] } });
    client.send({ type: 'response.create' });
    await client.stream.next('output_audio_buffer.started');
    await client.audioAbove(0.05);
    client.send({ type: 'response.cancel' });
    client.send({ type: 'output_audio_buffer.clear' });
    const done = await client.stream.next('response.done');
    assert.equal((done.response as { status: string }).status, 'cancelled');
    const cleared = await client.stream.next('output_audio_buffer.cleared');
    assert.equal(cleared.response_id, (done.response as { id: string }).id);
    // Silence frames keep arriving after the clear: the track falls quiet instead of going away.
    await client.audioQuiet(0.01, 20);
    assert.equal(client.stream.all('output_audio_buffer.stopped').length, 0, 'cleared, not stopped');
    assert.deepEqual(emulator.violations(id), []);
  });

  test('microphone speech on the track drives turn detection, transcription and a response', async () => {
    const { client, id } = await connect({
      audio: {
        input: {
          transcription: { model: 'gpt-4o-mini-transcribe' },
          turn_detection: { type: 'server_vad', threshold: 0.5, silence_duration_ms: 800 },
        },
      },
    });
    // The tail is longer than the silence that ends a turn (800 ms), so a stall the receiver conceals
    // as silence would have to last that long to split the tone into two turns.
    const speech = [silence(300, 48000), toneBurst(1000, 48000), silence(1200, 48000)];
    const all = new Int16Array(speech.reduce((n, s) => n + s.length, 0));
    let at = 0;
    for (const part of speech) {
      all.set(part, at);
      at += part.length;
    }
    const playing = playIntoMic(client, all);
    const started = await client.stream.next('input_audio_buffer.speech_started');
    const stopped = await client.stream.next('input_audio_buffer.speech_stopped');
    assert.equal(stopped.item_id, started.item_id);
    await client.stream.next('input_audio_buffer.committed');
    const completed = await client.stream.next('conversation.item.input_audio_transcription.completed');
    const heard = Number(/^\[emulator\] heard (\d+\.\d) s of speech$/.exec(completed.transcript as string)?.[1]);
    await playing.done;
    // The 1 s tone is frames 30–129: heard as 1 s ± 0.2 (VAD edges, rounding), widened by however long
    // the sender stalled while sending it (0 on an idle machine).
    const stalled = stallSeconds(playing.sentAt, 30, 129);
    assert.ok(Math.abs(heard - 1) <= 0.2 + stalled, `heard ${heard} s of a 1 s tone; the sender stalled ${stalled.toFixed(2)} s while sending it`);
    await client.stream.next('response.created');
    await client.stream.next('response.done');
    assert.deepEqual(emulator.violations(id), []);
  });

  test('multipart calls with the server key configure the session inline; hangup ends the call', async () => {
    const wrtc = await loadWrtc();
    const pc = new wrtc.RTCPeerConnection();
    const dc = pc.createDataChannel('oai-events');
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    const form = new FormData();
    form.set('sdp', offer.sdp!);
    form.set('session', JSON.stringify({ type: 'realtime', instructions: 'Inline.' }));
    const response = await fetch(emulator.callsUrl, { method: 'POST', headers: { Authorization: `Bearer ${emulator.apiKey}` }, body: form });
    assert.equal(response.status, 201);
    assert.equal(response.headers.get('content-type'), 'application/sdp');
    const location = response.headers.get('location')!;
    assert.match(location, /^\/v1\/realtime\/calls\/rtc_/);
    await pc.setRemoteDescription({ type: 'answer', sdp: await response.text() });
    const first = await new Promise<{ type: string; session: { instructions: string } }>((resolve) => {
      dc.onmessage = (message) => resolve(JSON.parse(String(message.data)));
    });
    assert.equal(first.type, 'session.created');
    assert.equal(first.session.instructions, 'Inline.');
    const closed = new Promise<void>((resolve) => (dc.onclose = () => resolve()));
    const hangup = await fetch(`${emulator.url}${location}/hangup`, { method: 'POST', headers: { Authorization: `Bearer ${emulator.apiKey}` } });
    assert.equal(hangup.status, 200);
    await closed;
    const callId = location.split('/').pop()!;
    assert.equal(emulator.events(callId)!.state, 'closed');
    pc.close();
  });
});
