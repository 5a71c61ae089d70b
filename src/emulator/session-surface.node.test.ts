// The emulator and the newer session fields: it takes and reports reasoning, truncation, prompts,
// custom voices and the newer transcription options (and refuses bad ones as OpenAI does, leaving the
// session as it was), and it keeps server VAD's idle timeout: `input_audio_buffer.timeout_triggered`
// once the last response has finished playing and `idle_timeout_ms` of input audio passed without
// speech, then the silent item and a response. Audio time is what counts (as for the VAD), so these
// tests feed audio and never wait on the clock. The schema validator is on: no violations either way.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { getConformanceValidator } from '../conformance/index.js';
import { EmulatorSession } from './session.js';
import { defaultSession } from './session-config.js';
import type { SessionObject } from './types.js';
import { EventStream, silence } from './test-support.node.js';

const RATE = 24_000;

function tone(ms: number, level = 0.1): Int16Array {
  const out = new Int16Array(Math.round((ms / 1000) * RATE));
  for (let i = 0; i < out.length; i += 1) out[i] = Math.round(level * Math.SQRT2 * 32767 * Math.sin((2 * Math.PI * 220 * i) / RATE));
  return out;
}

function open(transport: 'websocket' | 'webrtc' = 'websocket') {
  const stream = new EventStream();
  const session = new EmulatorSession({ transport, config: defaultSession(), scenario: { msPerChar: 1 }, faults: {}, validator: getConformanceValidator() });
  if (transport === 'webrtc') session.trackAudio = { sampleRate: 48_000, enqueue: () => undefined, clear: () => undefined };
  session.attach({ open: true, send: (text) => stream.push(text), drop: () => stream.markClosed() });
  const send = (event: Record<string, unknown>) => session.receive(JSON.stringify(event));
  return {
    session,
    stream,
    send,
    async update(patch: Record<string, unknown>): Promise<SessionObject> {
      const from = stream.events.length;
      send({ type: 'session.update', session: { type: 'realtime', ...patch } });
      const answer = await stream.next((e) => (e.type === 'session.updated' || e.type === 'error') && stream.events.indexOf(e) >= from);
      if (answer.type === 'error') throw Object.assign(new Error(String((answer.error as any).message)), { detail: answer.error });
      return answer.session as SessionObject;
    },
    /** Feeds audio in 20 ms chunks, as a track or appends would. */
    feed(samples: Int16Array): void {
      for (let at = 0; at < samples.length; at += RATE / 50) session.input.append(samples.subarray(at, Math.min(samples.length, at + RATE / 50)), RATE);
    },
    count: (type: string) => stream.all(type).length,
    async textTurn(): Promise<void> {
      send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] } });
      send({ type: 'response.create' });
      await stream.next('response.done');
    },
    close(): void {
      session.close('test over');
      assert.deepEqual(session.recorder.violations, [], 'no schema violations either way');
    },
  };
}

