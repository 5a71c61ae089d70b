// Every field and every bound of RealtimeSessionConfig, through both parsers: the route's zod schema
// (realtimeSessionConfigObjectSchema) and the manager's JSON-Schema parser (parseSessionConfig, over the
// schema generated from the zod one). The two must accept and refuse exactly the same values, and
// each refusal must name the field (and, for numbers, the allowed range).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSessionConfig } from '../manager/session-config-parse.js';
import { RealtimeError } from '../manager/errors.js';
import { describeIssue, realtimeSessionConfigObjectSchema, realtimeSessionConfigSchema } from './session-config.js';

interface Case {
  /** The session config (or anything else) handed to both parsers. */
  value: unknown;
  ok: boolean;
  /** Refusals: the field at fault, dotted (`turnDetection.threshold`, `outputModalities.0`). */
  field?: string;
  /** Refusals of numeric bounds: the range, as both parsers word it. */
  range?: string;
}

const yes = (value: unknown): Case => ({ value, ok: true });
const no = (value: unknown, field?: string, range?: string): Case => ({ value, ok: false, ...(field ? { field } : {}), ...(range ? { range } : {}) });
const chars = (n: number) => 'x'.repeat(n);

const SPEED = 'between 0.25 and 1.5';
const TOKENS = 'an integer between 1 and 4096, or "inf"';
const THRESHOLD = 'between 0 and 1';
const MS_0_10000 = 'an integer between 0 and 10000';
const IDLE = 'an integer between 5000 and 30000';
const RATIO = 'between 0 and 1';
const TOKEN_LIMIT = 'an integer between 0 and 1000000';
const vad = (fields: Record<string, unknown>) => ({ turnDetection: { type: 'server_vad', ...fields } });
const semantic = (fields: Record<string, unknown>) => ({ turnDetection: { type: 'semantic_vad', ...fields } });

