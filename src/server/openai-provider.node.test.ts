import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { getConformanceValidator } from '../conformance/index.js';
import {
  createOpenAIRealtimeProvider,
  MissingApiKeyError,
  realtimeBootstrapSchema,
  UpstreamError,
  type RealtimeSessionConfig,
} from './index.js';
import {
  CALL_ID,
  closedPort,
  hangBehaviour,
  openAIBehaviour,
  rejectKeyBehaviour,
  SDP_ANSWER,
  SDP_OFFER,
  startFakeUpstream,
  TEST_API_KEY,
  type FakeUpstream,
} from './test-fixtures.node.js';

const validator = getConformanceValidator();
let upstream: FakeUpstream;

before(async () => {
  upstream = await startFakeUpstream();
});
after(() => upstream.close());
beforeEach(() => {
  upstream.requests.length = 0;
  upstream.behaviour = openAIBehaviour;
});

const richSession: RealtimeSessionConfig = {
  model: 'gpt-realtime-mini',
  instructions: 'You are Hiyori. Keep replies short.',
  voice: 'cedar',
  speed: 1.1,
  outputModalities: ['audio'],
  maxOutputTokens: 1024,
  toolChoice: 'auto',
  tools: [
    {
      type: 'function',
      name: 'set_expression',
      description: 'Change the avatar expression.',
      parameters: { type: 'object', properties: { name: { type: 'string', enum: ['Smile', 'Sad'] } }, required: ['name'] },
    },
  ],
  turnDetection: { type: 'server_vad', threshold: 0.6, prefixPaddingMs: 300, silenceDurationMs: 500, idleTimeoutMs: 6000, createResponse: true, interruptResponse: true },
  inputTranscription: { model: 'gpt-4o-mini-transcribe', language: 'en', prompt: 'Names: Hiyori.' },
  noiseReduction: 'far_field',
};

function provider() {
  return createOpenAIRealtimeProvider({ apiKey: TEST_API_KEY, baseUrl: upstream.baseUrl });
}

test('openai-agents-webrtc: POSTs a schema-valid client_secrets request with the Bearer key and returns the bootstrap', async () => {
  const bootstrap = await provider().createSession({ adapter: 'openai-agents-webrtc', session: richSession, ttlSeconds: 120 });

  assert.equal(upstream.requests.length, 1);
  const [sent] = upstream.requests;
  assert.equal(sent!.method, 'POST');
  assert.equal(sent!.path, '/v1/realtime/client_secrets');
  assert.equal(sent!.headers.authorization, `Bearer ${TEST_API_KEY}`);
  assert.match(String(sent!.headers['content-type']), /^application\/json/);
  const check = validator.validateClientSecretRequest(sent!.json);
  assert.ok(check.valid, check.errors.join('\n'));

  const body = sent!.json as any;
  assert.deepEqual(body.expires_after, { anchor: 'created_at', seconds: 120 });
  assert.deepEqual(body.session, {
    type: 'realtime',
    model: 'gpt-realtime-mini',
    instructions: 'You are Hiyori. Keep replies short.',
    output_modalities: ['audio'],
    audio: {
      input: {
        format: { type: 'audio/pcm', rate: 24000 },
        transcription: { model: 'gpt-4o-mini-transcribe', language: 'en', prompt: 'Names: Hiyori.' },
        noise_reduction: { type: 'far_field' },
        turn_detection: {
          type: 'server_vad',
          threshold: 0.6,
          prefix_padding_ms: 300,
          silence_duration_ms: 500,
          idle_timeout_ms: 6000,
          create_response: true,
          interrupt_response: true,
        },
      },
      output: { voice: 'cedar', speed: 1.1, format: { type: 'audio/pcm', rate: 24000 } },
    },
    tools: richSession.tools,
    tool_choice: 'auto',
    max_output_tokens: 1024,
  });

  assert.deepEqual(bootstrap, {
    adapter: 'openai-agents-webrtc',
    transport: 'webrtc',
    clientSecret: { value: 'ek_test_0123456789abcdef', expiresAt: 1_760_000_120 },
    session: richSession,
    callsUrl: `${upstream.baseUrl}/realtime/calls`,
  });
  assert.ok(realtimeBootstrapSchema.safeParse(bootstrap).success, 'bootstrap passes the browser-side schema');
});

test('the fake upstream answers client_secrets the way OpenAI documents it (so the tests above mean something)', async () => {
  const response = await fetch(`${upstream.baseUrl}/realtime/client_secrets`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ session: { type: 'realtime' } }),
  });
  const check = validator.validateClientSecretResponse(await response.json());
  assert.ok(check.valid, check.errors.join('\n'));
});