describe('emulator: the newer session fields', () => {
  test('reasoning, truncation, a prompt, a custom voice and the newer transcription options are taken and reported as sent', async () => {
    const h = open();
    const fields = {
      model: 'gpt-realtime-2',
      reasoning: { effort: 'high' },
      truncation: { type: 'retention_ratio', retention_ratio: 0.7, token_limits: { post_instructions: 9000 } },
      prompt: { id: 'pmpt_1', version: '2', variables: { city: 'Lyon' } },
      audio: {
        input: { transcription: { model: 'gpt-transcribe', languages: ['en', 'fr'], keywords: ['Charivo'] } },
        output: { voice: { id: 'voice_1234' } },
      },
    };
    const updated = await h.update(fields);
    assert.deepEqual(updated.reasoning, fields.reasoning);
    assert.deepEqual(updated.truncation, fields.truncation);
    assert.deepEqual(updated.prompt, fields.prompt);
    assert.deepEqual((updated.audio as any).input.transcription, fields.audio.input.transcription);
    assert.deepEqual((updated.audio as any).output.voice, { id: 'voice_1234' });
    assert.deepEqual(h.session.log().session.truncation, fields.truncation);
    // A reply names the custom voice by its id.
    await h.textTurn();
    assert.equal((h.stream.all('response.done')[0]!.response as any).audio.output.voice, 'voice_1234');
    // Live changes replace them; null removes the prompt.
    const again = await h.update({ truncation: 'disabled', prompt: null, audio: { input: { transcription: { model: 'gpt-realtime-whisper', delay: 'low' } } } });
    assert.equal(again.truncation, 'disabled');
    assert.equal(again.prompt, null);
    assert.deepEqual((again.audio as any).input.transcription, { model: 'gpt-realtime-whisper', delay: 'low' });
    assert.deepEqual(again.reasoning, fields.reasoning, 'untouched fields keep their values');
    h.close();
  });

  test('a bad value is refused as OpenAI does (code, message, param) and the session stays as it was', async () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ reasoning: { effort: 'max' } }, 'invalid_value', 'session.reasoning.effort'],
      [{ reasoning: { effort: 'low', summary: 'auto' } }, 'unknown_parameter', 'session.reasoning.summary'],
      [{ reasoning: 'high' }, 'invalid_type', 'session.reasoning'],
      [{ truncation: 'enabled' }, 'invalid_value', 'session.truncation'],
      [{ truncation: { type: 'retention_ratio' } }, 'missing_required_parameter', 'session.truncation.retention_ratio'],
      [{ truncation: { type: 'retention_ratio', retention_ratio: 1.5 } }, 'decimal_above_max_value', 'session.truncation.retention_ratio'],
      [{ truncation: { type: 'retention_ratio', retention_ratio: -0.5 } }, 'decimal_below_min_value', 'session.truncation.retention_ratio'],
      [{ truncation: { type: 'retention_ratio', retention_ratio: 0.5, token_limits: { post_instructions: -1 } } }, 'invalid_type', 'session.truncation.token_limits.post_instructions'],
      [{ truncation: { type: 'tokens' } }, 'invalid_value', 'session.truncation.type'],
      [{ prompt: { version: '1' } }, 'missing_required_parameter', 'session.prompt.id'],
      [{ prompt: { id: 'pmpt_1', variables: { city: 3 } } }, 'invalid_type', 'session.prompt.variables.city'],
      [{ prompt: 'pmpt_1' }, 'invalid_type', 'session.prompt'],
      [{ audio: { output: { voice: { name: 'mine' } } } }, 'unknown_parameter', 'session.audio.output.voice.name'],
      [{ audio: { output: { voice: {} } } }, 'missing_required_parameter', 'session.audio.output.voice.id'],
      [{ audio: { output: { voice: { id: '' } } } }, 'invalid_type', 'session.audio.output.voice.id'],
      [{ audio: { input: { transcription: { delay: 'slow' } } } }, 'invalid_value', 'session.audio.input.transcription.delay'],
      [{ audio: { input: { transcription: { keywords: 'Charivo' } } } }, 'invalid_type', 'session.audio.input.transcription.keywords'],
      [{ audio: { input: { transcription: { languages: [] } } } }, 'array_too_short', 'session.audio.input.transcription.languages'],
    ];
    for (const [patch, code, param] of cases) {
      const h = open();
      const before = structuredClone(h.session.config);
      await assert.rejects(h.update(patch), (error: any) => error.detail.code === code && error.detail.param === param && typeof error.detail.message === 'string', JSON.stringify(patch));
      assert.deepEqual(h.session.config, before, `${JSON.stringify(patch)} changed nothing`);
      // Only the client's own event breaks the contract; what the emulator sent conforms.
      assert.deepEqual(h.session.recorder.violations.filter((v) => v.direction === 'server'), []);
      h.session.close('case over');
    }
  });
});

