// The emulator honours the session config it is given, and every live change of it: turn detection
// (server VAD threshold and silence, semantic VAD eagerness, push-to-talk commits and clears),
// transcription on and off, and text-only output (no audio events, nothing on a WebRTC track).
// Runs an EmulatorSession over an in-memory channel with the schema validator on.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { getConformanceValidator } from '../conformance/index.js';
import { EmulatorSession } from './session.js';
import { defaultSession, SEMANTIC_VAD_SILENCE_MS, vadSettings } from './session-config.js';
import type { TrackAudioOutput } from './responder.js';
import type { SessionObject } from './types.js';
import { EventStream, silence } from './test-support.node.js';

const RATE = 24_000;

/** A steady tone of the given RMS (a sine's RMS is its amplitude / √2). */
function tone(ms: number, rmsLevel: number, rate = RATE): Int16Array {
  const n = Math.round((ms / 1000) * rate);
  const out = new Int16Array(n);
  const amplitude = rmsLevel * Math.SQRT2;
  for (let i = 0; i < n; i += 1) out[i] = Math.round(amplitude * 32767 * Math.sin((2 * Math.PI * 220 * i) / rate));
  return out;
}

interface Harness {
  session: EmulatorSession;
  stream: EventStream;
  send(event: Record<string, unknown>): void;
  /** Sends a `session.update` and waits for its `session.updated`. */
  update(session: Record<string, unknown>): Promise<SessionObject>;
  /** Feeds microphone audio in 20 ms chunks, as a track or appends would. */
  feed(samples: Int16Array): void;
  /** Types of the events since index `from`. */
  typesSince(from: number): string[];
  trackChunks: string[];
  close(): void;
}

function open(transport: 'websocket' | 'webrtc' = 'websocket', msPerChar = 2): Harness {
  const stream = new EventStream();
  const session = new EmulatorSession({
    transport,
    config: defaultSession(),
    // Fast speech so spoken replies end quickly.
    scenario: { msPerChar },
    faults: {},
    validator: getConformanceValidator(),
  });
  const trackChunks: string[] = [];
  if (transport === 'webrtc') {
    const track: TrackAudioOutput = { sampleRate: 48_000, enqueue: (responseId) => void trackChunks.push(responseId), clear: () => undefined };
    session.trackAudio = track;
  }
  session.attach({ open: true, send: (text) => stream.push(text), drop: () => stream.markClosed() });
  const send = (event: Record<string, unknown>) => session.receive(JSON.stringify(event));
  return {
    session,
    stream,
    send,
    async update(patch) {
      const from = stream.events.length;
      send({ type: 'session.update', session: { type: 'realtime', ...patch } });
      const updated = await stream.next((e) => e.type === 'session.updated' && stream.events.indexOf(e) >= from);
      return updated.session as SessionObject;
    },
    feed(samples) {
      const step = Math.round(RATE / 50);
      for (let at = 0; at < samples.length; at += step) session.input.append(samples.subarray(at, Math.min(samples.length, at + step)), RATE);
    },
    typesSince: (from) => stream.types(from),
    trackChunks,
    close() {
      session.close('test over');
      assert.deepEqual(session.recorder.violations, [], 'no schema violations either way');
    },
  };
}

const turnEvents = (types: string[]) => types.filter((t) => t.startsWith('input_audio_buffer.'));