test('OpenAI defaults fill model (gpt-realtime) and voice (marin); the client secret lives 60 s unless told', async () => {
  const bootstrap = await provider().createSession({ adapter: 'openai-agents-webrtc' });
  const body = upstream.requests[0]!.json as any;
  assert.equal(body.session.model, 'gpt-realtime');
  assert.equal(body.session.audio.output.voice, 'marin');
  assert.equal(body.expires_after.seconds, 60);
  assert.ok(validator.validateClientSecretRequest(body).valid);
  assert.deepEqual(bootstrap.session, { model: 'gpt-realtime', voice: 'marin' });
});

test('defaultModel and defaultVoice override the OpenAI defaults', async () => {
  const custom = createOpenAIRealtimeProvider({ apiKey: TEST_API_KEY, baseUrl: upstream.baseUrl, defaultModel: 'gpt-realtime-mini', defaultVoice: 'verse' });
  assert.deepEqual(custom.defaults, { model: 'gpt-realtime-mini', voice: 'verse' });
  await custom.createSession({ adapter: 'openai-websocket' });
  const body = upstream.requests[0]!.json as any;
  assert.equal(body.session.model, 'gpt-realtime-mini');
  assert.equal(body.session.audio.output.voice, 'verse');
});

test('null turns features off on the wire (turn detection, transcription, noise reduction) and stays schema-valid', async () => {
  await provider().createSession({
    adapter: 'openai-agents-webrtc',
    session: { turnDetection: null, inputTranscription: null, noiseReduction: null, outputModalities: ['text'], maxOutputTokens: 'inf' },
  });
  const body = upstream.requests[0]!.json as any;
  assert.equal(body.session.audio.input.turn_detection, null);
  assert.equal(body.session.audio.input.transcription, null);
  assert.equal(body.session.audio.input.noise_reduction, null);
  assert.deepEqual(body.session.output_modalities, ['text']);
  assert.equal(body.session.max_output_tokens, 'inf');
  assert.ok(validator.validateClientSecretRequest(body).valid);
});

test('semantic VAD and a named tool choice map to OpenAI names', async () => {
  await provider().createSession({
    adapter: 'openai-agents-webrtc',
    session: {
      turnDetection: { type: 'semantic_vad', eagerness: 'low', interruptResponse: false },
      tools: [{ type: 'function', name: 'lookup' }],
      toolChoice: { type: 'function', name: 'lookup' },
    },
  });
  const body = upstream.requests[0]!.json as any;
  assert.deepEqual(body.session.audio.input.turn_detection, { type: 'semantic_vad', eagerness: 'low', interrupt_response: false });
  assert.deepEqual(body.session.tool_choice, { type: 'function', name: 'lookup' });
  assert.deepEqual(body.session.tools, [{ type: 'function', name: 'lookup' }]);
  const check = validator.validateClientSecretRequest(body);
  assert.ok(check.valid, check.errors.join('\n'));
});

test('providerOptions reach the wire for fields we do not map, but cannot change the session type', async () => {
  await provider().createSession({
    adapter: 'openai-agents-webrtc',
    session: { providerOptions: { truncation: 'disabled', type: 'transcription', audio: { output: { voice: 'ash' } } }, voice: 'cedar' },
  });
  const session = (upstream.requests[0]!.json as any).session;
  assert.equal(session.truncation, 'disabled');
  assert.equal(session.type, 'realtime');
  assert.equal(session.audio.output.voice, 'cedar', 'the mapped field wins over providerOptions');
  assert.ok(validator.validateClientSecretRequest(upstream.requests[0]!.json).valid);
});

test('openai-websocket: client secret plus a ws URL derived from the base URL', async () => {
  const bootstrap = await provider().createSession({ adapter: 'openai-websocket', session: { model: 'gpt-realtime-mini' } });
  assert.equal(upstream.requests[0]!.path, '/v1/realtime/client_secrets');
  assert.ok(validator.validateClientSecretRequest(upstream.requests[0]!.json).valid);
  assert.deepEqual(bootstrap, {
    adapter: 'openai-websocket',
    transport: 'websocket',
    clientSecret: { value: 'ek_test_0123456789abcdef', expiresAt: 1_760_000_060 },
    session: { model: 'gpt-realtime-mini', voice: 'marin' },
    url: `ws://127.0.0.1:${upstream.port}/v1/realtime?model=gpt-realtime-mini`,
  });
  assert.ok(realtimeBootstrapSchema.safeParse(bootstrap).success);
});

