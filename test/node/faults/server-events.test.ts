// Fault suite, unit level: the server event mapper both OpenAI transports share gets the same 1,000
// malformed, unknown and mutated events the browser tests inject into live sessions. It never throws,
// only ever emits well-formed transport events, and still maps a normal response afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { OpenAIServerEventMapper, type TransportEmission } from '../../../src/transports/protocol/server-events.js';
import { mutateServerEvents, serverEventExamples, type SchemaWithExamples } from '../../faults/mutations.js';

const schema = JSON.parse(readFileSync(new URL('../../../schema/openai-realtime.schema.json', import.meta.url), 'utf8')) as SchemaWithExamples;
const frames = mutateServerEvents(schema);

/** What each emission's payload must look like, whatever came in. */
function checkEmission(emission: TransportEmission, origin: string): void {
  const payload = emission.payload as unknown as Record<string, unknown>;
  const isString = (key: string) => typeof payload[key] === 'string' && payload[key] !== '';
  const ok = (() => {
    switch (emission.name) {
      case 'assistant:start':
        return isString('responseId');
      case 'assistant:delta':
        return isString('responseId') && isString('delta');
      case 'assistant:done':
        return isString('responseId') && typeof payload.text === 'string' && ['completed', 'cancelled', 'incomplete', 'failed'].includes(String(payload.status));
      case 'tool:call':
        return isString('responseId') && isString('callId') && isString('name') && typeof payload.arguments === 'string';
      case 'user:transcript':
        return isString('itemId') && typeof payload.text === 'string' && typeof payload.final === 'boolean';
      case 'error':
        return payload.error instanceof Error && typeof (payload.error as Error).message === 'string';
      case 'usage':
        return isString('responseId') && typeof payload.usage === 'object' && payload.usage !== null;
      default:
        return true;
    }
  })();
  assert.ok(ok, `${origin}: malformed ${emission.name} payload ${JSON.stringify(payload)}`);
}

test('the generator: 1,000 frames, deterministic, from every parseable example of the schema', () => {
  assert.equal(frames.length, 1000);
  assert.deepEqual(mutateServerEvents(schema).map((f) => f.frame), frames.map((f) => f.frame), 'same seed, same frames');
  assert.ok(serverEventExamples(schema).length >= 40, 'most examples are parseable');
  const kinds = new Set(frames.map((f) => f.mutation));
  assert.ok(kinds.size >= 15, `every mutation kind is used (${[...kinds].join(', ')})`);
  const unparseable = frames.filter((f) => {
    try {
      JSON.parse(f.frame);
      return false;
    } catch {
      return true;
    }
  });
  assert.ok(unparseable.length > 50, 'some frames are not JSON at all');
});

test('OpenAIServerEventMapper: 1,000 mutated events never throw and only emit well-formed events', () => {
  const mapper = new OpenAIServerEventMapper();
  let emitted = 0;
  frames.forEach(({ frame, mutation, definition }, index) => {
    let event: unknown;
    try {
      event = JSON.parse(frame);
    } catch {
      event = frame; // the transports hand unparseable frames over as they are, or drop them
    }
    const origin = `frame ${index} (${mutation} of ${definition})`;
    let out: TransportEmission[] = [];
    assert.doesNotThrow(() => (out = mapper.map(event)), origin);
    assert.ok(Array.isArray(out), origin);
    for (const emission of out) checkEmission(emission, origin);
    emitted += out.length;
  });
  assert.ok(emitted > 0, 'some mutations still map to transport events');

  // The same mapper still maps a normal response afterwards.
  const after = [
    ...mapper.map({ type: 'response.created', event_id: 'e1', response: { id: 'resp_after', status: 'in_progress' } }),
    ...mapper.map({ type: 'response.output_text.delta', event_id: 'e2', response_id: 'resp_after', item_id: 'i', delta: 'still ' }),
    ...mapper.map({ type: 'response.output_text.delta', event_id: 'e3', response_id: 'resp_after', item_id: 'i', delta: 'here' }),
    ...mapper.map({ type: 'response.done', event_id: 'e4', response: { id: 'resp_after', status: 'completed', output: [] } }),
  ];
  assert.deepEqual(
    after.map((e) => e.name),
    ['assistant:start', 'assistant:delta', 'assistant:delta', 'assistant:done'],
  );
  assert.deepEqual(after.at(-1)!.payload, { responseId: 'resp_after', text: 'still here', status: 'completed' });
});

test('OpenAIServerEventMapper: hostile objects (throwing getters, proxies) are ignored, not thrown', () => {
  const mapper = new OpenAIServerEventMapper();
  const throwing = Object.defineProperty({}, 'type', {
    get() {
      throw new Error('getter');
    },
  });
  const proxy = new Proxy(
    {},
    {
      get() {
        throw new Error('trap');
      },
      has() {
        throw new Error('trap');
      },
      ownKeys() {
        throw new Error('trap');
      },
    },
  );
  const responseTrap = { type: 'response.done', response: proxy };
  for (const event of [throwing, proxy, responseTrap, Object.create(null), new Date(), [1, 2], () => {}, Symbol('x')]) {
    assert.doesNotThrow(() => mapper.map(event));
  }
});
