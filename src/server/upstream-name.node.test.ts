// Error messages name the upstream the provider talks to: OpenAI by default, and what the server says
// otherwise (the demo's embedded emulator is "the local emulator", never "OpenAI").
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createOpenAIRealtimeProvider, UpstreamError } from './index.js';
import { closedPort, rejectKeyBehaviour, startFakeUpstream, TEST_API_KEY, type FakeUpstream } from './test-fixtures.node.js';

let upstream: FakeUpstream;
before(async () => {
  upstream = await startFakeUpstream();
  upstream.behaviour = rejectKeyBehaviour;
});
after(() => upstream.close());

test('an upstream refusal names OpenAI by default', async () => {
  const provider = createOpenAIRealtimeProvider({ apiKey: TEST_API_KEY, baseUrl: upstream.baseUrl });
  await assert.rejects(provider.createSession({ adapter: 'openai-websocket' }), (error: unknown) => {
    assert.ok(error instanceof UpstreamError);
    assert.match(error.message, /^OpenAI answered 401/);
    return true;
  });
});

test('upstreamName: refusals and unreachable upstreams name what the server talks to', async () => {
  const provider = createOpenAIRealtimeProvider({ apiKey: TEST_API_KEY, baseUrl: upstream.baseUrl, upstreamName: 'the local emulator' });
  await assert.rejects(provider.createSession({ adapter: 'openai-websocket' }), (error: unknown) => {
    assert.ok(error instanceof UpstreamError);
    assert.match(error.message, /^The local emulator answered 401/);
    assert.doesNotMatch(error.message, /OpenAI/);
    return true;
  });
  const port = await closedPort();
  const unreachable = createOpenAIRealtimeProvider({ apiKey: TEST_API_KEY, baseUrl: `http://127.0.0.1:${port}/v1`, upstreamName: 'the local emulator' });
  await assert.rejects(unreachable.createSession({ adapter: 'openai-websocket' }), (error: unknown) => {
    assert.ok(error instanceof UpstreamError);
    assert.match(error.message, /^Could not reach the local emulator: /);
    return true;
  });
});