test('https base URLs become wss, through an injected fetch (no network)', async () => {
  const seen: Array<{ url: string; init: RequestInit }> = [];
  const fakeFetch: typeof fetch = async (input, init) => {
    seen.push({ url: String(input), init: init ?? {} });
    return Response.json({ value: 'ek_x', expires_at: 1 });
  };
  const https = createOpenAIRealtimeProvider({ apiKey: TEST_API_KEY, fetch: fakeFetch, baseUrl: 'https://api.openai.com/v1/' });
  const bootstrap = await https.createSession({ adapter: 'openai-websocket' });
  assert.equal(seen[0]!.url, 'https://api.openai.com/v1/realtime/client_secrets');
  assert.equal(bootstrap.adapter === 'openai-websocket' && bootstrap.url, 'wss://api.openai.com/v1/realtime?model=gpt-realtime');
});

test('without baseUrl the provider uses OPENAI_BASE_URL, else api.openai.com; without apiKey, OPENAI_API_KEY (read at call time)', async () => {
  const saved = { base: process.env.OPENAI_BASE_URL, key: process.env.OPENAI_API_KEY };
  const urls: string[] = [];
  const fakeFetch: typeof fetch = async (input) => {
    urls.push(String(input));
    return Response.json({ value: 'ek_x', expires_at: 1 });
  };
  try {
    delete process.env.OPENAI_BASE_URL;
    const envProvider = createOpenAIRealtimeProvider({ fetch: fakeFetch });
    process.env.OPENAI_API_KEY = TEST_API_KEY;
    await envProvider.createSession({ adapter: 'openai-agents-webrtc' });
    assert.equal(urls[0], 'https://api.openai.com/v1/realtime/client_secrets');

    process.env.OPENAI_BASE_URL = upstream.baseUrl;
    const real = createOpenAIRealtimeProvider();
    await real.createSession({ adapter: 'openai-agents-webrtc' });
    assert.equal(upstream.requests.length, 1);
    assert.equal(upstream.requests[0]!.headers.authorization, `Bearer ${TEST_API_KEY}`);
  } finally {
    if (saved.base === undefined) delete process.env.OPENAI_BASE_URL;
    else process.env.OPENAI_BASE_URL = saved.base;
    if (saved.key === undefined) delete process.env.OPENAI_API_KEY;
    else process.env.OPENAI_API_KEY = saved.key;
  }
});

test('openai-webrtc: multipart POST /realtime/calls with sdp and a schema-valid session; answer and call id come back', async () => {
  const bootstrap = await provider().createSession({ adapter: 'openai-webrtc', sdp: SDP_OFFER, session: richSession });

  const [sent] = upstream.requests;
  assert.equal(sent!.method, 'POST');
  assert.equal(sent!.path, '/v1/realtime/calls');
  assert.equal(sent!.headers.authorization, `Bearer ${TEST_API_KEY}`);
  assert.match(String(sent!.headers['content-type']), /^multipart\/form-data; boundary=/);
  assert.deepEqual([...sent!.form!.keys()].sort(), ['sdp', 'session']);
  assert.equal(sent!.form!.get('sdp'), SDP_OFFER);
  const session = JSON.parse(sent!.form!.get('session')!);
  const check = validator.validateCallSession(session);
  assert.ok(check.valid, check.errors.join('\n'));
  assert.equal(session.type, 'realtime');
  assert.equal(session.audio.output.voice, 'cedar');

  assert.deepEqual(bootstrap, {
    adapter: 'openai-webrtc',
    transport: 'webrtc',
    answerSdp: SDP_ANSWER,
    callId: CALL_ID,
    session: richSession,
  });
  assert.ok(realtimeBootstrapSchema.safeParse(bootstrap).success);
});

test('openai-webrtc takes the call id from an absolute Location too', async () => {
  upstream.behaviour = (_request, res) => {
    res.writeHead(201, { 'Content-Type': 'application/sdp', Location: `https://api.openai.com/v1/realtime/calls/rtc_abs?x=1` });
    res.end(SDP_ANSWER);
  };
  const bootstrap = await provider().createSession({ adapter: 'openai-webrtc', sdp: SDP_OFFER });
  assert.equal(bootstrap.adapter === 'openai-webrtc' && bootstrap.callId, 'rtc_abs');
});

test('a missing or empty API key is MissingApiKeyError (500, names OPENAI_API_KEY) and nothing is sent', async () => {
  const saved = process.env.OPENAI_API_KEY;
  delete process.env.OPENAI_API_KEY;
  try {
    for (const apiKey of [undefined, '', '   ']) {
      const keyless = createOpenAIRealtimeProvider({ ...(apiKey === undefined ? {} : { apiKey }), baseUrl: upstream.baseUrl });
      await assert.rejects(keyless.createSession({ adapter: 'openai-agents-webrtc' }), (error: unknown) => {
        assert.ok(error instanceof MissingApiKeyError);
        assert.equal(error.code, 'missing_api_key');
        assert.equal(error.status, 500);
        assert.match(error.message, /OPENAI_API_KEY/);
        return true;
      });
    }
    assert.equal(upstream.requests.length, 0);
  } finally {
    if (saved !== undefined) process.env.OPENAI_API_KEY = saved;
  }
});

