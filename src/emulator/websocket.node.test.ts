import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { OpenAIRealtimeWebSocket } from '@openai/agents-realtime';
import { startRealtimeEmulator, type RealtimeEmulator } from './index.js';
import { openSocket, rmsOf, silence, toBase64, toneBurst, type SocketClient, type WireEvent } from './test-support.node.js';

const TOOLS = [
  {
    type: 'function',
    name: 'setExpression',
    description: 'Sets the avatar expression.',
    parameters: { type: 'object', properties: { expressionId: { type: 'string' } }, required: ['expressionId'] },
  },
];

/** The ordered event types of one spoken response, as OpenAI sends them over WebSocket. */
const AUDIO_RESPONSE_ORDER = [
  'response.created',
  'response.output_item.added',
  'conversation.item.added',
  'response.content_part.added',
  'response.output_audio_transcript.delta',
  'response.output_audio.delta',
  'response.output_audio.done',
  'response.output_audio_transcript.done',
  'response.content_part.done',
  'response.output_item.done',
  'conversation.item.done',
  'response.done',
];

function decodePcm(base64: string): Int16Array {
  const bytes = Buffer.from(base64, 'base64');
  return new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2);
}

describe('emulator over WebSocket', () => {
  let emulator: RealtimeEmulator;
  before(async () => {
    emulator = await startRealtimeEmulator({
      validate: true,
      scenario: {
        msPerChar: 12,
        rules: [{ match: 'say something long', say: 'This sentence is long enough to be interrupted before it is over, surely.' }],
      },
    });
  });
  after(() => emulator.close());

  async function session(): Promise<{ client: SocketClient; id: string }> {
    const client = await openSocket(emulator);
    const created = await client.stream.next('session.created');
    return { client, id: (created.session as { id: string }).id };
  }

  function assertNoViolations(id: string): void {
    assert.deepEqual(emulator.violations(id), [], 'schema violations');
  }

  test('session.created, then session.update answered with the full session', async () => {
    const { client, id } = await session();
    client.send({ type: 'session.update', session: { type: 'realtime', instructions: 'Be brief.', tools: TOOLS, audio: { input: { turn_detection: null } } } });
    const updated = await client.stream.next('session.updated');
    const s = updated.session as Record<string, any>;
    assert.equal(s.instructions, 'Be brief.');
    assert.equal(s.tools[0].name, 'setExpression');
    assert.equal(s.audio.input.turn_detection, null);
    assert.equal(s.audio.output.voice, 'alloy', 'untouched fields keep their values');
    assert.equal(s.object, 'realtime.session');
    assert.equal(emulator.events(id)!.session.instructions, 'Be brief.');
    assertNoViolations(id);
    client.send({ type: 'session.update', session: { type: 'realtime', bogus: 1 } });
    const error = await client.stream.next('error');
    assert.equal((error.error as { code: string }).code, 'unknown_parameter');
    client.close();
    // The client broke the contract (the types name no `bogus`), and conformance says so; the
    // emulator's own answer conforms.
    const violations = emulator.violations(id);
    assert.deepEqual(violations.map((v) => [v.direction, v.type]), [['client', 'session.update']]);
    assert.match(violations[0]!.errors.join('\n'), /openai [\d.]+ types.*additional properties.*bogus/);
  });

  test('a text turn streams transcript deltas and PCM16 audio, then response.done with usage', async () => {
    const { client, id } = await session();
    client.send({ type: 'conversation.item.create', event_id: 'evt_user_1', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hello' }] } });
    const added = await client.stream.next('conversation.item.added');
    assert.equal((added.item as { role: string }).role, 'user');
    await client.stream.next('conversation.item.done');
    const start = client.stream.cursor;
    client.send({ type: 'response.create' });
    const done = await client.stream.next('response.done');
    const response = done.response as Record<string, any>;
    assert.equal(response.status, 'completed');
    assert.ok(response.usage.input_tokens > 0 && response.usage.output_tokens > 0);
    assert.equal(response.usage.total_tokens, response.usage.input_tokens + response.usage.output_tokens);
    const transcript = response.output[0].content[0].transcript as string;
    assert.equal(transcript, 'You said "hello". This is the emulator speaking.');

    const turn = client.stream.events.slice(start);
    const order = [...new Set(turn.map((e) => e.type))];
    assert.deepEqual(order, AUDIO_RESPONSE_ORDER);
    const deltas = turn.filter((e) => e.type === 'response.output_audio_transcript.delta').map((e) => e.delta).join('');
    assert.equal(deltas, transcript);
    const audio = turn.filter((e) => e.type === 'response.output_audio.delta').map((e) => decodePcm(e.delta as string));
    const samples = audio.reduce((n, chunk) => n + chunk.length, 0);
    const expectedMs = transcript.length * 12;
    assert.ok(Math.abs((samples / 24000) * 1000 - expectedMs) < 5, `audio lasts ${(samples / 24) | 0} ms`);
    const loudest = Math.max(...audio.map(rmsOf));
    assert.ok(loudest > 0.1, `audio RMS ${loudest}`);
    const ids = new Set(client.stream.events.map((e) => e.event_id));
    assert.equal(ids.size, client.stream.events.length, 'event ids are unique');
    client.close();
    assertNoViolations(id);
  });

  test('text-only output uses response.output_text.* and sends no audio', async () => {
    const { client, id } = await session();
    client.send({ type: 'session.update', session: { type: 'realtime', output_modalities: ['text'] } });
    await client.stream.next('session.updated');
    client.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'text please' }] } });
    const start = client.stream.cursor;
    client.send({ type: 'response.create' });
    const done = await client.stream.next('response.done');
    const types = client.stream.types(start);
    assert.ok(types.includes('response.output_text.delta'));
    assert.ok(types.includes('response.output_text.done'));
    assert.ok(!types.some((t) => t.startsWith('response.output_audio')));
    assert.equal((done.response as any).output[0].content[0].type, 'output_text');
    client.close();
    assertNoViolations(id);
  });

  test('a tool call round-trips: call, function_call_output, answer mentioning the result', async () => {
    const { client, id } = await session();
    client.send({ type: 'session.update', session: { type: 'realtime', tools: TOOLS } });
    await client.stream.next('session.updated');
    client.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'call setExpression {"expressionId":"Smile"}' }] } });
    client.send({ type: 'response.create' });
    const argsDone = await client.stream.next('response.function_call_arguments.done');
    assert.equal(argsDone.name, 'setExpression');
    assert.deepEqual(JSON.parse(argsDone.arguments as string), { expressionId: 'Smile' });
    const itemDone = await client.stream.next((e) => e.type === 'response.output_item.done');
    const call = itemDone.item as Record<string, string>;
    assert.equal(call.type, 'function_call');
    assert.equal(call.status, 'completed');
    assert.equal(call.call_id, argsDone.call_id);
    const firstDone = await client.stream.next('response.done');
    assert.ok((firstDone.response as any).usage.output_tokens > 0);
    const deltas = client.stream.all('response.function_call_arguments.delta').map((e) => e.delta).join('');
    assert.equal(deltas, argsDone.arguments);

    client.send({ type: 'conversation.item.create', item: { type: 'function_call_output', call_id: call.call_id, output: '{"ok":true}' } });
    await client.stream.next('conversation.item.added');
    client.send({ type: 'response.create' });
    const answer = await client.stream.next('response.output_audio_transcript.done');
    assert.match(answer.transcript as string, /setExpression returned \{"ok":true\}/);
    await client.stream.next('response.done');
    const items = emulator.events(id)!.items.map((item) => item.type);
    assert.deepEqual(items, ['message', 'function_call', 'function_call_output', 'message']);
    client.close();
    assertNoViolations(id);
  });

  test('an unknown tool is not called; a function_call_output for an unknown call is an error', async () => {
    const { client, id } = await session();
    client.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'call launchRocket {}' }] } });
    client.send({ type: 'response.create' });
    const done = await client.stream.next('response.done');
    assert.equal((done.response as any).output[0].type, 'message');
    client.send({ type: 'conversation.item.create', item: { type: 'function_call_output', call_id: 'call_missing', output: '{}' } });
    const error = await client.stream.next('error');
    assert.equal((error.error as { param: string }).param, 'item.call_id');
    client.close();
    assertNoViolations(id);
  });

  test('response.cancel interrupts: response.done is cancelled, the item incomplete; truncate applies', async () => {
    const { client, id } = await session();
    client.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'say something long' }] } });
    client.send({ type: 'response.create' });
    const firstDelta = await client.stream.next('response.output_audio_transcript.delta');
    client.send({ type: 'response.cancel' });
    const done = await client.stream.next('response.done');
    const response = done.response as Record<string, any>;
    assert.equal(response.status, 'cancelled');
    assert.equal(response.status_details.reason, 'client_cancelled');
    assert.equal(response.output[0].status, 'incomplete');
    assert.ok(response.output[0].content[0].transcript.length < 'This sentence is long enough to be interrupted before it is over, surely.'.length);

    client.send({ type: 'conversation.item.truncate', item_id: firstDelta.item_id, content_index: 0, audio_end_ms: 50 });
    const truncated = await client.stream.next('conversation.item.truncated');
    assert.equal(truncated.audio_end_ms, 50);
    client.send({ type: 'conversation.item.truncate', item_id: firstDelta.item_id, content_index: 0, audio_end_ms: 60_000 });
    const tooLong = await client.stream.next('error');
    assert.equal((tooLong.error as { param: string }).param, 'audio_end_ms');

    client.send({ type: 'response.cancel' });
    const notActive = await client.stream.next('error');
    assert.equal((notActive.error as { code: string }).code, 'response_cancel_not_active');
    client.close();
    assertNoViolations(id);
  });

  test('a second response.create while one runs is refused, naming the client event', async () => {
    const { client, id } = await session();
    client.send({ type: 'response.create' });
    await client.stream.next('response.created');
    client.send({ type: 'response.create', event_id: 'evt_again' });
    const error = await client.stream.next('error');
    assert.equal((error.error as { code: string }).code, 'conversation_already_has_active_response');
    assert.equal((error.error as { event_id: string }).event_id, 'evt_again');
    await client.stream.next('response.done');
    client.close();
    assertNoViolations(id);
  });

  test('malformed client JSON and unknown event types get error events, and the session goes on', async () => {
    const { client, id } = await session();
    client.ws.send('{"type": "response.create",');
    const parseError = await client.stream.next('error');
    assert.equal((parseError.error as { code: string }).code, 'invalid_json');
    client.send({ type: 'session.teleport', event_id: 'evt_tp' });
    const unknown = await client.stream.next('error');
    assert.equal((unknown.error as { param: string }).param, 'type');
    assert.equal((unknown.error as { event_id: string }).event_id, 'evt_tp');
    client.send({ type: 'conversation.item.create' });
    const missing = await client.stream.next('error');
    assert.equal((missing.error as { code: string }).code, 'missing_required_parameter');
    client.ws.send('[1,2,3]');
    await client.stream.next('error');
    client.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'still there?' }] } });
    await client.stream.next('conversation.item.done');
    client.close();
    // What the client sent wrong is on record; everything the emulator sent is valid.
    const violations = emulator.violations(id);
    assert.ok(violations.every((v) => v.direction === 'client'));
    assert.deepEqual(
      violations.map((v) => v.type),
      ['(unparseable)', 'session.teleport', 'conversation.item.create', '(no type)'],
    );
  });

  test('a PCM16 speech burst is detected: speech_started/stopped, committed, transcription, response', async () => {
    const { client, id } = await session();
    client.send({
      type: 'session.update',
      session: {
        type: 'realtime',
        audio: {
          input: {
            transcription: { model: 'gpt-4o-mini-transcribe' },
            turn_detection: { type: 'server_vad', threshold: 0.5, silence_duration_ms: 300, prefix_padding_ms: 100 },
          },
        },
      },
    });
    await client.stream.next('session.updated');
    // 200 ms silence, 1.2 s of "speech", 500 ms silence, sent as 100 ms appends.
    const pcm = [silence(200, 24000), toneBurst(1200, 24000), silence(500, 24000)];
    for (const part of pcm) {
      for (let at = 0; at < part.length; at += 2400) client.send({ type: 'input_audio_buffer.append', audio: toBase64(part.subarray(at, at + 2400)) });
    }
    const started = await client.stream.next('input_audio_buffer.speech_started');
    assert.ok(Math.abs((started.audio_start_ms as number) - 100) <= 20, `audio_start_ms ${started.audio_start_ms}`);
    const stopped = await client.stream.next('input_audio_buffer.speech_stopped');
    assert.ok(Math.abs((stopped.audio_end_ms as number) - 1400) <= 20, `audio_end_ms ${stopped.audio_end_ms}`);
    assert.equal(stopped.item_id, started.item_id);
    const committed = await client.stream.next('input_audio_buffer.committed');
    assert.equal(committed.item_id, started.item_id);
    const delta = await client.stream.next('conversation.item.input_audio_transcription.delta');
    assert.equal(delta.item_id, started.item_id);
    const completed = await client.stream.next('conversation.item.input_audio_transcription.completed');
    assert.match(completed.transcript as string, /^\[emulator\] heard 1\.2 s of speech$/);
    const answer = await client.stream.next('response.output_audio_transcript.done');
    assert.match(answer.transcript as string, /I heard 1\.2 seconds of speech/);
    await client.stream.next('response.done');
    client.send({ type: 'conversation.item.retrieve', item_id: started.item_id });
    const retrieved = await client.stream.next('conversation.item.retrieved');
    assert.equal((retrieved.item as any).content[0].transcript, completed.transcript);
    client.close();
    assertNoViolations(id);
  });

  test('push-to-talk: with turn_detection null, commit creates the item; too little audio is an error; clear clears', async () => {
    const { client, id } = await session();
    client.send({ type: 'session.update', session: { type: 'realtime', audio: { input: { turn_detection: null } } } });
    await client.stream.next('session.updated');
    client.send({ type: 'input_audio_buffer.append', audio: toBase64(toneBurst(50, 24000)) });
    client.send({ type: 'input_audio_buffer.commit', event_id: 'evt_commit_short' });
    const tooShort = await client.stream.next('error');
    assert.equal((tooShort.error as { code: string }).code, 'input_audio_buffer_commit_empty');
    client.send({ type: 'input_audio_buffer.clear' });
    await client.stream.next('input_audio_buffer.cleared');
    client.send({ type: 'input_audio_buffer.append', audio: toBase64(toneBurst(600, 24000)) });
    client.send({ type: 'input_audio_buffer.commit' });
    const committed = await client.stream.next('input_audio_buffer.committed');
    await client.stream.next('conversation.item.done');
    assert.equal(client.stream.all('input_audio_buffer.speech_started').length, 0);
    assert.equal(client.stream.all('response.created').length, 0, 'no automatic response without turn detection');
    client.send({ type: 'response.create' });
    const answer = await client.stream.next('response.output_audio_transcript.done');
    assert.match(answer.transcript as string, /I heard 0\.6 seconds/);
    assert.ok(emulator.events(id)!.items.some((item) => item.id === committed.item_id));
    client.close();
    assertNoViolations(id);
  });

  test('conversation items: replayed history with ids, root placement, retrieve and delete', async () => {
    const { client, id } = await session();
    const message = (itemId: string, text: string, role = 'user'): Record<string, unknown> => ({
      type: 'message',
      id: itemId,
      role,
      content: [{ type: role === 'assistant' ? 'output_text' : 'input_text', text }],
    });
    client.send({ type: 'conversation.item.create', item: message('item_b', 'second') });
    const b = await client.stream.next('conversation.item.added');
    assert.equal(b.previous_item_id, null);
    client.send({ type: 'conversation.item.create', previous_item_id: 'root', item: message('item_a', 'first') });
    const a = await client.stream.next('conversation.item.added');
    assert.equal(a.previous_item_id, null);
    client.send({ type: 'conversation.item.create', previous_item_id: 'item_a', item: message('item_a2', 'reply', 'assistant') });
    const a2 = await client.stream.next('conversation.item.added');
    assert.equal(a2.previous_item_id, 'item_a');
    assert.deepEqual(
      emulator.events(id)!.items.map((item) => item.id),
      ['item_a', 'item_a2', 'item_b'],
    );
    client.send({ type: 'conversation.item.create', item: message('item_a', 'duplicate') });
    assert.equal(((await client.stream.next('error')).error as { code: string }).code, 'item_id_already_exists');
    client.send({ type: 'conversation.item.create', previous_item_id: 'item_zz', item: message('item_c', 'lost') });
    assert.equal(((await client.stream.next('error')).error as { param: string }).param, 'previous_item_id');
    client.send({ type: 'conversation.item.delete', item_id: 'item_a2' });
    assert.equal((await client.stream.next('conversation.item.deleted')).item_id, 'item_a2');
    client.send({ type: 'conversation.item.retrieve', item_id: 'item_a2' });
    await client.stream.next('error');
    client.close();
    assertNoViolations(id);
  });

  test('auth: Bearer header works, a wrong key is refused at the handshake, ek_ secrets carry their session', async () => {
    const bearer = new WebSocket(emulator.websocketUrl, { headers: { Authorization: `Bearer ${emulator.apiKey}` } });
    const first = await new Promise<WireEvent>((resolve, reject) => {
      bearer.once('message', (data) => resolve(JSON.parse(String(data)) as WireEvent));
      bearer.once('error', reject);
    });
    assert.equal(first.type, 'session.created');
    bearer.close();

    const refused = new WebSocket(emulator.websocketUrl, ['realtime', 'openai-insecure-api-key.sk-wrong']);
    const status = await new Promise<number>((resolve) => refused.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    assert.equal(status, 401);

    const secret = emulator.createClientSecret({ instructions: 'From the secret.' });
    const client = await openSocket(emulator, secret.value);
    const created = await client.stream.next('session.created');
    assert.equal((created.session as { instructions: string }).instructions, 'From the secret.');
    client.close();
  });

  test('@openai/agents-realtime OpenAIRealtimeWebSocket talks to the emulator (Node)', async () => {
    const transport = new OpenAIRealtimeWebSocket({ url: `${emulator.websocketUrl}?model=gpt-realtime` });
    const all: WireEvent[] = [];
    transport.on('*', (event: WireEvent) => all.push(event));
    const deltas: string[] = [];
    transport.on('audio_transcript_delta', (event: { delta: string }) => deltas.push(event.delta));
    let audioBytes = 0;
    transport.on('audio', (event: { data: ArrayBuffer }) => (audioBytes += event.data.byteLength));
    const calls: Array<{ name: string; arguments: string; callId: string }> = [];
    transport.on('function_call', (event) => void calls.push(event));
    const turnDone = (): Promise<{ response: { output: any[] } }> =>
      new Promise((resolve) => transport.once('turn_done', (event: { response: { output: any[] } }) => resolve(event)));

    await transport.connect({
      apiKey: emulator.apiKey,
      model: 'gpt-realtime',
      initialSessionConfig: { instructions: 'Test.', tools: TOOLS as never, audio: { input: { turnDetection: null } } } as never,
    });
    const sessionId = ((all.find((e) => e.type === 'session.created')!.session as { id: string }).id);

    let done = turnDone();
    transport.sendMessage('hello from agents', {});
    await done;
    assert.equal(deltas.join(''), 'You said "hello from agents". This is the emulator speaking.');
    assert.ok(audioBytes > 0);

    done = turnDone();
    transport.sendMessage('call setExpression {"expressionId":"Smile"}', {});
    await done;
    assert.equal(calls.length, 1);
    assert.equal(calls[0]!.name, 'setExpression');
    done = turnDone();
    transport.sendFunctionCallOutput(calls[0] as never, '{"ok":true}', true);
    const answer = await done;
    assert.match(answer.response.output[0].content[0].transcript, /returned \{"ok":true\}/);

    transport.close();
    assert.deepEqual(emulator.violations(sessionId), []);
  });
});
