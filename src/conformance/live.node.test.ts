import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { ClientEvent, ServerEvent } from 'openai/resources/live/live';
import { renderLiveSchema } from '../../scripts/generate-live-schema.js';
import { getLiveConformanceValidator } from './live.js';

const validator = getLiveConformanceValidator();

test('schema/openai-live.schema.json was generated from the installed openai package and is current', () => {
  const committed = readFileSync(new URL('../../schema/openai-live.schema.json', import.meta.url), 'utf8');
  const installed = (JSON.parse(readFileSync(new URL('../../node_modules/openai/package.json', import.meta.url), 'utf8')) as { version: string }).version;
  assert.equal((JSON.parse(committed) as Record<string, unknown>)['x-openai-version'], installed, 'run: npm run schemas');
  assert.equal(renderLiveSchema(), committed, 'stale: run npm run schemas (or node --import tsx scripts/generate-live-schema.ts)');
});

test('the schema knows every Live event type, both ways, and the nested Responses stream', () => {
  for (const type of ['session.started', 'session.input_transcript.delta', 'session.output_transcript.delta', 'session.delegation.created', 'response.event', 'session.usage.updated', 'session.closed', 'error', 'info']) {
    assert.ok(validator.serverEventTypes.has(type), type);
  }
  for (const type of ['session.input_audio.mute', 'session.input_audio.unmute', 'session.commentary.append', 'session.thinking.append', 'response.item.create', 'response.create', 'session.close', 'session.output_audio.fixture.play']) {
    assert.ok(validator.clientEventTypes.has(type), type);
  }
  for (const type of ['response.created', 'response.output_item.added', 'response.function_call_arguments.delta', 'response.output_text.delta', 'response.completed']) {
    assert.ok(validator.nestedEventTypes.has(type), type);
  }
});

// Typed by the package itself: if these compile and validate, schema and types agree.
const goodClient: ClientEvent[] = [
  { type: 'session.input_audio.mute', event_id: 'c1' },
  { type: 'session.commentary.append', content: 'Your order ships Monday.', delegation_id: 'del_1' },
  { type: 'session.thinking.append', content: 'Still checking.', delegation_id: null },
  { type: 'response.item.create', item: { type: 'function_call_output', call_id: 'call_1', output: '{"ok":true}' } },
  { type: 'response.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hello' }] } },
  { type: 'response.create' },
  { type: 'session.close' },
];
const goodServer: ServerEvent[] = [
  { type: 'session.input_transcript.delta', event_id: 'e1', delta: 'hi ', start_ms: 0, end_ms: 200 },
  { type: 'session.usage.updated', event_id: 'e2', usage: { seconds: 3.5 }, context_window: { usage_ratio: 0.01 } },
  { type: 'session.delegation.created', event_id: 'e3', offset_ms: 1200, delegation: { id: 'del_1', target: 'client', type: 'delegation' } },
  { type: 'error', event_id: 'e4', error: { type: 'invalid_request_error', code: 'x', message: 'no' } },
];

test('well-formed events validate', () => {
  for (const event of goodClient) assert.deepEqual(validator.validateClientEvent(event).errors, [], event.type);
  for (const event of goodServer) assert.deepEqual(validator.validateServerEvent(event).errors, [], event.type);
});

test('malformed events fail, naming the problem', () => {
  const missing = validator.validateClientEvent({ type: 'session.commentary.append', content: 'x' });
  assert.equal(missing.valid, false);
  assert.match(missing.errors.join(' '), /delegation_id/);
  const extra = validator.validateClientEvent({ type: 'session.input_audio.mute', mute: true });
  assert.equal(extra.valid, false, 'unknown fields are refused (the types are closed)');
  assert.equal(validator.validateServerEvent({ type: 'session.usage.updated', event_id: 'e', usage: {} }).valid, false);
  assert.match(validator.validateServerEvent({ type: 'session.created', event_id: 'e' }).errors[0]!, /unknown Live server event type/);
  assert.match(validator.validateClientEvent({}).errors[0]!, /no string "type"/);
});

test('a response.event is checked together with the Responses event it nests', () => {
  const outer = { type: 'response.event', event_id: 'e', delegation_id: 'del_1' };
  const good = { ...outer, event: { type: 'response.output_text.delta', item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'Hi', logprobs: [], sequence_number: 3 } };
  assert.deepEqual(validator.validateServerEvent(good).errors, []);
  const bad = { ...outer, event: { type: 'response.output_text.delta', delta: 'Hi' } };
  const result = validator.validateServerEvent(bad);
  assert.equal(result.valid, false);
  assert.match(result.definition!, /LiveNestedResponseEvent/);
});

test('the create request and answer of POST /v1/live/sessions', () => {
  const request = {
    session: {
      model: 'gpt-live-1',
      instructions: 'Be brief.',
      audio: { output: { voice: 'marin' } },
      delegation: { type: 'responses', responses: { model: 'gpt-5.5', tools: [{ type: 'function', name: 'lookup', parameters: { type: 'object' } }] } },
      client: { data_channel: { allowed_client_events: ['session.input_audio.mute'] } },
      input: [{ role: 'user', content: [{ type: 'input_text', text: 'Earlier question' }] }],
    },
    transport: { type: 'webrtc', sdp: 'v=0\r\n' },
  };
  assert.deepEqual(validator.validateCreateRequest(request).errors, []);
  assert.equal(validator.validateCreateRequest({ ...request, session: { ...request.session, type: 'live' } }).valid, false, 'MediaSessionConfig has no type field');
  assert.deepEqual(validator.validateCreateAnswer({ session: { id: 'live_1' }, transport: { type: 'webrtc', sdp: 'v=0\r\n' } }).errors, []);
});