test('an upstream error is UpstreamError 502 with the upstream status and message, with the key scrubbed', async () => {
  upstream.behaviour = rejectKeyBehaviour;
  await assert.rejects(provider().createSession({ adapter: 'openai-agents-webrtc' }), (error: unknown) => {
    assert.ok(error instanceof UpstreamError);
    assert.equal(error.code, 'upstream_error');
    assert.equal(error.status, 502);
    assert.equal(error.upstreamStatus, 401);
    assert.match(error.message, /401/);
    assert.match(error.message, /Incorrect API key provided: \[redacted\]/);
    assert.match(error.message, /invalid_api_key/);
    assert.ok(!error.message.includes(TEST_API_KEY));
    return true;
  });
});

test('OpenAI-style masked keys (sk-proj-…) in upstream text are scrubbed as well', async () => {
  upstream.behaviour = (_request, res) => {
    res.writeHead(500, { 'Content-Type': 'text/plain' });
    res.end('gateway says: key sk-proj-abc***************wxyz rejected');
  };
  await assert.rejects(provider().createSession({ adapter: 'openai-websocket' }), (error: unknown) => {
    assert.ok(error instanceof UpstreamError);
    assert.equal(error.upstreamStatus, 500);
    assert.equal(error.message, 'OpenAI answered 500: gateway says: key [redacted] rejected');
    return true;
  });
});

test('an unreachable upstream is upstream_unreachable (502)', async () => {
  const port = await closedPort();
  const unreachable = createOpenAIRealtimeProvider({ apiKey: TEST_API_KEY, baseUrl: `http://127.0.0.1:${port}/v1` });
  await assert.rejects(unreachable.createSession({ adapter: 'openai-agents-webrtc' }), (error: unknown) => {
    assert.ok(error instanceof UpstreamError);
    assert.equal(error.code, 'upstream_unreachable');
    assert.equal(error.status, 502);
    assert.match(error.message, /ECONNREFUSED/);
    return true;
  });
});

test('a signal that times out is upstream_timeout (502)', async () => {
  upstream.behaviour = hangBehaviour;
  const arrived = upstream.nextRequest();
  await assert.rejects(
    provider().createSession({ adapter: 'openai-agents-webrtc' }, { signal: AbortSignal.timeout(50) }),
    (error: unknown) => {
      assert.ok(error instanceof UpstreamError);
      assert.equal(error.code, 'upstream_timeout');
      assert.equal(error.status, 502);
      return true;
    },
  );
  await arrived; // the request did reach the upstream: it was the answer that never came
});

test('answers without the needed parts are upstream_invalid_response (502)', async () => {
  const cases: Array<[string, 'openai-agents-webrtc' | 'openai-webrtc', (res: ServerResponse) => void]> = [
    ['secret without value', 'openai-agents-webrtc', (res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"expires_at":1}')],
    ['secret as HTML', 'openai-agents-webrtc', (res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>hi</html>')],
    ['call without Location', 'openai-webrtc', (res) => res.writeHead(201, { 'Content-Type': 'application/sdp' }).end(SDP_ANSWER)],
    ['call without SDP', 'openai-webrtc', (res) => res.writeHead(201, { Location: '/v1/realtime/calls/rtc_1' }).end('ok')],
  ];
  for (const [name, adapter, reply] of cases) {
    upstream.behaviour = (_request, res) => reply(res);
    await assert.rejects(
      provider().createSession(adapter === 'openai-webrtc' ? { adapter, sdp: SDP_OFFER } : { adapter }),
      (error: unknown) => error instanceof UpstreamError && error.code === 'upstream_invalid_response',
      name,
    );
  }
});

test('the provider itself refuses malformed requests (adapter/transport mismatch, missing or stray SDP, wrong provider)', async () => {
  const p = provider();
  const bad: Array<[unknown, string]> = [
    [{ adapter: 'openai-websocket', transport: 'webrtc' }, 'transport'],
    [{ adapter: 'openai-webrtc' }, 'sdp'],
    [{ adapter: 'openai-agents-webrtc', sdp: SDP_OFFER }, 'sdp'],
    [{ adapter: 'openai-agents-webrtc', session: { provider: 'elevenlabs' } }, 'session.provider'],
    [{ adapter: 'openai-agents-webrtc', session: { speed: 2 } }, 'session.speed'],
  ];
  for (const [request, field] of bad) {
    await assert.rejects(p.createSession(request as never), (error: any) => error.code === 'invalid_request' && error.field === field, field);
  }
  await assert.rejects(p.createSession({ adapter: 'openai-agents-webrtc', ttlSeconds: 5 }), (error: any) => error.code === 'invalid_configuration');
  assert.equal(upstream.requests.length, 0);
});