const CASES: Record<string, Case[]> = {
  'the config itself': [
    yes({}),
    no(null),
    no([]),
    no('gpt-realtime'),
    no(42),
    no({ modle: 'gpt-realtime' }, 'modle'),
    no({ model: 'gpt-realtime', session: {} }, 'session'),
    no({ output_modalities: ['text'] }, 'output_modalities'),
  ],
  provider: [
    yes({ provider: 'openai' }),
    yes({ provider: chars(1) }),
    yes({ provider: chars(64) }),
    no({ provider: '' }, 'provider'),
    no({ provider: chars(65) }, 'provider'),
    no({ provider: 1 }, 'provider'),
    no({ provider: null }, 'provider'),
  ],
  model: [
    yes({ model: 'gpt-realtime' }),
    yes({ model: chars(1) }),
    yes({ model: chars(128) }),
    no({ model: '' }, 'model'),
    no({ model: chars(129) }, 'model'),
    no({ model: 5 }, 'model'),
    no({ model: null }, 'model'),
  ],
  instructions: [
    yes({ instructions: '' }),
    yes({ instructions: chars(20_000) }),
    no({ instructions: 5 }, 'instructions'),
    no({ instructions: ['a'] }, 'instructions'),
    no({ instructions: null }, 'instructions'),
  ],
  voice: [
    yes({ voice: 'marin' }),
    yes({ voice: chars(1) }),
    yes({ voice: chars(128) }),
    no({ voice: '' }, 'voice'),
    no({ voice: chars(129) }, 'voice'),
    no({ voice: null }, 'voice'),
    no({ voice: 5 }, 'voice'),
    no({ voice: ['marin'] }, 'voice'),
  ],
  'voice (custom voice)': [
    yes({ voice: { id: 'voice_1234' } }),
    yes({ voice: { id: chars(1) } }),
    yes({ voice: { id: chars(128) } }),
    no({ voice: { id: '' } }, 'voice.id'),
    no({ voice: { id: chars(129) } }, 'voice.id'),
    // A wrong type inside a union: zod names the union, the manager the field (a prefix either way).
    no({ voice: { id: 5 } }, 'voice'),
    no({ voice: { id: null } }, 'voice'),
    no({ voice: {} }, 'voice'),
    no({ voice: { id: 'voice_1', name: 'mine' } }, 'voice'),
    no({ voice: { voice_id: 'voice_1' } }, 'voice'),
  ],
  reasoning: [
    yes({ reasoning: {} }),
    yes({ reasoning: { effort: 'minimal' } }),
    yes({ reasoning: { effort: 'low' } }),
    yes({ reasoning: { effort: 'medium' } }),
    yes({ reasoning: { effort: 'high' } }),
    yes({ reasoning: { effort: 'xhigh' } }),
    no({ reasoning: { effort: 'max' } }, 'reasoning.effort'),
    no({ reasoning: { effort: 'HIGH' } }, 'reasoning.effort'),
    no({ reasoning: { effort: null } }, 'reasoning.effort'),
    no({ reasoning: { effort: 2 } }, 'reasoning.effort'),
    no({ reasoning: { effort: 'low', summary: 'auto' } }, 'reasoning'),
    no({ reasoning: 'high' }, 'reasoning'),
    no({ reasoning: null }, 'reasoning'),
  ],
  truncation: [
    yes({ truncation: 'auto' }),
    yes({ truncation: 'disabled' }),
    yes({ truncation: { type: 'retention_ratio', retentionRatio: 0 } }),
    yes({ truncation: { type: 'retention_ratio', retentionRatio: 1 } }),
    yes({ truncation: { type: 'retention_ratio', retentionRatio: 0.8, tokenLimits: {} } }),
    yes({ truncation: { type: 'retention_ratio', retentionRatio: 0.5, tokenLimits: { postInstructions: 0 } } }),
    yes({ truncation: { type: 'retention_ratio', retentionRatio: 0.5, tokenLimits: { postInstructions: 1_000_000 } } }),
    no({ truncation: { type: 'retention_ratio', retentionRatio: -0.01 } }, 'truncation.retentionRatio', RATIO),
    no({ truncation: { type: 'retention_ratio', retentionRatio: 1.01 } }, 'truncation.retentionRatio', RATIO),
    no({ truncation: { type: 'retention_ratio', retentionRatio: '0.5' } }, 'truncation'),
    no({ truncation: { type: 'retention_ratio', retentionRatio: Number.NaN } }, 'truncation'),
    no({ truncation: { type: 'retention_ratio' } }, 'truncation'),
    no({ truncation: { type: 'retention_ratio', retentionRatio: 0.5, tokenLimits: { postInstructions: -1 } } }, 'truncation.tokenLimits.postInstructions', TOKEN_LIMIT),
    no({ truncation: { type: 'retention_ratio', retentionRatio: 0.5, tokenLimits: { postInstructions: 1_000_001 } } }, 'truncation.tokenLimits.postInstructions', TOKEN_LIMIT),
    no({ truncation: { type: 'retention_ratio', retentionRatio: 0.5, tokenLimits: { postInstructions: 10.5 } } }, 'truncation'),
    no({ truncation: { type: 'retention_ratio', retentionRatio: 0.5, tokenLimits: { pre: 1 } } }, 'truncation.tokenLimits'),
    no({ truncation: { type: 'retention_ratio', retention_ratio: 0.5 } }, 'truncation'),
    no({ truncation: { type: 'retention_ratio', retentionRatio: 0.5, extra: 1 } }, 'truncation'),
    no({ truncation: { type: 'auto' } }, 'truncation'),
    no({ truncation: 'enabled' }, 'truncation'),
    no({ truncation: true }, 'truncation'),
    no({ truncation: null }, 'truncation'),
  ],
  prompt: [
    yes({ prompt: null }),
    yes({ prompt: { id: 'pmpt_123' } }),
    yes({ prompt: { id: chars(128), version: chars(64) } }),
    yes({ prompt: { id: 'pmpt_123', version: '2', variables: {} } }),
    yes({ prompt: { id: 'pmpt_123', variables: { city: 'Paris', empty: '', [chars(64)]: chars(8000) } } }),
    yes({ prompt: { id: 'pmpt_123', variables: Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`v${i}`, 'x'])) } }),
    no({ prompt: { id: '' } }, 'prompt.id'),
    no({ prompt: { id: chars(129) } }, 'prompt.id'),
    no({ prompt: { id: 7 } }, 'prompt.id'),
    no({ prompt: {} }, 'prompt'),
    no({ prompt: { id: 'pmpt_123', version: '' } }, 'prompt.version'),
    no({ prompt: { id: 'pmpt_123', version: chars(65) } }, 'prompt.version'),
    no({ prompt: { id: 'pmpt_123', version: null } }, 'prompt.version'),
    no({ prompt: { id: 'pmpt_123', variables: { city: 1 } } }, 'prompt.variables'),
    no({ prompt: { id: 'pmpt_123', variables: { city: { type: 'input_file', file_id: 'file_1' } } } }, 'prompt.variables'),
    no({ prompt: { id: 'pmpt_123', variables: { city: chars(8001) } } }, 'prompt.variables'),
    no({ prompt: { id: 'pmpt_123', variables: { '': 'x' } } }, 'prompt.variables'),
    no({ prompt: { id: 'pmpt_123', variables: { [chars(65)]: 'x' } } }, 'prompt.variables'),
    no({ prompt: { id: 'pmpt_123', variables: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`v${i}`, 'x'])) } }, 'prompt.variables'),
    no({ prompt: { id: 'pmpt_123', variables: ['x'] } }, 'prompt.variables'),
    no({ prompt: { id: 'pmpt_123', variables: null } }, 'prompt.variables'),
    no({ prompt: { id: 'pmpt_123', instructions: 'x' } }, 'prompt'),
    no({ prompt: 'pmpt_123' }, 'prompt'),
  ],
  speed: [
    yes({ speed: 0.25 }),
    yes({ speed: 1 }),
    yes({ speed: 1.5 }),
    no({ speed: 0.2499 }, 'speed', SPEED),
    no({ speed: 1.5001 }, 'speed', SPEED),
    no({ speed: 0 }, 'speed', SPEED),
    no({ speed: -1 }, 'speed', SPEED),
    no({ speed: '1' }, 'speed'),
    no({ speed: null }, 'speed'),
    no({ speed: Number.POSITIVE_INFINITY }, 'speed'),
    no({ speed: Number.NaN }, 'speed'),
  ],
  outputModalities: [
    yes({ outputModalities: ['audio'] }),
    yes({ outputModalities: ['text'] }),
    no({ outputModalities: [] }, 'outputModalities'),
    no({ outputModalities: ['audio', 'text'] }, 'outputModalities'),
    no({ outputModalities: ['text', 'text'] }, 'outputModalities'),
    no({ outputModalities: ['video'] }, 'outputModalities.0'),
    no({ outputModalities: 'audio' }, 'outputModalities'),
    no({ outputModalities: null }, 'outputModalities'),
  ],
  maxOutputTokens: [
    yes({ maxOutputTokens: 1 }),
    yes({ maxOutputTokens: 4096 }),
    yes({ maxOutputTokens: 'inf' }),
    no({ maxOutputTokens: 0 }, 'maxOutputTokens', TOKENS),
    no({ maxOutputTokens: 4097 }, 'maxOutputTokens', TOKENS),
    no({ maxOutputTokens: -1 }, 'maxOutputTokens', TOKENS),
    no({ maxOutputTokens: 100.5 }, 'maxOutputTokens', TOKENS),
    no({ maxOutputTokens: 'Infinity' }, 'maxOutputTokens', TOKENS),
    no({ maxOutputTokens: '100' }, 'maxOutputTokens', TOKENS),
    no({ maxOutputTokens: null }, 'maxOutputTokens', TOKENS),
  ],
  toolChoice: [
    yes({ toolChoice: 'auto' }),
    yes({ toolChoice: 'none' }),
    yes({ toolChoice: 'required' }),
    // The object schema has no cross-field checks: whether the named tool exists is checked by the
    // route's full schema (below) and by the manager against its registry.
    yes({ toolChoice: { type: 'function', name: 'get_weather' } }),
    yes({ toolChoice: { type: 'function', name: chars(64) } }),
    no({ toolChoice: 'sometimes' }, 'toolChoice'),
    no({ toolChoice: { type: 'function' } }, 'toolChoice'),
    no({ toolChoice: { type: 'function', name: '' } }, 'toolChoice'),
    no({ toolChoice: { type: 'function', name: chars(65) } }, 'toolChoice'),
    no({ toolChoice: { type: 'mcp', name: 'x' } }, 'toolChoice'),
    no({ toolChoice: { type: 'function', name: 'x', extra: 1 } }, 'toolChoice'),
    no({ toolChoice: null }, 'toolChoice'),
  ],
  'turnDetection (kind)': [
    yes({ turnDetection: null }),
    yes(vad({})),
    yes(semantic({})),
    no({ turnDetection: { type: 'push_to_talk' } }, 'turnDetection.type'),
    no({ turnDetection: {} }, 'turnDetection'),
    no({ turnDetection: 'server_vad' }, 'turnDetection'),
    no({ turnDetection: false }, 'turnDetection'),
  ],
  'turnDetection (server_vad)': [
    yes(vad({ threshold: 0, prefixPaddingMs: 0, silenceDurationMs: 0, idleTimeoutMs: 5000, createResponse: false, interruptResponse: false })),
    yes(vad({ threshold: 1, prefixPaddingMs: 10_000, silenceDurationMs: 10_000, idleTimeoutMs: 30_000, createResponse: true, interruptResponse: true })),
    yes(vad({ threshold: 0.5, idleTimeoutMs: null })),
    no(vad({ threshold: -0.01 }), 'turnDetection.threshold', THRESHOLD),
    no(vad({ threshold: 1.01 }), 'turnDetection.threshold', THRESHOLD),
    no(vad({ threshold: '0.5' }), 'turnDetection.threshold'),
    no(vad({ threshold: null }), 'turnDetection.threshold'),
    no(vad({ prefixPaddingMs: -1 }), 'turnDetection.prefixPaddingMs', MS_0_10000),
    no(vad({ prefixPaddingMs: 10_001 }), 'turnDetection.prefixPaddingMs', MS_0_10000),
    no(vad({ prefixPaddingMs: 2.5 }), 'turnDetection.prefixPaddingMs', MS_0_10000),
    no(vad({ silenceDurationMs: -1 }), 'turnDetection.silenceDurationMs', MS_0_10000),
    no(vad({ silenceDurationMs: 10_001 }), 'turnDetection.silenceDurationMs', MS_0_10000),
    no(vad({ silenceDurationMs: 0.5 }), 'turnDetection.silenceDurationMs', MS_0_10000),
    no(vad({ silenceDurationMs: null }), 'turnDetection.silenceDurationMs'),
    no(vad({ idleTimeoutMs: 4999 }), 'turnDetection.idleTimeoutMs', IDLE),
    no(vad({ idleTimeoutMs: 30_001 }), 'turnDetection.idleTimeoutMs', IDLE),
    no(vad({ idleTimeoutMs: 6000.5 }), 'turnDetection.idleTimeoutMs', IDLE),
    no(vad({ idleTimeoutMs: 0 }), 'turnDetection.idleTimeoutMs', IDLE),
    no(vad({ createResponse: 'yes' }), 'turnDetection.createResponse'),
    no(vad({ createResponse: null }), 'turnDetection.createResponse'),
    no(vad({ interruptResponse: 1 }), 'turnDetection.interruptResponse'),
    no(vad({ eagerness: 'high' }), 'turnDetection'),
    no(vad({ silence_duration_ms: 200 }), 'turnDetection'),
  ],
  'turnDetection (semantic_vad)': [
    yes(semantic({ eagerness: 'low' })),
    yes(semantic({ eagerness: 'medium' })),
    yes(semantic({ eagerness: 'high' })),
    yes(semantic({ eagerness: 'auto', createResponse: false, interruptResponse: false })),
    no(semantic({ eagerness: 'eager' }), 'turnDetection.eagerness'),
    no(semantic({ eagerness: null }), 'turnDetection.eagerness'),
    no(semantic({ createResponse: 'no' }), 'turnDetection.createResponse'),
    no(semantic({ interruptResponse: 0 }), 'turnDetection.interruptResponse'),
    no(semantic({ threshold: 0.5 }), 'turnDetection'),
    no(semantic({ silenceDurationMs: 200 }), 'turnDetection'),
  ],
  inputTranscription: [
    yes({ inputTranscription: null }),
    yes({ inputTranscription: {} }),
    yes({ inputTranscription: { model: 'whisper-1', language: 'en', prompt: '' } }),
    yes({ inputTranscription: { model: chars(1), language: chars(2), prompt: chars(4000) } }),
    yes({ inputTranscription: { model: chars(100), language: chars(35) } }),
    no({ inputTranscription: { model: '' } }, 'inputTranscription.model'),
    no({ inputTranscription: { model: chars(101) } }, 'inputTranscription.model'),
    no({ inputTranscription: { model: 1 } }, 'inputTranscription.model'),
    no({ inputTranscription: { language: 'e' } }, 'inputTranscription.language'),
    no({ inputTranscription: { language: chars(36) } }, 'inputTranscription.language'),
    no({ inputTranscription: { prompt: chars(4001) } }, 'inputTranscription.prompt'),
    no({ inputTranscription: { model: 'whisper-1', lang: 'en' } }, 'inputTranscription'),
    no({ inputTranscription: { languages: ['en'], keyword: ['x'] } }, 'inputTranscription'),
    no({ inputTranscription: 'whisper-1' }, 'inputTranscription'),
    no({ inputTranscription: true }, 'inputTranscription'),
  ],
  'inputTranscription (newer models and options)': [
    yes({ inputTranscription: { model: 'gpt-transcribe', languages: ['en', 'fr'], keywords: ['Charivo', 'WebRTC'] } }),
    yes({ inputTranscription: { model: 'gpt-live-transcribe', languages: Array.from({ length: 16 }, () => 'en'), keywords: [] } }),
    yes({ inputTranscription: { model: 'gpt-realtime-whisper', delay: 'minimal' } }),
    yes({ inputTranscription: { model: 'gpt-4o-transcribe-diarize' } }),
    yes({ inputTranscription: { delay: 'xhigh', keywords: Array.from({ length: 100 }, () => chars(100)) } }),
    yes({ inputTranscription: { languages: [chars(2), chars(35)] } }),
    no({ inputTranscription: { languages: [] } }, 'inputTranscription.languages'),
    no({ inputTranscription: { languages: Array.from({ length: 17 }, () => 'en') } }, 'inputTranscription.languages'),
    no({ inputTranscription: { languages: ['e'] } }, 'inputTranscription.languages.0'),
    no({ inputTranscription: { languages: [chars(36)] } }, 'inputTranscription.languages.0'),
    no({ inputTranscription: { languages: 'en' } }, 'inputTranscription.languages'),
    no({ inputTranscription: { keywords: [''] } }, 'inputTranscription.keywords.0'),
    no({ inputTranscription: { keywords: [chars(101)] } }, 'inputTranscription.keywords.0'),
    no({ inputTranscription: { keywords: Array.from({ length: 101 }, () => 'x') } }, 'inputTranscription.keywords'),
    no({ inputTranscription: { keywords: [1] } }, 'inputTranscription.keywords.0'),
    no({ inputTranscription: { keywords: 'Charivo' } }, 'inputTranscription.keywords'),
    no({ inputTranscription: { delay: 'none' } }, 'inputTranscription.delay'),
    no({ inputTranscription: { delay: null } }, 'inputTranscription.delay'),
    no({ inputTranscription: { delay: 1 } }, 'inputTranscription.delay'),
  ],
  noiseReduction: [
    yes({ noiseReduction: 'near_field' }),
    yes({ noiseReduction: 'far_field' }),
    yes({ noiseReduction: null }),
    no({ noiseReduction: 'studio' }, 'noiseReduction'),
    no({ noiseReduction: { type: 'near_field' } }, 'noiseReduction'),
    no({ noiseReduction: true }, 'noiseReduction'),
  ],
  providerOptions: [
    yes({ providerOptions: {} }),
    yes({ providerOptions: { truncation: 'disabled', tracing: null, audio: { output: { voice: 'ash' } } } }),
    no({ providerOptions: null }, 'providerOptions'),
    no({ providerOptions: [] }, 'providerOptions'),
    no({ providerOptions: 'truncation' }, 'providerOptions'),
  ],
  'every field at once': [
    yes({
      provider: 'openai',
      model: 'gpt-realtime',
      instructions: 'Be brief.',
      voice: 'cedar',
      speed: 1.1,
      outputModalities: ['text'],
      maxOutputTokens: 300,
      toolChoice: 'required',
      turnDetection: { type: 'server_vad', threshold: 0.4, prefixPaddingMs: 100, silenceDurationMs: 300, idleTimeoutMs: null, createResponse: true, interruptResponse: false },
      inputTranscription: { model: 'whisper-1', language: 'fr', prompt: 'Bonjour.' },
      noiseReduction: 'far_field',
      reasoning: { effort: 'high' },
      truncation: { type: 'retention_ratio', retentionRatio: 0.7, tokenLimits: { postInstructions: 6000 } },
      prompt: { id: 'pmpt_123', version: '3', variables: { city: 'Lyon' } },
      providerOptions: { tracing: 'auto' },
    }),
    yes({ model: 'gpt-realtime-2', voice: { id: 'voice_1234' }, inputTranscription: { model: 'gpt-transcribe', languages: ['fr'], keywords: ['Lyon'] } }),
    no({ speed: 2, maxOutputTokens: 0 }, 'speed', SPEED),
  ],
};