describe('emulator: turn detection follows the session', () => {
  test('server VAD: the threshold decides what counts as speech (0.5 ≈ RMS 0.03)', async () => {
    const h = open();
    await h.update({ audio: { input: { turn_detection: { type: 'server_vad', threshold: 0.8, silence_duration_ms: 200, create_response: false } } } });
    // RMS 0.03 is below threshold 0.8 (RMS 0.048): nothing.
    let from = h.stream.events.length;
    h.feed(tone(400, 0.03));
    h.feed(silence(400, RATE));
    assert.deepEqual(turnEvents(h.typesSince(from)), []);
    // The same audio under threshold 0.3 (RMS 0.018) is a turn.
    await h.update({ audio: { input: { turn_detection: { type: 'server_vad', threshold: 0.3, silence_duration_ms: 200, create_response: false } } } });
    from = h.stream.events.length;
    h.feed(tone(400, 0.03));
    h.feed(silence(400, RATE));
    assert.deepEqual(turnEvents(h.typesSince(from)), ['input_audio_buffer.speech_started', 'input_audio_buffer.speech_stopped', 'input_audio_buffer.committed']);
    h.close();
  });

  test('server VAD: the turn ends after silence_duration_ms of silence, not before', async () => {
    for (const silenceMs of [200, 700]) {
      const h = open();
      await h.update({ audio: { input: { turn_detection: { type: 'server_vad', silence_duration_ms: silenceMs, create_response: false } } } });
      h.feed(tone(300, 0.1));
      h.feed(silence(silenceMs - 30, RATE));
      assert.deepEqual(turnEvents(h.typesSince(0)), ['input_audio_buffer.speech_started'], `${silenceMs} ms: still speaking`);
      h.feed(silence(60, RATE));
      assert.deepEqual(
        turnEvents(h.typesSince(0)),
        ['input_audio_buffer.speech_started', 'input_audio_buffer.speech_stopped', 'input_audio_buffer.committed'],
        `${silenceMs} ms: the turn ended`,
      );
      const stopped = h.stream.all('input_audio_buffer.speech_stopped')[0]!;
      assert.equal(stopped.audio_end_ms, 300);
      h.close();
    }
  });

  test('semantic VAD detects turns; eagerness sets the silence that ends one (low 1000, medium/auto 500, high 250 ms)', async () => {
    assert.deepEqual(SEMANTIC_VAD_SILENCE_MS, { low: 1000, medium: 500, auto: 500, high: 250 });
    for (const [eagerness, silenceMs] of Object.entries(SEMANTIC_VAD_SILENCE_MS)) {
      const config = defaultSession();
      (config.audio as any).input.turn_detection = { type: 'semantic_vad', eagerness };
      assert.equal(vadSettings(config)?.silenceDurationMs, silenceMs, eagerness);

      const h = open();
      await h.update({ audio: { input: { turn_detection: { type: 'semantic_vad', eagerness, create_response: false } } } });
      h.feed(tone(300, 0.1));
      h.feed(silence(silenceMs - 30, RATE));
      assert.deepEqual(turnEvents(h.typesSince(0)), ['input_audio_buffer.speech_started'], `${eagerness}: still speaking`);
      h.feed(silence(60, RATE));
      assert.deepEqual(turnEvents(h.typesSince(0)).slice(1), ['input_audio_buffer.speech_stopped', 'input_audio_buffer.committed'], `${eagerness}: ended`);
      h.close();
    }
    // Left out, eagerness is auto.
    const config = defaultSession();
    (config.audio as any).input.turn_detection = { type: 'semantic_vad' };
    assert.equal(vadSettings(config)?.silenceDurationMs, 500);
  });

  test('semantic VAD with create_response answers the turn (and transcribes it when asked)', async () => {
    const h = open();
    await h.update({ audio: { input: { turn_detection: { type: 'semantic_vad', eagerness: 'high' }, transcription: { model: 'whisper-1' } } } });
    h.feed(tone(500, 0.1));
    h.feed(silence(300, RATE));
    const transcript = await h.stream.next('conversation.item.input_audio_transcription.completed');
    assert.equal(transcript.transcript, '[emulator] heard 0.5 s of speech');
    const done = await h.stream.next('response.done');
    assert.equal((done.response as any).status, 'completed');
    h.close();
  });

  test('push-to-talk (turn_detection null): no automatic turns; commit commits what was received; clear empties the buffer', async () => {
    const h = open();
    const session = await h.update({ audio: { input: { turn_detection: null, transcription: { model: 'whisper-1' } } } });
    assert.equal((session.audio as any).input.turn_detection, null);
    h.feed(tone(600, 0.2));
    h.feed(silence(400, RATE));
    assert.deepEqual(turnEvents(h.typesSince(0)), [], 'loud audio and silence, but no VAD');
    assert.equal(h.session.info().inputAudio.bufferedMs, 1000);

    // Clear: the buffer is empty, so a commit right after fails as OpenAI's does.
    h.send({ type: 'input_audio_buffer.clear', event_id: 'clear_1' });
    await h.stream.next('input_audio_buffer.cleared');
    assert.equal(h.session.info().inputAudio.bufferedMs, 0);
    h.send({ type: 'input_audio_buffer.commit', event_id: 'commit_empty' });
    const error = await h.stream.next('error');
    assert.equal((error.error as any).code, 'input_audio_buffer_commit_empty');
    assert.equal((error.error as any).event_id, 'commit_empty');

    // What arrives after the clear is what the commit takes.
    h.feed(tone(700, 0.2));
    h.feed(silence(500, RATE));
    assert.equal(h.session.info().inputAudio.bufferedMs, 1200);
    assert.equal(h.session.info().inputAudio.receivedMs, 2200);
    h.send({ type: 'input_audio_buffer.commit', event_id: 'commit_1' });
    const committed = await h.stream.next('input_audio_buffer.committed');
    const item = await h.stream.next((e) => e.type === 'conversation.item.added' && (e.item as any).id === committed.item_id);
    assert.equal((item.item as any).role, 'user');
    const transcript = await h.stream.next('conversation.item.input_audio_transcription.completed');
    assert.equal(transcript.transcript, '[emulator] heard 1.2 s of speech');
    assert.equal(h.session.info().inputAudio.bufferedMs, 0);
    // No response without a response.create (the client asks for one in push-to-talk).
    assert.equal(h.stream.all('response.created').length, 0);
    h.send({ type: 'response.create' });
    const done = await h.stream.next('response.done');
    assert.match((done.response as any).output[0].content[0].transcript, /^I heard 1\.2 seconds of speech/);
    assert.deepEqual(turnEvents(h.typesSince(0)).filter((t) => t.startsWith('input_audio_buffer.speech')), []);
    h.close();
  });

  test('a live session.update from VAD to push-to-talk stops automatic turns mid-session, and back', async () => {
    const h = open();
    await h.update({ audio: { input: { turn_detection: { type: 'server_vad', silence_duration_ms: 200, create_response: false } } } });
    h.feed(tone(300, 0.1));
    h.feed(silence(300, RATE));
    assert.equal(h.stream.all('input_audio_buffer.committed').length, 1);

    // Switched off in the middle of speech: the turn in progress is dropped, nothing more is detected.
    h.feed(tone(200, 0.1));
    assert.equal(h.stream.all('input_audio_buffer.speech_started').length, 2);
    await h.update({ audio: { input: { turn_detection: null } } });
    let from = h.stream.events.length;
    h.feed(tone(300, 0.1));
    h.feed(silence(500, RATE));
    h.feed(tone(300, 0.1));
    h.feed(silence(500, RATE));
    assert.deepEqual(turnEvents(h.typesSince(from)), []);
    h.send({ type: 'input_audio_buffer.commit' });
    const committed = await h.stream.next((e) => e.type === 'input_audio_buffer.committed' && h.stream.events.indexOf(e) >= from);
    // The item of the interrupted turn is the one committed (its speech_started named it).
    assert.equal(committed.item_id, h.stream.all('input_audio_buffer.speech_started')[1]!.item_id);

    // And back on: detection resumes.
    await h.update({ audio: { input: { turn_detection: { type: 'server_vad', silence_duration_ms: 200, create_response: false } } } });
    from = h.stream.events.length;
    h.feed(tone(300, 0.1));
    h.feed(silence(300, RATE));
    assert.deepEqual(turnEvents(h.typesSince(from)), ['input_audio_buffer.speech_started', 'input_audio_buffer.speech_stopped', 'input_audio_buffer.committed']);
    h.close();
  });

  test('create_response false commits the turn without answering; interrupt_response false lets a reply finish', async () => {
    const h = open();
    await h.update({ audio: { input: { turn_detection: { type: 'server_vad', silence_duration_ms: 200, create_response: false } } } });
    h.feed(tone(300, 0.1));
    h.feed(silence(300, RATE));
    await h.stream.next('input_audio_buffer.committed');
    assert.equal(h.stream.all('response.created').length, 0);

    h.close();

    // Speech paced at 20 ms a character: the reply runs for most of a second, long enough to talk over.
    const slow = open('websocket', 20);
    await slow.update({ audio: { input: { turn_detection: { type: 'server_vad', silence_duration_ms: 200, interrupt_response: false } } } });
    slow.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'x' }] } });
    slow.send({ type: 'response.create' });
    await slow.stream.next('response.output_audio.delta');
    slow.feed(tone(300, 0.1));
    slow.feed(silence(300, RATE));
    const first = await slow.stream.next('response.done');
    const types = slow.typesSince(0);
    assert.ok(types.indexOf('input_audio_buffer.speech_started') < types.indexOf('response.done'), 'the user spoke while the reply ran');
    assert.equal((first.response as any).status, 'completed', 'the barge-in did not cancel it');
    // The turn spoken over it is answered once the first reply finished.
    const second = await slow.stream.next('response.done');
    assert.equal((second.response as any).status, 'completed');
    slow.close();
  });
});

