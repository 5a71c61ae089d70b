// The second description of the wire: the JSON Schema generated from the `openai` package's types
// (schema/openai-realtime.types.schema.json). It is current; it closes what a client sends (a field the
// types do not name fails, which OpenAI's published schema alone lets through); it checks the newer
// session fields both ways; and the differences between it and the published schema are pinned, so a
// refresh of either (a new `openai` version, a new OpenAPI cut) shows up here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createConformanceValidator, getConformanceValidator } from './index.js';
import { widenLaggingResponseShapes } from './published-schema-lag.js';

const validator = getConformanceValidator();
const publishedOnly = createConformanceValidator(undefined, null);
const readJson = (path: string) => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as Record<string, any>;
const published = readJson('../../schema/openai-realtime.schema.json');
const types = readJson('../../schema/openai-realtime.types.schema.json');
const installedOpenAI = readJson('../../node_modules/openai/package.json').version as string;

test('the types schema was generated from the installed openai package and is current', async () => {
  assert.equal(types['x-openai-version'], installedOpenAI, 'run: node --import tsx scripts/generate-openai-types-schema.ts');
  const { renderOpenAITypesSchema } = await import('../../scripts/generate-openai-types-schema.js');
  const committed = readFileSync(new URL('../../schema/openai-realtime.types.schema.json', import.meta.url), 'utf8');
  assert.equal(committed, renderOpenAITypesSchema(), 'run: node --import tsx scripts/generate-openai-types-schema.ts');
});

const session = (fields: Record<string, unknown>) => ({ type: 'realtime', model: 'gpt-realtime-2', ...fields });
const update = (fields: Record<string, unknown>) => ({ type: 'session.update', event_id: 'evt_1', session: session(fields) });
const audio = (input: Record<string, unknown>, output: Record<string, unknown> = {}) => ({ audio: { input, output } });

test('a field the types do not name fails what a client sends, though the published schema alone lets it through', () => {
  const misspelt = [
    update({ reasonning: { effort: 'high' } }),
    update({ reasoning: { effort: 'high', summary: 'auto' } }),
    update({ truncation: { type: 'retention_ratio', retention_ratio: 0.5, retentionRatio: 0.5 } }),
    update({ prompt: { id: 'pmpt_1', vars: {} } }),
    update(audio({ transcription: { model: 'gpt-transcribe', keyword: ['x'] } })),
    update(audio({ noise_reduction: { type: 'near_field', strenght: 0.5 } })),
  ];
  for (const event of misspelt) {
    assert.equal(publishedOnly.validateClientEvent(event).valid, true, `published alone: ${JSON.stringify(event.session)}`);
    const result = validator.validateClientEvent(event);
    assert.equal(result.valid, false, JSON.stringify(event.session));
    assert.equal(result.typesDefinition, 'SessionUpdateEvent');
    assert.match(result.errors.join('\n'), /\(openai [\d.]+ types\) .*additional properties/);
  }
});

