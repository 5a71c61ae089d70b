// The wire mapping of every field: toOpenAISession() against a hand-written statement of the expected
// OpenAI fields (test/e2e/session-config/wire-cases.ts, shared with the transports' browser tests), and
// the mapped session validated against OpenAI's schema both as a `session.update` client event and as
// a `POST /realtime/client_secrets` body.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getConformanceValidator } from '../conformance/index.js';
import { toOpenAISession } from './openai-session.js';
import { realtimeSessionConfigSchema } from './session-config.js';
import { parseSessionConfig } from '../manager/session-config-parse.js';
import { WIRE_CASES, expectedFields, wireFields } from '../../test/e2e/session-config/wire-cases.js';

const validator = getConformanceValidator();
const defaults = { model: 'gpt-realtime', voice: 'marin' };
const PCM = { type: 'audio/pcm', rate: 24000 };

test('the wire cases cover every field of the session config, and each is a valid config for both parsers', () => {
  const covered = new Set(WIRE_CASES.flatMap((c) => Object.keys(c.config)));
  const fields = Object.keys(realtimeSessionConfigSchema.def.shape).filter((f) => f !== 'provider' && f !== 'model');
  assert.deepEqual(fields.filter((f) => !covered.has(f)), [], 'fields no wire case sets');
  for (const c of WIRE_CASES) {
    assert.ok(realtimeSessionConfigSchema.safeParse(c.config).success, c.name);
    assert.doesNotThrow(() => parseSessionConfig(c.config, 'startSession'), c.name);
  }
});

for (const c of WIRE_CASES) {
  test(`toOpenAISession: ${c.name}`, () => {
    const session = toOpenAISession(c.config, defaults);
    // Field by field against the hand-written expectation (absent means absent, not undefined).
    const actual = wireFields(session);
    const expected = expectedFields(c, defaults.voice);
    for (const key of Object.keys(expected) as Array<keyof typeof expected>) {
      assert.deepEqual(actual[key], expected[key], `${key}`);
    }
    const input = session.audio.input as Record<string, unknown>;
    for (const [key, field] of [['transcription', 'inputTranscription'], ['noise_reduction', 'noiseReduction'], ['turn_detection', 'turnDetection']] as const) {
      assert.equal(key in input, c.config[field] !== undefined, `audio.input.${key} present only when ${field} is set`);
    }
    assert.equal('speed' in session.audio.output, c.config.speed !== undefined);
    for (const key of ['instructions', 'output_modalities', 'max_output_tokens', 'tool_choice', 'tools', 'reasoning', 'truncation', 'prompt'] as const) {
      assert.equal(key in session, expected[key] !== undefined, `${key} present only when set`);
    }
    // Always: the realtime type, the model, PCM 24 kHz both ways.
    assert.equal(session.type, 'realtime');
    assert.equal(session.model, defaults.model);
    assert.deepEqual(session.audio.input.format, PCM);
    assert.deepEqual(session.audio.output.format, PCM);
    for (const [key, value] of Object.entries(c.extra ?? {})) assert.deepEqual(session[key], value, `providerOptions.${key}`);

    // The session validates as OpenAI's client event and as the client-secret request body.
    const update = validator.validateClientEvent({ type: 'session.update', event_id: 'evt_1', session });
    assert.ok(update.valid, `session.update: ${update.errors.join('; ')}`);
    const secret = validator.validateClientSecretRequest({ session, expires_after: { anchor: 'created_at', seconds: 600 } });
    assert.ok(secret.valid, `client_secrets: ${secret.errors.join('; ')}`);
    const call = validator.validateCallSession(session);
    assert.ok(call.valid, `calls session: ${call.errors.join('; ')}`);
  });
}

test('toOpenAISession: the model and voice given win over the defaults; JSON carries no undefined', () => {
  const session = toOpenAISession({ model: 'gpt-realtime-mini', voice: 'verse', inputTranscription: { model: 'whisper-1', language: undefined } as never }, defaults);
  assert.equal(session.model, 'gpt-realtime-mini');
  assert.equal(session.audio.output.voice, 'verse');
  assert.deepEqual(session.audio.input.transcription, { model: 'whisper-1' });
  assert.deepEqual(JSON.parse(JSON.stringify(session)), session);
});

test('toOpenAISession: mapping does not touch the config it was given', () => {
  const config = structuredClone(WIRE_CASES[0]!.config);
  const before = structuredClone(config);
  const session = toOpenAISession(config, defaults);
  (session.audio.input.turn_detection as Record<string, unknown>).threshold = 0.9;
  (session.audio.input.transcription as Record<string, unknown>).model = 'changed';
  assert.deepEqual(config, before);
});

test('a mapped session the schema must refuse is refused (the validator is not vacuous)', () => {
  const session = toOpenAISession({}, defaults) as Record<string, unknown>;
  const bad = [
    { ...session, output_modalities: ['video'] },
    { ...session, max_output_tokens: 'lots' },
    { ...session, audio: { input: { turn_detection: { type: 'push_to_talk' } }, output: { voice: 'marin' } } },
    { ...session, tool_choice: 'sometimes' },
  ];
  for (const s of bad) {
    assert.equal(validator.validateClientEvent({ type: 'session.update', session: s }).valid, false, JSON.stringify(s));
    assert.equal(validator.validateClientSecretRequest({ session: s }).valid, false, JSON.stringify(s));
  }
});