describe('emulator: transcription follows the session', () => {
  test('off (null, the default): no input_audio_transcription events; on: delta(s) then completed; off again live', async () => {
    const h = open();
    const vad = { type: 'server_vad', silence_duration_ms: 200, create_response: false };
    const turn = async () => {
      const from = h.stream.events.length;
      h.feed(tone(300, 0.1));
      h.feed(silence(300, RATE));
      await h.stream.next((e) => e.type === 'input_audio_buffer.committed' && h.stream.events.indexOf(e) >= from);
      return h.typesSince(from).filter((t) => t.startsWith('conversation.item.input_audio_transcription.'));
    };
    await h.update({ audio: { input: { turn_detection: vad } } });
    assert.deepEqual(await turn(), []);
    await h.update({ audio: { input: { transcription: { model: 'gpt-4o-mini-transcribe', language: 'en' } } } });
    const on = await turn();
    assert.ok(on.length >= 2, on.join());
    assert.deepEqual(new Set(on), new Set(['conversation.item.input_audio_transcription.delta', 'conversation.item.input_audio_transcription.completed']));
    assert.equal(on.at(-1), 'conversation.item.input_audio_transcription.completed');
    await h.update({ audio: { input: { transcription: null } } });
    assert.deepEqual(await turn(), []);
    h.close();
  });
});