/** `outputModalities[0]` (zod's wording) → `outputModalities.0`. */
const dotted = (field: string) => field.replace(/\[(\d+)\]/g, '.$1');

function zodOutcome(value: unknown): { ok: true } | { ok: false; fields: string[]; messages: string[] } {
  const result = realtimeSessionConfigObjectSchema.safeParse(value);
  if (result.success) return { ok: true };
  const described = result.error.issues.map((issue) => describeIssue(issue));
  return { ok: false, fields: described.map((d) => dotted(d.field)), messages: described.map((d) => d.message) };
}

function managerOutcome(value: unknown): { ok: true; parsed: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, parsed: parseSessionConfig(value, 'startSession') };
  } catch (error) {
    assert.ok(error instanceof RealtimeError, `not a RealtimeError: ${String(error)}`);
    assert.equal(error.code, 'invalid_argument');
    return { ok: false, message: error.message };
  }
}

for (const [group, cases] of Object.entries(CASES)) {
  test(`session config bounds: ${group}`, () => {
    for (const c of cases) {
      const label = `${group}: ${JSON.stringify(c.value, (_k, v) => (typeof v === 'string' && v.length > 20 ? `<${v.length} chars>` : Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Infinity' : v))}`;
      const zod = zodOutcome(c.value);
      const manager = managerOutcome(c.value);
      assert.equal(zod.ok, c.ok, `zod ${c.ok ? 'refused' : 'accepted'} ${label}${zod.ok ? '' : `: ${zod.messages.join('; ')}`}`);
      assert.equal(manager.ok, c.ok, `manager ${c.ok ? 'refused' : 'accepted'} ${label}${manager.ok ? '' : `: ${manager.message}`}`);
      if (manager.ok) {
        // Accepted configs come back as they were given.
        assert.deepEqual(manager.parsed, c.value, label);
        continue;
      }
      if (zod.ok) continue;
      if (process.env.DUMP_MESSAGES) console.log(`${label}\n  zod: ${zod.messages.join('; ')}\n  manager: ${manager.message}`);
      assert.match(manager.message, /^startSession: /, label);
      if (c.field) {
        // zod names the field in its issue path; the manager leads its message with it.
        // Either may point deeper (the unknown key itself, the branch's own field): a prefix is enough.
        assert.ok(zod.fields.some((f) => f === c.field || f.startsWith(`${c.field}.`)), `zod named ${zod.fields.join(', ')} instead of ${c.field} for ${label}`);
        assert.ok(
          manager.message.includes(`startSession: ${c.field}`) || manager.message.includes(`; ${c.field}`),
          `manager message "${manager.message}" does not lead with ${c.field} for ${label}`,
        );
      }
      if (c.range) {
        assert.ok(zod.messages.some((m) => m.includes(`${c.field}: must be ${c.range}`)), `zod: "${zod.messages.join('; ')}" lacks "${c.field}: must be ${c.range}" for ${label}`);
        assert.ok(manager.message.includes(`${c.field}: must be ${c.range}`), `manager: "${manager.message}" lacks "${c.field}: must be ${c.range}" for ${label}`);
      }
    }
  });
}