describe('emulator: server VAD idle timeout (idle_timeout_ms)', () => {
  const vad = (idle: number | null, extra: Record<string, unknown> = {}) => ({
    audio: { input: { turn_detection: { type: 'server_vad', silence_duration_ms: 200, idle_timeout_ms: idle, ...extra }, transcription: { model: 'gpt-transcribe' } } },
  });

  test('WebSocket: after the last response, idle_timeout_ms of silence triggers the event, commits the silent item and answers it', async () => {
    const h = open();
    await h.update(vad(5000));
    h.feed(silence(6000, RATE));
    assert.equal(h.count('input_audio_buffer.timeout_triggered'), 0, 'no response yet: the window has not opened');
    await h.textTurn();
    const openedAt = h.session.input.receivedMs;
    h.feed(silence(4980, RATE));
    assert.equal(h.count('input_audio_buffer.timeout_triggered'), 0, 'not before the timeout');
    const from = h.stream.events.length;
    h.feed(silence(40, RATE));
    const timeout = await h.stream.next('input_audio_buffer.timeout_triggered');
    assert.equal(timeout.audio_start_ms, openedAt);
    assert.ok((timeout.audio_end_ms as number) - openedAt >= 5000 && (timeout.audio_end_ms as number) - openedAt <= 5020, JSON.stringify(timeout));
    const committed = await h.stream.next('input_audio_buffer.committed');
    assert.equal(committed.item_id, timeout.item_id, 'the silent audio becomes the timeout item');
    const added = await h.stream.next((e) => e.type === 'conversation.item.added' && (e.item as any).id === timeout.item_id);
    assert.equal((added.item as any).role, 'user');
    await h.stream.next('response.done');
    const types = h.stream.types(from);
    assert.ok(types.indexOf('input_audio_buffer.timeout_triggered') < types.indexOf('response.created'), types.join());
    assert.deepEqual(types.filter((t) => t.includes('input_audio_transcription')), [], 'silence is not transcribed');
    assert.equal(h.count('input_audio_buffer.speech_started'), 0);
    // Once: the next window opens when that response ends.
    assert.equal(h.count('input_audio_buffer.timeout_triggered'), 1);
    h.feed(silence(5020, RATE));
    assert.equal(h.count('input_audio_buffer.timeout_triggered'), 2);
    h.close();
  });

  test('speech holds it off and a turn closes the window; null and semantic VAD never time out', async () => {
    const h = open();
    await h.update(vad(5000, { create_response: false }));
    await h.textTurn();
    // Speaking the whole time: no timeout while the VAD hears speech.
    h.feed(tone(6000));
    assert.equal(h.count('input_audio_buffer.timeout_triggered'), 0);
    // The turn ends (no response asked for): the window stays shut.
    h.feed(silence(6000, RATE));
    assert.equal(h.count('input_audio_buffer.committed'), 1);
    assert.equal(h.count('input_audio_buffer.timeout_triggered'), 0);
    h.close();

    for (const detection of [vad(null), { audio: { input: { turn_detection: { type: 'semantic_vad' } } } }]) {
      const quiet = open();
      await quiet.update(detection);
      await quiet.textTurn();
      quiet.feed(silence(31_000, RATE));
      assert.equal(quiet.count('input_audio_buffer.timeout_triggered'), 0, JSON.stringify(detection));
      quiet.close();
    }
  });

  test('WebRTC: the window opens when the reply stops playing on the track, not at response.done', async () => {
    const h = open('webrtc');
    await h.update(vad(5000));
    await h.textTurn();
    h.feed(silence(6000, RATE));
    assert.equal(h.count('input_audio_buffer.timeout_triggered'), 0, 'still playing');
    const responseId = (h.stream.all('response.done')[0]!.response as any).id as string;
    h.session.playbackStopped(responseId);
    const openedAt = h.session.input.receivedMs;
    h.feed(silence(5020, RATE));
    const timeout = await h.stream.next('input_audio_buffer.timeout_triggered');
    assert.equal(timeout.audio_start_ms, openedAt);
    await h.stream.next('response.done');
    h.close();
  });
});