describe('emulator: output modalities follow the session', () => {
  for (const transport of ['websocket', 'webrtc'] as const) {
    test(`${transport}: text-only output streams output_text deltas with no audio at all; audio again after a live update`, async () => {
      const h = open(transport);
      await h.update({ output_modalities: ['text'], audio: { input: { turn_detection: null } } });
      let from = h.stream.events.length;
      h.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] } });
      h.send({ type: 'response.create' });
      const done = await h.stream.next('response.done');
      const types = h.typesSince(from);
      assert.ok(types.filter((t) => t === 'response.output_text.delta').length > 1, types.join());
      assert.ok(types.includes('response.output_text.done'));
      assert.deepEqual(types.filter((t) => /audio/.test(t)), [], 'no audio events');
      assert.deepEqual((done.response as any).output_modalities, ['text']);
      assert.deepEqual((done.response as any).output[0].content, [{ type: 'output_text', text: 'You said "hi". This is the emulator speaking.' }]);
      assert.deepEqual(h.trackChunks, [], 'nothing played on the track');

      await h.update({ output_modalities: ['audio'] });
      from = h.stream.events.length;
      h.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'again' }] } });
      h.send({ type: 'response.create' });
      await h.stream.next('response.done');
      const spoken = h.typesSince(from);
      assert.ok(spoken.includes('response.output_audio_transcript.delta'));
      assert.ok(!spoken.includes('response.output_text.delta'));
      if (transport === 'webrtc') {
        assert.ok(h.trackChunks.length > 0, 'audio went to the track');
        assert.ok(!spoken.includes('response.output_audio.delta'), 'not as events');
      } else {
        assert.ok(spoken.includes('response.output_audio.delta'));
      }
      h.close();
    });
  }
});
