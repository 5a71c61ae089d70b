import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { z } from 'zod';
import type * as OpenAI from 'openai/resources/realtime/realtime';
import { getConformanceValidator } from '../conformance/index.js';
import type { OpenAIRealtimeSession, OpenAITranscription } from './openai-session.js';
import type {
  RealtimeModel,
  RealtimeReasoningEffort,
  RealtimeTranscriptionDelay,
  RealtimeTranscriptionModel,
} from './session-config.js';
import {
  parseRouteRequest,
  realtimeBootstrapSchema,
  realtimeSessionConfigSchema,
  toOpenAISession,
  type RealtimeBootstrap,
  type RealtimeSessionConfig,
} from '../server/index.js';

// Compile-time: the documented interfaces and the schemas describe the same shapes, both ways.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sessionTypesAgree: Same<z.infer<typeof realtimeSessionConfigSchema>, RealtimeSessionConfig> = true;
const bootstrapTypesAgree: Same<z.infer<typeof realtimeBootstrapSchema>, RealtimeBootstrap> = true;

// Compile-time: our names for the newer fields agree with the `openai` package's types (7.60), and what
// the wire mapping writes fits the package's request shapes. A new `openai` version that drops or
// renames one fails `npm run typecheck`. (Voice names cannot be compared: the package types them as
// `string | 'alloy' | …`, which TypeScript reduces to `string`.)
type Known<T> = T extends string ? (string extends T ? never : T) : never;
type Request = OpenAI.RealtimeSessionCreateRequest;
const modelsKnown: Same<Exclude<Known<RealtimeModel>, Known<Exclude<Request['model'], undefined>>>, never> = true;
const transcriptionModelsKnown: Same<Exclude<Known<RealtimeTranscriptionModel>, Known<Exclude<OpenAI.AudioTranscription['model'], undefined>>>, never> = true;
const effortsAgree: Same<RealtimeReasoningEffort, OpenAI.RealtimeReasoningEffort> = true;
const delaysAgree: Same<RealtimeTranscriptionDelay, NonNullable<OpenAI.AudioTranscription['delay']>> = true;
type Fits<A, B> = [A] extends [B] ? true : false;
const wireFits: Fits<
  [OpenAIRealtimeSession['reasoning'], OpenAIRealtimeSession['truncation'], OpenAIRealtimeSession['prompt'], OpenAITranscription, OpenAIRealtimeSession['audio']['output']['voice']],
  [Request['reasoning'], Request['truncation'], Request['prompt'], OpenAI.AudioTranscription, OpenAI.RealtimeAudioConfigOutput['voice']]
> = true;

test('the newer fields agree with the openai package types (checked when compiling)', () => {
  assert.equal(modelsKnown && transcriptionModelsKnown && effortsAgree && delaysAgree && wireFits, true);
});

const validator = getConformanceValidator();
const defaults = { model: 'gpt-realtime', voice: 'marin' };

test('the documented types and the zod schemas agree', () => {
  assert.equal(sessionTypesAgree && bootstrapTypesAgree, true);
});

/** Parses `session` through the route's request schema and returns the error's field and message. */
function rejection(session: unknown): { field: string; message: string } {
  try {
    parseRouteRequest({ adapter: 'openai-agents-webrtc', session });
  } catch (error: any) {
    assert.equal(error.code, 'invalid_request');
    assert.equal(error.status, 400);
    return { field: error.field, message: error.message };
  }
  assert.fail(`accepted ${JSON.stringify(session)}`);
}

test('out-of-range values are refused with a message naming the field and the allowed range', () => {
  const cases: Array<[unknown, string, RegExp]> = [
    [{ speed: 0.2 }, 'session.speed', /session\.speed: must be between 0\.25 and 1\.5/],
    [{ speed: 1.51 }, 'session.speed', /session\.speed: must be between 0\.25 and 1\.5/],
    [{ speed: 'fast' }, 'session.speed', /session\.speed: must be between 0\.25 and 1\.5/],
    [{ maxOutputTokens: 0 }, 'session.maxOutputTokens', /session\.maxOutputTokens: must be an integer between 1 and 4096, or "inf"/],
    [{ maxOutputTokens: 4097 }, 'session.maxOutputTokens', /between 1 and 4096, or "inf"/],
    [{ maxOutputTokens: 10.5 }, 'session.maxOutputTokens', /between 1 and 4096, or "inf"/],
    [{ maxOutputTokens: 'infinite' }, 'session.maxOutputTokens', /between 1 and 4096, or "inf"/],
    [{ turnDetection: { type: 'server_vad', threshold: 1.2 } }, 'session.turnDetection.threshold', /session\.turnDetection\.threshold: must be between 0 and 1/],
    [{ turnDetection: { type: 'server_vad', threshold: -0.1 } }, 'session.turnDetection.threshold', /between 0 and 1/],
    [{ turnDetection: { type: 'server_vad', idleTimeoutMs: 1000 } }, 'session.turnDetection.idleTimeoutMs', /between 5000 and 30000/],
    [{ turnDetection: { type: 'server_vad', silenceDurationMs: -1 } }, 'session.turnDetection.silenceDurationMs', /between 0 and 10000/],
    [{ turnDetection: { type: 'server_vad', prefixPaddingMs: 20_000 } }, 'session.turnDetection.prefixPaddingMs', /between 0 and 10000/],
    [{ turnDetection: { type: 'semantic_vad', eagerness: 'eager' } }, 'session.turnDetection.eagerness', /low|medium|high|auto/],
    [{ turnDetection: { type: 'push_to_talk' } }, 'session.turnDetection.type', /server_vad.*semantic_vad/],
    [{ outputModalities: ['audio', 'text'] }, 'session.outputModalities', /\["audio"\] or \["text"\]/],
    [{ outputModalities: ['video'] }, 'session.outputModalities[0]', /audio|text/],
    [{ noiseReduction: 'studio' }, 'session.noiseReduction', /near_field|far_field/],
    [{ toolChoice: 'sometimes' }, 'session.toolChoice', /"auto", "none", "required"/],
    [{ tools: [{ type: 'function', name: 'has space' }] }, 'session.tools[0].name', /1–64 letters/],
    [{ tools: [{ type: 'function', name: 'a' }, { type: 'function', name: 'a' }] }, 'session.tools[1].name', /duplicate tool name "a"/],
    [{ tools: [{ type: 'function', name: 'a' }], toolChoice: { type: 'function', name: 'b' } }, 'session.toolChoice.name', /names no tool/],
    [{ tools: [{ type: 'mcp', server_label: 'x' }] }, 'session.tools[0].type', /function/],
    [{ voice: '' }, 'session.voice', /session\.voice/],
    [{ modle: 'gpt-realtime' }, 'session.modle', /unknown field modle/],
    [{ inputTranscription: { model: 'whisper-1', lang: 'en' } }, 'session.inputTranscription.lang', /unknown field lang/],
  ];
  for (const [session, field, message] of cases) {
    const got = rejection(session);
    assert.equal(got.field, field, JSON.stringify(session));
    assert.match(got.message, message, JSON.stringify(session));
  }
});

