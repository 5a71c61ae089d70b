// The bootstrap's `policy`: what describePolicyForBrowser says for each policy setting, that the route
// puts it on every bootstrap, that it matches what the route minted, and that the bootstrap schema
// stays backward compatible (no policy, unknown fields from a newer server).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyPolicy,
  composeInstructions,
  createOpenAIRealtimeProvider,
  createRealtimeRoute,
  describePolicyForBrowser,
  LIVE_FIXED_FIELDS,
  realtimeBootstrapSchema,
  resolvePolicy,
  type RealtimeRoutePolicy,
} from './index.js';
import { SDP_OFFER, startFakeUpstream, TEST_API_KEY, type FakeUpstream } from './test-fixtures.node.js';

let upstream: FakeUpstream;
before(async () => {
  upstream = await startFakeUpstream();
});
after(() => upstream.close());

const view = (policy: RealtimeRoutePolicy) => describePolicyForBrowser(resolvePolicy(policy));

test('the default policy locks the model and the prompt (no prompt is allowed) and says how instructions work', () => {
  const described = view({});
  assert.deepEqual(described.locked, ['model', 'prompt']);
  assert.deepEqual(described.instructions, { mode: 'append', maxLength: 8000 });
  assert.deepEqual(described.allowed, { providerOptions: [] });
  assert.deepEqual(described.bounds, { maxTools: 32, maxToolBytes: 32 * 1024, toolTextChars: 8000 });
});

test('each setting is described', () => {
  const cases: Array<[string, RealtimeRoutePolicy, (d: ReturnType<typeof view>) => void]> = [
    ['append with server instructions', { instructions: 'S', clientInstructions: 'append', maxInstructionLength: 50 }, (d) => {
      assert.deepEqual(d.instructions, { mode: 'append', server: 'S', maxLength: 50 });
      assert.ok(!d.locked.includes('instructions'));
    }],
    ['refuse', { instructions: 'S', clientInstructions: 'refuse' }, (d) => {
      assert.deepEqual(d.instructions, { mode: 'refuse', server: 'S' });
      assert.ok(d.locked.includes('instructions'));
    }],
    ['ignore', { clientInstructions: 'ignore' }, (d) => {
      assert.deepEqual(d.instructions, { mode: 'ignore' });
      assert.ok(!d.locked.includes('instructions'));
    }],
    ['transcription false', { transcription: false }, (d) => assert.ok(d.locked.includes('inputTranscription'))],
    ['fix', { fix: { maxOutputTokens: 100, voice: 'cedar' } }, (d) => {
      assert.ok(d.locked.includes('maxOutputTokens'));
      assert.ok(d.locked.includes('voice'));
    }],
    ['bound', { bound: { maxOutputTokens: 200, speed: { max: 1.2 } } }, (d) => {
      assert.equal(d.bounds?.maxOutputTokens, 200);
      assert.deepEqual(d.bounds?.speed, { min: 0.25, max: 1.2 });
    }],
    ['allow-lists', { allowedModels: ['gpt-realtime'], allowedVoices: ['marin', 'cedar'], allowedProviderOptions: ['truncation'] }, (d) => {
      assert.deepEqual(d.allowed, { model: ['gpt-realtime'], voice: ['marin', 'cedar'], providerOptions: ['truncation'] });
    }],
    ['allowed prompts under append', { allowedPrompts: ['pmpt_1', 'pmpt_2'] }, (d) => {
      assert.ok(!d.locked.includes('prompt'));
      assert.deepEqual(d.allowed?.prompt, ['pmpt_1', 'pmpt_2']);
    }],
    ['allowed prompts under refuse: their variables are page text, so the prompt stays the server’s', { allowedPrompts: ['pmpt_1'], clientInstructions: 'refuse' }, (d) => {
      assert.ok(d.locked.includes('prompt'));
      assert.equal(d.allowed?.prompt, undefined);
    }],
    ['allowed prompts under ignore', { allowedPrompts: ['pmpt_1'], clientInstructions: 'ignore' }, (d) => assert.ok(d.locked.includes('prompt'))],
    ['reasoning effort bound', { bound: { reasoningEffort: 'medium' } }, (d) => assert.equal(d.bounds?.reasoningEffort, 'medium')],
    ['maxTools 0', { maxTools: 0 }, (d) => {
      assert.ok(d.locked.includes('tools'));
      assert.equal(d.bounds?.maxTools, 0);
      assert.equal(d.bounds?.toolTextChars, undefined, 'no tools, no text cap to describe');
    }],
    ['idle timeout bound (ends filled in)', { bound: { idleTimeoutMs: { max: 10_000 } } }, (d) => assert.deepEqual(d.bounds?.idleTimeoutMs, { min: 5000, max: 10_000 })],
    ['tool names, pins and the text cap', { allowedTools: ['lookup', { name: 'orders', description: 'Pinned.', parameters: { type: 'object' } }], maxToolTextChars: 0 }, (d) => {
      assert.deepEqual(d.allowed?.toolNames, ['lookup', 'orders']);
      assert.deepEqual(d.toolPins, [{ name: 'orders', description: 'Pinned.', parameters: { type: 'object' } }]);
      assert.equal(d.bounds?.toolTextChars, 0);
    }],
    ['transcription models', { allowedTranscriptionModels: ['gpt-4o-mini-transcribe'] }, (d) => assert.deepEqual(d.allowed?.inputTranscriptionModel, ['gpt-4o-mini-transcribe'])],
  ];
  for (const [name, policy, check] of cases) {
    try {
      check(view(policy));
    } catch (error) {
      throw new Error(`${name}: ${(error as Error).message}`);
    }
  }
});

