import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { planSpeech, segmentSamples, synthesizeSpeech } from './audio-synth.js';
import { parseMultipart } from './multipart.js';
import { decodeAudio, encodeAudio, rms } from './pcm.js';
import { planReply, type EmulatorTurn } from './scenario.js';
import { EnergyVad } from './vad.js';
import { silence, toneBurst } from './test-support.node.js';

describe('speech synthesis', () => {
  test('segments tile the text; duration follows its length and is capped', () => {
    const plan = planSpeech('You said "hello". This is the emulator speaking.', { msPerChar: 65 });
    assert.equal(plan.segments.map((s) => s.text).join(''), plan.text);
    assert.equal(plan.durationMs, plan.text.length * 65);
    assert.equal(plan.segments[0]!.text, 'You ');
    const capped = planSpeech('x'.repeat(1000), { msPerChar: 65, maxSpeechMs: 5000 });
    assert.equal(capped.durationMs, 5000);
    assert.deepEqual(planSpeech('').segments, []);
  });

  test('the audio is loud, speech-shaped (pauses at spaces) and deterministic', () => {
    const plan = planSpeech('Hello there, friend.', { msPerChar: 60 });
    const samples = synthesizeSpeech(plan, 24000);
    assert.equal(samples.length, Math.round((plan.durationMs / 1000) * 24000));
    assert.ok(rms(samples) > 0.08, `overall RMS ${rms(samples)}`);
    const word = segmentSamples(samples, plan, plan.segments[0]!, 24000);
    assert.ok(rms(word) > 0.1, `word RMS ${rms(word)}`);
    // The middle of the ", " pause is much quieter than the words.
    const comma = plan.text.indexOf(', ');
    const pauseAt = Math.round(((comma + 1.5) * plan.charMs * 24000) / 1000);
    assert.ok(rms(samples, pauseAt - 120, pauseAt + 120) < rms(word) / 2);
    assert.deepEqual(synthesizeSpeech(plan, 24000), samples);
  });
});

describe('energy VAD', () => {
  const settings = { rmsThreshold: 0.03, prefixPaddingMs: 100, silenceDurationMs: 300 };

  test('finds a burst in silence, with start padding and the end of voice', () => {
    const vad = new EnergyVad();
    const events = [
      ...vad.feed(silence(500, 16000), 16000, settings),
      ...vad.feed(toneBurst(800, 16000), 16000, settings),
      ...vad.feed(silence(400, 16000), 16000, settings),
    ];
    assert.deepEqual(events.map((e) => e.type), ['speech_started', 'speech_stopped']);
    const [start, stop] = events as unknown as [{ audioStartMs: number }, { audioEndMs: number; speechMs: number }];
    assert.equal(start.audioStartMs, 400);
    assert.equal(stop.audioEndMs, 1300);
    assert.equal(stop.speechMs, 800);
  });

  test('odd chunk sizes are framed the same; quiet audio and turn detection off find nothing', () => {
    const vad = new EnergyVad();
    const burst = toneBurst(600, 24000);
    const events = [];
    for (let at = 0; at < burst.length; at += 77) events.push(...vad.feed(burst.subarray(at, at + 77), 24000, settings));
    events.push(...vad.feed(silence(400, 24000), 24000, settings));
    assert.deepEqual(events.map((e) => e.type), ['speech_started', 'speech_stopped']);
    const quiet = toneBurst(600, 24000).map((v) => v / 20);
    assert.deepEqual(new EnergyVad().feed(quiet, 24000, settings), []);
    assert.deepEqual(new EnergyVad().feed(burst, 24000, null), []);
  });
});

describe('PCM codecs', () => {
  test('PCM16 round-trips exactly; G.711 µ-law and A-law within quantisation error', () => {
    const samples = toneBurst(50, 8000);
    assert.deepEqual(decodeAudio(encodeAudio(samples, { type: 'audio/pcm', rate: 24000 }), { type: 'audio/pcm', rate: 24000 }), samples);
    for (const type of ['audio/pcmu', 'audio/pcma'] as const) {
      const back = decodeAudio(encodeAudio(samples, { type }), { type });
      let worst = 0;
      for (let i = 0; i < samples.length; i += 1) worst = Math.max(worst, Math.abs(back[i]! - samples[i]!) / (Math.abs(samples[i]!) + 128));
      assert.ok(worst < 0.1, `${type} relative error ${worst}`);
    }
  });
});

describe('multipart parser', () => {
  test('reads the text fields of a form like fetch sends', async () => {
    const form = new FormData();
    form.set('sdp', 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n');
    form.set('session', JSON.stringify({ type: 'realtime' }));
    const request = new Request('http://x/', { method: 'POST', body: form });
    const fields = parseMultipart(Buffer.from(await request.arrayBuffer()), request.headers.get('content-type')!);
    assert.deepEqual(fields?.map((f) => [f.name, f.value]), [
      ['sdp', 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n'],
      ['session', '{"type":"realtime"}'],
    ]);
    assert.equal(parseMultipart(Buffer.from('garbage'), 'multipart/form-data; boundary=abc'), undefined);
  });
});

describe('scenario', () => {
  const turn = (text: string, extra: Partial<EmulatorTurn> = {}): EmulatorTurn => ({
    kind: 'text',
    text,
    toolOutputs: [],
    tools: ['setExpression'],
    toolChoice: 'auto',
    ...extra,
  });

  test('built-in: quotes the user, calls declared tools, refuses unknown ones, reads results back', () => {
    assert.equal(planReply(undefined, turn('hello')).say, 'You said "hello". This is the emulator speaking.');
    assert.deepEqual(planReply(undefined, turn('call setExpression {"expressionId":"Smile"}')).toolCalls, [
      { name: 'setExpression', arguments: '{"expressionId":"Smile"}' },
    ]);
    assert.match(planReply(undefined, turn('call fly {}')).say!, /no such tool/);
    assert.match(planReply(undefined, turn('call setExpression {}', { toolChoice: 'none' })).say!, /tool_choice is none/);
    const back = planReply(undefined, turn('x', { kind: 'tool_output', toolOutputs: [{ name: 'setExpression', callId: 'c', output: '{"ok":true}' }] }));
    assert.match(back.say!, /setExpression returned \{"ok":true\}/);
  });

  test('rules: first match wins; strings match case-insensitively; tool rules answer after the result', () => {
    const scenario = {
      rules: [
        { match: /weather in (\w+)/i, toolCalls: [{ name: 'getWeather', arguments: { city: 'Paris' } }], say: 'It is sunny.', delayMs: 40 },
        { match: 'HELLO', say: (t: EmulatorTurn) => `Hi! You typed ${t.text.length} characters.` },
      ],
    };
    const call = planReply(scenario, turn('What is the weather in Paris?'));
    assert.deepEqual(call.toolCalls, [{ name: 'getWeather', arguments: '{"city":"Paris"}' }]);
    assert.equal(call.delayMs, 40);
    const after = planReply(scenario, turn('What is the weather in Paris?', { kind: 'tool_output', toolOutputs: [{ name: 'getWeather', callId: 'c', output: '{}' }] }));
    assert.equal(after.say, 'It is sunny.');
    assert.equal(planReply(scenario, turn('well hello')).say, 'Hi! You typed 10 characters.');
  });
});