test('values at the edges of each range are accepted', () => {
  const edges: RealtimeSessionConfig[] = [
    { speed: 0.25 },
    { speed: 1.5 },
    { maxOutputTokens: 1 },
    { maxOutputTokens: 4096 },
    { maxOutputTokens: 'inf' },
    { turnDetection: { type: 'server_vad', threshold: 0, idleTimeoutMs: 5000 } },
    { turnDetection: { type: 'server_vad', threshold: 1, idleTimeoutMs: 30000 } },
    { turnDetection: null, inputTranscription: null, noiseReduction: null },
    { provider: 'openai' },
  ];
  for (const session of edges) {
    assert.deepEqual(parseRouteRequest({ adapter: 'openai-websocket', session }).session, session);
    const wire = toOpenAISession(session, defaults);
    const check = validator.validateCallSession(wire);
    assert.ok(check.valid, `${JSON.stringify(session)}: ${check.errors.join('; ')}`);
  }
});

test('the request body schema names the field at fault for adapter, transport and sdp', () => {
  const cases: Array<[unknown, string]> = [
    [{}, 'adapter'],
    [{ adapter: 'gemini-live' }, 'adapter'],
    [{ adapter: 'openai-websocket', transport: 'carrier-pigeon' }, 'transport'],
    [{ adapter: 'openai-webrtc', sdp: 'hello' }, 'sdp'],
    [{ adapter: 'openai-webrtc', sdp: 42 }, 'sdp'],
    [{ adapter: 'openai-websocket', session: [] }, 'session'],
    [{ adapter: 'openai-websocket', extra: true }, 'extra'],
    ['just a string', '(body)'],
  ];
  for (const [body, field] of cases) {
    assert.throws(() => parseRouteRequest(body), (error: any) => error.field === field && error.status === 400, JSON.stringify(body));
  }
});

test('a bootstrap with a non-ws URL, a missing secret or an unknown adapter fails the browser-side schema', () => {
  const session = { model: 'gpt-realtime', voice: 'marin' };
  const secret = { value: 'ek_1', expiresAt: 1 };
  assert.ok(realtimeBootstrapSchema.safeParse({ adapter: 'openai-websocket', transport: 'websocket', clientSecret: secret, session, url: 'wss://x/v1/realtime?model=m' }).success);
  assert.ok(!realtimeBootstrapSchema.safeParse({ adapter: 'openai-websocket', transport: 'websocket', clientSecret: secret, session, url: 'https://x/v1/realtime' }).success);
  assert.ok(!realtimeBootstrapSchema.safeParse({ adapter: 'openai-agents-webrtc', transport: 'webrtc', session, callsUrl: 'https://x/v1/realtime/calls' }).success);
  assert.ok(!realtimeBootstrapSchema.safeParse({ adapter: 'openai-webrtc', transport: 'websocket', answerSdp: 'v=0', callId: 'rtc_1', session }).success);
  assert.ok(!realtimeBootstrapSchema.safeParse({ adapter: 'other', transport: 'webrtc', session }).success);
});

test('the generated JSON Schema of the session config is current (scripts/generate-session-schema.ts)', async () => {
  const { readFileSync } = await import('node:fs');
  const { renderSessionConfigSchemaModule } = await import('../../scripts/generate-session-schema.js');
  const current = readFileSync(new URL('./session-config.schema.ts', import.meta.url), 'utf8');
  assert.equal(current, renderSessionConfigSchemaModule(), 'run: node --import tsx scripts/generate-session-schema.ts');
});