test('the view describes the resolved policy without aliasing it (a page cannot reach back into the server)', () => {
  const resolved = resolvePolicy({ allowedVoices: ['marin'], allowedTools: [{ name: 'orders', parameters: { type: 'object', properties: {} } }] });
  const described = describePolicyForBrowser(resolved);
  described.allowed!.voice!.push('alloy');
  (described.toolPins![0]!.parameters as { properties: Record<string, unknown> }).properties.evil = {};
  assert.deepEqual(resolved.allowedVoices, ['marin']);
  assert.deepEqual(resolved.allowedTools!.get('orders')!.parameters, { type: 'object', properties: {} });
});

test('composeInstructions is what applyPolicy mints: server first, page after a blank line, blank page ignored', () => {
  const resolved = resolvePolicy({ instructions: 'Server.', clientInstructions: 'append' });
  assert.equal(applyPolicy({ instructions: 'Page.' }, resolved).instructions, composeInstructions('Server.', 'Page.', 'append'));
  assert.equal(composeInstructions('Server.', 'Page.', 'append'), 'Server.\n\nPage.');
  assert.equal(composeInstructions('Server.', '   ', 'append'), 'Server.');
  assert.equal(composeInstructions('Server.', 'Page.', 'ignore'), 'Server.');
  assert.equal(composeInstructions(undefined, 'Page.', 'append'), 'Page.');
  assert.equal(composeInstructions(undefined, undefined, 'append'), undefined);
});

for (const adapter of ['openai-agents-webrtc', 'openai-webrtc', 'openai-websocket'] as const) {
  test(`${adapter}: the route puts the policy on the bootstrap, beside the session it minted`, async () => {
    const policy: RealtimeRoutePolicy = { instructions: 'Server.', transcription: false, fix: { maxOutputTokens: 100 }, allowedVoices: ['marin', 'cedar'] };
    const route = createRealtimeRoute({ provider: createOpenAIRealtimeProvider({ apiKey: TEST_API_KEY, baseUrl: upstream.baseUrl }), policy });
    const response = await route(
      new Request('http://app.test/api/realtime', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          adapter,
          session: { instructions: 'Page.', inputTranscription: { model: 'gpt-4o-transcribe' }, voice: 'cedar' },
          ...(adapter === 'openai-webrtc' ? { sdp: SDP_OFFER } : {}),
        }),
      }),
    );
    assert.equal(response.status, 200);
    const bootstrap = await response.json();
    assert.deepEqual(bootstrap.policy, view(policy));
    assert.equal(bootstrap.session.instructions, 'Server.\n\nPage.');
    assert.equal(bootstrap.session.inputTranscription, null);
    assert.equal(bootstrap.session.maxOutputTokens, 100);
    assert.equal(bootstrap.session.voice, 'cedar');
    // The browser's schema keeps it.
    const parsed = realtimeBootstrapSchema.safeParse(bootstrap);
    assert.ok(parsed.success);
    assert.deepEqual(parsed.data.policy, bootstrap.policy);
  });
}

test('bootstrap schema: a bootstrap without policy (an older server) still parses', () => {
  const parsed = realtimeBootstrapSchema.safeParse({
    adapter: 'openai-websocket',
    transport: 'websocket',
    clientSecret: { value: 'ek_1', expiresAt: 1 },
    session: { model: 'gpt-realtime' },
    url: 'wss://api.openai.com/v1/realtime?model=gpt-realtime',
  });
  assert.ok(parsed.success);
  assert.equal(parsed.data.policy, undefined);
});

test('bootstrap schema: what a newer server adds to the policy is dropped, an unknown mode kept (the manager refuses under it)', () => {
  const parsed = realtimeBootstrapSchema.safeParse({
    adapter: 'openai-websocket',
    transport: 'websocket',
    clientSecret: { value: 'ek_1', expiresAt: 1 },
    session: {},
    url: 'wss://example.test/v1/realtime',
    policy: { locked: ['model', 'futureField'], future: { x: 1 }, instructions: { mode: 'summarize', server: 'S' } },
  });
  assert.ok(parsed.success);
  assert.deepEqual(parsed.data.policy, { locked: ['model', 'futureField'], instructions: { mode: 'summarize', server: 'S' } });
});

test('bootstrap schema: a malformed policy is refused (locked must be a list of names)', () => {
  const parsed = realtimeBootstrapSchema.safeParse({
    adapter: 'openai-websocket',
    transport: 'websocket',
    clientSecret: { value: 'ek_1', expiresAt: 1 },
    session: {},
    url: 'wss://example.test/v1/realtime',
    policy: { locked: 'everything' },
  });
  assert.equal(parsed.success, false);
});

test('GPT-Live: the view locks what a Live session fixes at startup, on top of the policy; the other adapters get the plain view', () => {
  const policy = resolvePolicy({ allowedAdapters: ['openai-live-webrtc', 'openai-websocket'], allowedPrompts: ['pmpt_1'], allowedVoices: ['marin'] });
  const plain = describePolicyForBrowser(policy);
  const live = describePolicyForBrowser(policy, 'openai-live-webrtc');
  assert.deepEqual(describePolicyForBrowser(policy, 'openai-websocket'), plain);
  for (const field of LIVE_FIXED_FIELDS) assert.ok(live.locked.includes(field), field);
  for (const field of plain.locked) assert.ok(live.locked.includes(field), `keeps ${field}`);
  assert.equal(new Set(live.locked).size, live.locked.length, 'no field twice');
  assert.ok(!plain.locked.includes('prompt') && plain.allowed?.prompt?.includes('pmpt_1'), 'Realtime may pick the allowed prompt live');
  assert.equal(live.allowed?.prompt, undefined, 'GPT-Live takes no stored prompt');
  assert.deepEqual(live.allowed?.voice, ['marin']);
  assert.deepEqual(live.instructions, plain.instructions);
});