test('the newer session fields are checked as session.update, client secret and call session', () => {
  const good: Array<Record<string, unknown>> = [
    { reasoning: { effort: 'minimal' } },
    { reasoning: { effort: 'xhigh' } },
    { truncation: 'auto' },
    { truncation: 'disabled' },
    { truncation: { type: 'retention_ratio', retention_ratio: 0.8, token_limits: { post_instructions: 4000 } } },
    { prompt: { id: 'pmpt_1', version: '2', variables: { city: 'Lyon' } } },
    { prompt: null },
    audio({}, { voice: { id: 'voice_1234' } }),
    audio({}, { voice: 'cedar' }),
    audio({ transcription: { model: 'gpt-transcribe', languages: ['en', 'fr'], keywords: ['Charivo'] } }),
    audio({ transcription: { model: 'gpt-realtime-whisper', delay: 'low' } }),
    audio({ turn_detection: { type: 'server_vad', idle_timeout_ms: 6000 } }),
  ];
  const bad: Array<Record<string, unknown>> = [
    { reasoning: { effort: 'max' } },
    { reasoning: 'high' },
    { truncation: 'enabled' },
    { truncation: { type: 'retention_ratio' } },
    { truncation: { type: 'retention_ratio', retention_ratio: 1.5 } },
    { truncation: { type: 'retention_ratio', retention_ratio: 0.5, token_limits: { post_instructions: 'many' } } },
    { prompt: { version: '1' } },
    { prompt: 'pmpt_1' },
    audio({}, { voice: { id: 5 } }),
    audio({}, { voice: {} }),
    audio({ transcription: { keywords: 'Charivo' } }),
    audio({ transcription: { delay: 'slow' } }),
    audio({ transcription: { languages: [] } }),
  ];
  for (const fields of good) {
    for (const [what, result] of [
      ['session.update', validator.validateClientEvent(update(fields))],
      ['client secret', validator.validateClientSecretRequest({ session: session(fields) })],
      ['call session', validator.validateCallSession(session(fields))],
    ] as const) {
      assert.ok(result.valid, `${what} ${JSON.stringify(fields)}: ${result.errors.join('; ')}`);
    }
  }
  for (const fields of bad) {
    assert.equal(validator.validateClientEvent(update(fields)).valid, false, `session.update ${JSON.stringify(fields)}`);
    assert.equal(validator.validateClientSecretRequest({ session: session(fields) }).valid, false, `client secret ${JSON.stringify(fields)}`);
    assert.equal(validator.validateCallSession(session(fields)).valid, false, `call session ${JSON.stringify(fields)}`);
  }
});

test('server events: the session reported may carry fields the types leave out, but what the types name is typed', () => {
  const reported = {
    ...session({ reasoning: { effort: 'low' }, truncation: 'auto', prompt: { id: 'pmpt_1', version: null, variables: null } }),
    object: 'realtime.session',
    id: 'sess_1',
    expires_at: 1_900_000_000,
    ...audio({ transcription: { model: 'gpt-transcribe', keywords: ['x'], delay: 'low' } }, { voice: { id: 'voice_1234' } }),
  };
  for (const type of ['session.created', 'session.updated']) {
    // The published response shape lags (no custom voice, no newer transcription options): widened.
    assert.equal(publishedOnly.validateServerEvent({ type, event_id: 'event_1', session: reported }).valid, false);
    const result = validator.validateServerEvent({ type, event_id: 'event_1', session: reported });
    assert.ok(result.valid, `${type}: ${result.errors.join('; ')}`);
    assert.equal(validator.validateServerEvent({ type, event_id: 'event_1', session: { ...reported, reasoning: { effort: 'max' } } }).valid, false);
    assert.equal(validator.validateServerEvent({ type, event_id: 'event_1', session: { ...reported, ...audio({}, { voice: { id: 5 } }) } }).valid, false);
  }
  const timeout = { type: 'input_audio_buffer.timeout_triggered', event_id: 'event_2', audio_start_ms: 13_216, audio_end_ms: 19_232, item_id: 'item_1' };
  const ok = validator.validateServerEvent(timeout);
  assert.ok(ok.valid, ok.errors.join('; '));
  assert.equal(ok.typesDefinition, 'InputAudioBufferTimeoutTriggered');
  const { item_id: _missing, ...withoutItem } = timeout;
  assert.equal(validator.validateServerEvent(withoutItem).valid, false);
  assert.equal(validator.validateServerEvent({ ...timeout, audio_end_ms: '19232' }).valid, false);
});

test('both descriptions know the same event types', () => {
  const union = (name: string) =>
    new Set<string>(types.definitions[name].anyOf.map((ref: { $ref: string }) => types.definitions[ref.$ref.split('/').pop()!].properties.type.const));
  assert.deepEqual(union('RealtimeClientEvent'), validator.clientEventTypes);
  assert.deepEqual(union('RealtimeServerEvent'), validator.serverEventTypes);
});