test('the manager leaves tools to its registry: it drops them unchecked, while the route’s schema checks them', () => {
  const cases: Array<[unknown, string]> = [
    [{ tools: [{ type: 'function', name: 'has space' }] }, 'tools.0.name'],
    [{ tools: [{ type: 'function', name: chars(65) }] }, 'tools.0.name'],
    [{ tools: [{ type: 'function' }] }, 'tools.0.name'],
    [{ tools: [{ type: 'mcp', server_label: 'x' }] }, 'tools.0.type'],
    [{ tools: [{ type: 'function', name: 'a', parameters: [] }] }, 'tools.0.parameters'],
    [{ tools: [{ type: 'function', name: 'a', extra: true }] }, 'tools.0'],
    [{ tools: {} }, 'tools'],
  ];
  for (const [value, field] of cases) {
    const zod = zodOutcome(value);
    assert.equal(zod.ok, false, JSON.stringify(value));
    if (!zod.ok) assert.ok(zod.fields.some((f) => f.startsWith(field)), `${zod.fields.join(', ')} vs ${field}`);
    assert.deepEqual(managerOutcome(value), { ok: true, parsed: {} }, JSON.stringify(value));
  }
  const good = { tools: [{ type: 'function', name: 'get_weather', description: 'd', parameters: { type: 'object' } }, { type: 'function', name: chars(64) }] };
  assert.equal(zodOutcome(good).ok, true);
  assert.deepEqual(managerOutcome(good), { ok: true, parsed: {} });
});

