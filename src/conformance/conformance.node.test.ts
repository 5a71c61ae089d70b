import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { getConformanceValidator } from './index.js';

const validator = getConformanceValidator();
const schema = JSON.parse(
  readFileSync(new URL('../../schema/openai-realtime.schema.json', import.meta.url), 'utf8'),
) as { $defs: Record<string, { 'x-oaiMeta'?: { example?: string } }> };

function examples(prefix: string): Array<[string, unknown]> {
  return Object.entries(schema.$defs)
    .filter(([name, def]) => name.startsWith(prefix) && name !== prefix && def['x-oaiMeta']?.example)
    .flatMap(([name, def]): Array<[string, unknown]> => {
      // A few of OpenAI's examples are abbreviated (comments, ellipses) and are not JSON.
      try {
        return [[name, JSON.parse(def['x-oaiMeta']!.example!)]];
      } catch {
        return [];
      }
    });
}

/**
 * OpenAI's own examples that contradict its schema (beta-era shapes: content type "text" instead of
 * "output_text", `null` where the schema says object or string). The schema is what we follow.
 */
const EXAMPLES_OLDER_THAN_SCHEMA = new Set([
  'RealtimeServerEventConversationItemInputAudioTranscriptionFailed',
  'RealtimeServerEventConversationItemRetrieved',
  'RealtimeServerEventResponseDone',
  'RealtimeServerEventResponseOutputItemDone',
]);

test("OpenAI's example events validate, except the known beta-era ones", () => {
  const failed: string[] = [];
  let passed = 0;
  for (const [name, example] of [...examples('RealtimeServerEvent'), ...examples('RealtimeClientEvent')]) {
    const isServer = name.startsWith('RealtimeServerEvent');
    const result = isServer ? validator.validateServerEvent(example) : validator.validateClientEvent(example);
    assert.equal(result.definition, name, `${name} dispatched by its type`);
    if (result.valid) passed += 1;
    else failed.push(name);
  }
  assert.deepEqual(new Set(failed), EXAMPLES_OLDER_THAN_SCHEMA);
  assert.ok(passed >= 40, `validated ${passed} examples`);
});

test('a server event missing a required field is rejected with a path', () => {
  const result = validator.validateServerEvent({ type: 'response.output_audio_transcript.delta', event_id: 'e1' });
  assert.equal(result.valid, false);
  assert.match(result.errors.join('\n'), /required/);
});

test('unknown event types are rejected by name', () => {
  const result = validator.validateClientEvent({ type: 'session.teleport' });
  assert.equal(result.valid, false);
  assert.match(result.errors[0]!, /unknown client event type "session.teleport"/);
});

test('client session.update with null noise_reduction and transcription validates', () => {
  const result = validator.validateClientEvent({
    type: 'session.update',
    session: {
      type: 'realtime',
      instructions: 'hi',
      audio: { input: { noise_reduction: null, transcription: null, turn_detection: null } },
    },
  });
  assert.ok(result.valid, result.errors.join('; '));
});
