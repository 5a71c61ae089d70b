// The browser's zod-free bootstrap check (bootstrap-check.ts) against the route's zod schemas
// (src/server/bootstrap.ts): for every adapter the route can answer for, the same bootstraps pass and the
// same broken ones fail. A new adapter on the server fails this test until the browser knows it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REALTIME_ADAPTERS, realtimeBootstrapSchema } from '../../server/bootstrap.js';
import { bootstrapIssues } from './bootstrap-check.js';

const session = { model: 'gpt-realtime', voice: 'marin', instructions: 'Be brief.' };
const secret = { value: 'ek_test', expiresAt: 1_900_000_000 };

const VALID: Record<(typeof REALTIME_ADAPTERS)[number], Record<string, unknown>> = {
  'openai-agents-webrtc': { adapter: 'openai-agents-webrtc', transport: 'webrtc', clientSecret: secret, session, callsUrl: 'https://api.openai.com/v1/realtime/calls' },
  'openai-webrtc': { adapter: 'openai-webrtc', transport: 'webrtc', answerSdp: 'v=0\r\n', callId: 'rtc_1', session },
  'openai-websocket': { adapter: 'openai-websocket', transport: 'websocket', clientSecret: secret, session, url: 'wss://api.openai.com/v1/realtime' },
  'openai-live-webrtc': {
    adapter: 'openai-live-webrtc',
    transport: 'webrtc',
    answerSdp: 'v=0\r\n',
    sessionId: 'live_1',
    session,
    live: { delegation: 'client', allowedClientEvents: 'all' },
  },
};

/** Broken variants of a valid bootstrap: each field missing or of the wrong type, and a few near misses. */
function broken(valid: Record<string, unknown>): Array<[string, unknown]> {
  const cases: Array<[string, unknown]> = [];
  for (const key of Object.keys(valid)) {
    const { [key]: _dropped, ...rest } = valid;
    cases.push([`without ${key}`, rest]);
    cases.push([`${key}: 42`, { ...valid, [key]: 42 }]);
    cases.push([`${key}: ''`, { ...valid, [key]: '' }]);
  }
  if ('clientSecret' in valid) {
    cases.push(['clientSecret.value empty', { ...valid, clientSecret: { ...secret, value: '' } }]);
    cases.push(['clientSecret.expiresAt negative', { ...valid, clientSecret: { ...secret, expiresAt: -1 } }]);
  }
  if ('callsUrl' in valid) cases.push(['callsUrl ws:', { ...valid, callsUrl: 'ws://example.com/calls' }]);
  if ('url' in valid) cases.push(['url https:', { ...valid, url: 'https://example.com/realtime' }]);
  if ('live' in valid) {
    cases.push(['live.delegation unknown', { ...valid, live: { delegation: 'elsewhere', allowedClientEvents: 'all' } }]);
    cases.push(['live.allowedClientEvents a number', { ...valid, live: { delegation: 'client', allowedClientEvents: 3 } }]);
    cases.push(['live.allowedClientEvents a list', { ...valid, live: { delegation: 'responses', allowedClientEvents: ['session.update'] } }]);
  }
  cases.push(['session.voice a number', { ...valid, session: { ...session, voice: 7 } }]);
  cases.push(['another transport', { ...valid, transport: valid.transport === 'webrtc' ? 'websocket' : 'webrtc' }]);
  cases.push(['an unknown adapter', { ...valid, adapter: 'openai-carrier-pigeon' }]);
  cases.push(['an extra field', { ...valid, comesFromANewerServer: true }]);
  return cases;
}

describe('bootstrap check in the browser = the route’s zod schemas', () => {
  it('knows every adapter the route can answer for', () => {
    assert.deepEqual(Object.keys(VALID).sort(), [...REALTIME_ADAPTERS].sort());
  });

  for (const adapter of REALTIME_ADAPTERS) {
    it(`${adapter}: a valid bootstrap passes both`, () => {
      assert.equal(realtimeBootstrapSchema.safeParse(VALID[adapter]).success, true, 'zod');
      assert.deepEqual(bootstrapIssues(VALID[adapter]), []);
    });

    it(`${adapter}: every broken variant is judged the same by both`, () => {
      for (const [what, value] of broken(VALID[adapter])) {
        const zod = realtimeBootstrapSchema.safeParse(value).success;
        const ours = bootstrapIssues(value);
        assert.equal(ours.length === 0, zod, `${what}: zod says ${zod ? 'valid' : 'invalid'}, the browser check ${JSON.stringify(ours)}`);
      }
    });
  }
});
