import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { getConformanceValidator } from '../conformance/index.js';
import { startRealtimeEmulator, type RealtimeEmulator } from './index.js';
import { postJson } from './test-support.node.js';

const validator = getConformanceValidator();

describe('emulator HTTP endpoints', () => {
  let emulator: RealtimeEmulator;
  before(async () => {
    emulator = await startRealtimeEmulator({ validate: true });
  });
  after(() => emulator.close());

  test('reports its URLs and key', () => {
    assert.match(emulator.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(emulator.baseUrl, `${emulator.url}/v1`);
    assert.equal(emulator.callsUrl, `${emulator.url}/v1/realtime/calls`);
    assert.equal(emulator.apiKey, 'sk-emulator');
  });

  test('client_secrets without a key is 401 with an OpenAI-style error', async () => {
    const { status, json } = await postJson(`${emulator.baseUrl}/realtime/client_secrets`, { session: { type: 'realtime' } });
    assert.equal(status, 401);
    assert.equal(json.error.type, 'invalid_request_error');
    assert.equal(json.error.code, 'missing_api_key');
    assert.equal(typeof json.error.message, 'string');
  });

  test('client_secrets with a wrong key is 401 and does not echo the key', async () => {
    const { status, json } = await postJson(`${emulator.baseUrl}/realtime/client_secrets`, {}, 'sk-wrong-key-123456');
    assert.equal(status, 401);
    assert.equal(json.error.code, 'invalid_api_key');
    assert.doesNotMatch(json.error.message, /wrong-key-123456/);
  });

  test('client_secrets refuses an ephemeral key', async () => {
    const secret = emulator.createClientSecret();
    const { status } = await postJson(`${emulator.baseUrl}/realtime/client_secrets`, {}, secret.value);
    assert.equal(status, 401);
  });

  test('client_secrets issues an ek_ secret shaped like OpenAI’s response', async () => {
    const request = {
      expires_after: { anchor: 'created_at', seconds: 120 },
      session: {
        type: 'realtime',
        model: 'gpt-realtime',
        instructions: 'Be brief.',
        audio: { output: { voice: 'marin' } },
        tools: [{ type: 'function', name: 'setExpression', parameters: { type: 'object', properties: {} } }],
      },
    };
    assert.ok(validator.validateClientSecretRequest(request).valid);
    const before = Math.floor(Date.now() / 1000);
    const { status, json } = await postJson(`${emulator.baseUrl}/realtime/client_secrets`, request, emulator.apiKey);
    assert.equal(status, 200);
    const check = validator.validateClientSecretResponse(json);
    assert.ok(check.valid, check.errors.join('; '));
    assert.match(json.value, /^ek_/);
    assert.ok(json.expires_at >= before + 120 && json.expires_at <= before + 122);
    assert.equal(json.session.instructions, 'Be brief.');
    assert.equal(json.session.audio.output.voice, 'marin');
    assert.equal(json.session.tools[0].name, 'setExpression');
    assert.match(json.session.id, /^sess_/);
  });

  test('client_secrets rejects bad input with 400 and a param', async () => {
    const url = `${emulator.baseUrl}/realtime/client_secrets`;
    const badTtl = await postJson(url, { expires_after: { seconds: 5 } }, emulator.apiKey);
    assert.equal(badTtl.status, 400);
    assert.equal(badTtl.json.error.param, 'expires_after.seconds');
    const badSession = await postJson(url, { session: { type: 'realtime', voice_of_doom: true } }, emulator.apiKey);
    assert.equal(badSession.status, 400);
    assert.equal(badSession.json.error.code, 'unknown_parameter');
    const noType = await postJson(url, { session: { instructions: 'x' } }, emulator.apiKey);
    assert.equal(noType.status, 400);
    assert.equal(noType.json.error.param, 'session.type');
    const notJson = await fetch(url, { method: 'POST', headers: { Authorization: `Bearer ${emulator.apiKey}` }, body: '{oops' });
    assert.equal(notJson.status, 400);
    assert.equal(((await notJson.json()) as { error: { code: string } }).error.code, 'invalid_json');
  });

  test('oversized bodies are refused with 413', async () => {
    const huge = 'x'.repeat(2 * 1024 * 1024);
    const response = await fetch(`${emulator.baseUrl}/realtime/client_secrets`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${emulator.apiKey}`, 'Content-Type': 'application/json' },
      body: huge,
    });
    assert.equal(response.status, 413);
  });

  test('CORS: preflight allows SDK headers and any requested ones; Location is exposed', async () => {
    const preflight = await fetch(`${emulator.baseUrl}/realtime/calls`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://localhost:8000',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization,content-type,x-openai-agents-sdk,x-custom-thing',
      },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
    const allowed = preflight.headers.get('access-control-allow-headers')!.toLowerCase();
    for (const header of ['authorization', 'content-type', 'x-openai-agents-sdk', 'x-custom-thing']) assert.ok(allowed.includes(header), header);
    assert.match(preflight.headers.get('access-control-allow-methods')!, /POST/);
    const actual = await postJson(`${emulator.baseUrl}/realtime/client_secrets`, {}, emulator.apiKey);
    assert.equal(actual.headers.get('access-control-allow-origin'), '*');
    assert.match(actual.headers.get('access-control-expose-headers')!, /Location/);
  });

  test('calls: auth, content type and SDP are checked before any peer is made', async () => {
    const url = emulator.callsUrl;
    const noKey = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/sdp' }, body: 'v=0\r\n' });
    assert.equal(noKey.status, 401);
    const badSecret = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/sdp', Authorization: 'Bearer ek_nope' }, body: 'v=0\r\n' });
    assert.equal(badSecret.status, 401);
    assert.equal(((await badSecret.json()) as { error: { code: string } }).error.code, 'invalid_client_secret');
    const secret = emulator.createClientSecret();
    const notSdp = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/sdp', Authorization: `Bearer ${secret.value}` }, body: 'hello' });
    assert.equal(notSdp.status, 400);
    const wrongType = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${secret.value}` }, body: '{}' });
    assert.equal(wrongType.status, 415);
  });

  test('control endpoints list sessions and validate fault input', async () => {
    const sessions = (await (await fetch(`${emulator.url}/_emulator/sessions`)).json()) as { sessions: unknown[] };
    assert.ok(Array.isArray(sessions.sessions));
    const missing = await fetch(`${emulator.url}/_emulator/sessions/sess_nope/events`);
    assert.equal(missing.status, 404);
    const bad = await postJson(`${emulator.url}/_emulator/faults`, { faults: { teleport: true } });
    assert.equal(bad.status, 400);
    const badStatus = await postJson(`${emulator.url}/_emulator/faults`, { faults: { refuseSdp: 200 } });
    assert.equal(badStatus.status, 400);
    const ok = await postJson(`${emulator.url}/_emulator/faults`, { faults: { delayMs: 0 } });
    assert.equal(ok.status, 200);
    const current = (await (await fetch(`${emulator.url}/_emulator/faults`)).json()) as { faults: Record<string, unknown> };
    assert.deepEqual(current.faults, { delayMs: 0 });
    await postJson(`${emulator.url}/_emulator/faults`, { faults: {} });
  });

  test('unknown paths are 404 in OpenAI style', async () => {
    const response = await fetch(`${emulator.baseUrl}/chat/completions`, { method: 'POST' });
    assert.equal(response.status, 404);
    assert.equal(((await response.json()) as { error: { type: string } }).error.type, 'invalid_request_error');
  });
});
