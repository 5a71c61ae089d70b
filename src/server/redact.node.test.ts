import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containsSecret, MIN_SECRET_FRAGMENT, redactSecrets } from './redact.js';

const OPENAI_KEY = 'sk-proj-Q7hX2vLm9KpR4tW8yB1cD5fG0jS3nU6e';
/** Not key-shaped: only scrubbing that knows the configured key can hide it. */
const PLAIN_KEY = 'azure-7f3a9c2e5b1d4a6f8e0c9b8a';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const b64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

function assertScrubbed(text: string, key: string, what: string): string {
  const out = redactSecrets(text, [key]);
  assert.ok(out.includes('[redacted]'), `${what}: something was redacted in ${JSON.stringify(out)}`);
  for (let i = 0; i + MIN_SECRET_FRAGMENT <= key.length; i += 1) {
    assert.ok(!out.includes(key.slice(i, i + MIN_SECRET_FRAGMENT)), `${what}: piece ${i} of the key survived in ${JSON.stringify(out)}`);
  }
  return out;
}

test('a configured key without the sk- prefix is scrubbed whole, wherever it appears', () => {
  const out = assertScrubbed(`Incorrect API key provided: ${PLAIN_KEY}. Bearer ${PLAIN_KEY}`, PLAIN_KEY, 'plain key');
  assert.equal(out, 'Incorrect API key provided: [redacted]. Bearer [redacted]');
});

test('prefixes, suffixes and the key without its sk- prefix are scrubbed (8 characters or more)', () => {
  for (const piece of [OPENAI_KEY.slice(0, 12), OPENAI_KEY.slice(0, 20), OPENAI_KEY.slice(3), OPENAI_KEY.slice(8), OPENAI_KEY.slice(-10), PLAIN_KEY.slice(0, 9)]) {
    const key = piece.startsWith('azure') ? PLAIN_KEY : OPENAI_KEY;
    assertScrubbed(`the upstream said: key ${piece}… was refused`, key, `piece ${piece}`);
  }
  // Seven characters alone are not the key: ordinary text survives.
  assert.equal(redactSecrets('azure-7 is a region', [PLAIN_KEY]), 'azure-7 is a region');
});

test('base64 forms: the key, Basic user:key, :key, base64url, glued to other text', () => {
  for (const key of [OPENAI_KEY, PLAIN_KEY]) {
    for (const [what, text] of [
      ['base64 of the key', `token ${b64(key)}`],
      ['Basic user:key', `Authorization: Basic ${b64(`api:${key}`)}`],
      ['Basic :key', `Authorization: Basic ${b64(`:${key}`)}`],
      ['long user', `Basic ${b64(`someone@example.com:${key}`)}`],
      ['base64url', `jwt-ish ${b64url(`{"k":"${key}"}`)}`],
      ['Bearer base64', `Bearer ${b64(key)}`],
      ['glued', `x=${b64(`u:${key}`)}`],
      ['a prefix only, in base64', `Basic ${b64(`u:${key.slice(0, 14)}`)}`],
    ] as const) {
      const out = redactSecrets(text, [key]);
      assert.ok(!out.includes(b64(key).slice(4, 20)) && out.includes('[redacted]'), `${what} (${key.slice(0, 5)}…): ${out}`);
    }
  }
});

test('key-shaped text is scrubbed even when not configured; other base64 and text is left alone', () => {
  assert.equal(redactSecrets('leaked sk-abc123456 and rk_live_xyz', []), 'leaked [redacted] and [redacted]');
  const harmless = `Basic ${b64('user:password')} and a uuid 0b5e3e1c-1f5d-4a8e-9a53-4f1f0f7d2b11`;
  assert.equal(redactSecrets(harmless, [PLAIN_KEY]), harmless);
});

test('containsSecret finds the key whole, in part or in base64, and ignores client secrets', () => {
  assert.equal(containsSecret(`{"value":"${OPENAI_KEY}"}`, [OPENAI_KEY]), true);
  assert.equal(containsSecret(`{"value":"${OPENAI_KEY}extra"}`, [OPENAI_KEY]), true, 'a value starting with the key');
  assert.equal(containsSecret(`{"value":"${PLAIN_KEY.slice(0, 16)}"}`, [PLAIN_KEY]), true, 'a prefix of the key');
  assert.equal(containsSecret(`{"value":"${b64(PLAIN_KEY)}"}`, [PLAIN_KEY]), true, 'the key in base64');
  assert.equal(containsSecret('{"value":"ek_test_0123456789abcdef"}', [OPENAI_KEY, PLAIN_KEY]), false);
  assert.equal(containsSecret('anything', [undefined, '', '   ']), false, 'no usable secret');
});