/** Dotted paths of every property `node` can hold (through `$ref`s, unions and array items). */
function fieldPaths(defs: Record<string, any>, node: any, prefix = '', seen = new Set<string>(), out = new Set<string>()): Set<string> {
  while (node && typeof node.$ref === 'string') {
    const name = node.$ref.split('/').pop()!;
    if (seen.has(name)) return out;
    seen = new Set([...seen, name]);
    node = defs[name];
  }
  if (!node || typeof node !== 'object') return out;
  for (const key of ['anyOf', 'oneOf', 'allOf']) for (const branch of node[key] ?? []) fieldPaths(defs, branch, prefix, seen, out);
  for (const [key, value] of Object.entries(node.properties ?? {})) {
    out.add(prefix + key);
    fieldPaths(defs, value, `${prefix}${key}.`, seen, out);
  }
  if (node.items && typeof node.items === 'object' && !Array.isArray(node.items)) fieldPaths(defs, node.items, `${prefix}[].`, seen, out);
  return out;
}

test('the differences between the published schema and the openai types are the known ones', () => {
  const widened = structuredClone(published.$defs);
  widenLaggingResponseShapes(widened);
  const byType = (defs: Record<string, any>, names: string[]) =>
    new Map(names.map((name) => [defs[name].properties.type.const ?? defs[name].properties.type.enum[0], name] as const));
  const publishedEvents = byType(widened, Object.keys(widened).filter((n) => /^Realtime(Server|Client)Event./.test(n)));
  const typedEvents = byType(types.definitions, [...types.definitions.RealtimeClientEvent.anyOf, ...types.definitions.RealtimeServerEvent.anyOf].map((r: any) => r.$ref.split('/').pop()));
  const pairs: Array<[string, string, string]> = [
    ['call session', 'RealtimeSessionCreateRequestGA', 'RealtimeSessionCreateRequest'],
    ['client secret request', 'RealtimeCreateClientSecretRequest', 'ClientSecretCreateParams'],
    ['client secret response', 'RealtimeCreateClientSecretResponse', 'ClientSecretCreateResponse'],
    ...[...publishedEvents].map(([type, name]): [string, string, string] => [type, name, typedEvents.get(type)!]),
  ];
  const differences: Record<string, { publishedOnly?: string[]; typesOnly?: string[] }> = {};
  for (const [what, ours, theirs] of pairs) {
    const a = fieldPaths(widened, widened[ours]);
    const b = fieldPaths(types.definitions, types.definitions[theirs]);
    const publishedOnlyPaths = [...a].filter((p) => !b.has(p)).sort();
    const typesOnlyPaths = [...b].filter((p) => !a.has(p)).sort();
    if (publishedOnlyPaths.length || typesOnlyPaths.length) {
      differences[what] = { ...(publishedOnlyPaths.length ? { publishedOnly: publishedOnlyPaths } : {}), ...(typesOnlyPaths.length ? { typesOnly: typesOnlyPaths } : {}) };
    }
  }
  if (process.env.DUMP_DIFFERENCES) console.log(JSON.stringify(differences, null, 2));
  assert.deepEqual(differences, KNOWN_DIFFERENCES);
});

// Newer in the types than in the published cut: noise reduction strength, parallel tool calls in the
// reported session, an error message in response status details. The reported session's `id`,
// `object` and `expires_at` are on the wire but not in the types, and the types' client-secret
// response still reports the voice as a name only.
const STRENGTH = 'audio.input.noise_reduction.strength';
const REPORTED_SESSION = { publishedOnly: ['session.expires_at', 'session.id', 'session.object'], typesOnly: [`session.${STRENGTH}`, 'session.parallel_tool_calls'] };
const KNOWN_DIFFERENCES: Record<string, { publishedOnly?: string[]; typesOnly?: string[] }> = {
  'call session': { typesOnly: [STRENGTH] },
  'client secret request': { typesOnly: [`session.${STRENGTH}`] },
  'client secret response': { publishedOnly: ['session.audio.output.voice.id'], typesOnly: [`session.${STRENGTH}`] },
  'session.update': { typesOnly: [`session.${STRENGTH}`] },
  'response.created': { typesOnly: ['response.status_details.error.message'] },
  'response.done': { typesOnly: ['response.status_details.error.message'] },
  'session.created': REPORTED_SESSION,
  'session.updated': REPORTED_SESSION,
};