test('the route’s full schema adds the cross-field checks: unique tool names, a named tool choice that exists', () => {
  const tool = (name: string) => ({ type: 'function' as const, name });
  assert.equal(realtimeSessionConfigSchema.safeParse({ tools: [tool('a'), tool('b')], toolChoice: { type: 'function', name: 'b' } }).success, true);
  const duplicate = realtimeSessionConfigSchema.safeParse({ tools: [tool('a'), tool('a')] });
  assert.equal(duplicate.success, false);
  assert.deepEqual(duplicate.error!.issues.map((i) => describeIssue(i).field), ['tools[1].name']);
  const missing = realtimeSessionConfigSchema.safeParse({ tools: [tool('a')], toolChoice: { type: 'function', name: 'b' } });
  assert.equal(missing.success, false);
  assert.deepEqual(missing.error!.issues.map((i) => describeIssue(i).field), ['toolChoice.name']);
  // Every case the object schema refuses, the full schema refuses too (and accepts what it accepts, tools aside).
  for (const cases of Object.values(CASES)) {
    for (const c of cases) {
      const namedChoice = typeof (c.value as { toolChoice?: unknown } | null)?.toolChoice === 'object' && c.ok;
      assert.equal(realtimeSessionConfigSchema.safeParse(c.value).success, c.ok && !namedChoice, JSON.stringify(c.value));
    }
  }
});

// Wording of the manager's messages where unions make it easy to get wrong.
test(
  'manager: a server_vad-only key under semantic_vad is reported as an unknown field, not as out of range',
  () => {
    const outcome = managerOutcome({ turnDetection: { type: 'semantic_vad', threshold: 0.5 } });
    assert.equal(outcome.ok, false);
    if (!outcome.ok) assert.match(outcome.message, /turnDetection\.threshold: unknown field/);
  },
);

test(
  'manager: a tool choice object of an unknown type lists the allowed types',
  () => {
    const outcome = managerOutcome({ toolChoice: { type: 'mcp', name: 'x' } });
    assert.equal(outcome.ok, false);
    if (!outcome.ok) assert.match(outcome.message, /toolChoice\.type: must be one of "function"$/);
  },
);
