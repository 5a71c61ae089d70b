/**
 * Secret scrubbing. Upstream error messages are shown to browsers and written to logs, and upstreams
 * quote what they were sent ("Incorrect API key provided: sk-…", a proxy echoing `Authorization:
 * Basic …`), so every such text passes here.
 *
 * A configured secret is found whole, in part (any run of {@link MIN_SECRET_FRAGMENT} or more of its
 * characters: a truncated key, the key without its `sk-` prefix) and inside base64 (`Bearer`/`Basic`
 * forms such as base64 of `user:key`). Anything shaped like an OpenAI key is scrubbed too, configured
 * or not.
 * @packageDocumentation
 */

/** Key-shaped tokens: OpenAI secret, admin, restricted and ephemeral keys, masked or not. */
const KEY_LIKE = /\b(?:sk|rk|ek)[-_][A-Za-z0-9_\-*.]{3,}/g;

/** Runs of base64 or base64url long enough to hide a fragment of a key. */
const BASE64_RUN = /[A-Za-z0-9+/_-]{12,}={0,2}/g;

/**
 * Shortest piece of a secret that counts as the secret. Eight characters of a random key narrow a
 * guess by ~48 bits; shorter pieces (`sk-`) are everywhere in ordinary text.
 */
export const MIN_SECRET_FRAGMENT = 8;

/** Longest upstream text we pass on; enough for any real error message, bounded against floods. */
export const MAX_MESSAGE_LENGTH = 500;

const REDACTED = '[redacted]';

/**
 * Returns `text` with every occurrence of each secret (whole, in part, or base64-encoded), and
 * anything shaped like an API key, replaced by `[redacted]`.
 */
export function redactSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text;
  for (const secret of usable(secrets)) out = scrubSecret(out, secret);
  return out.replace(KEY_LIKE, REDACTED);
}

/**
 * Whether `text` holds any of the secrets (whole, in part or base64-encoded). Key-shaped text that is
 * not one of them does not count: a client secret `ek_…` is meant to reach the browser.
 */
export function containsSecret(text: string, secrets: ReadonlyArray<string | undefined>): boolean {
  return usable(secrets).some((secret) => scrubSecret(text, secret) !== text);
}

/** Cuts `text` to {@link MAX_MESSAGE_LENGTH} characters (after redaction, so no secret is split). */
export function limitLength(text: string, max = MAX_MESSAGE_LENGTH): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function usable(secrets: ReadonlyArray<string | undefined>): string[] {
  return secrets.filter((secret): secret is string => typeof secret === 'string' && secret.trim() !== '');
}

function scrubSecret(text: string, secret: string): string {
  // Base64 first: once plain fragments are replaced, a base64 run may no longer decode.
  const decodedHits = text.replace(BASE64_RUN, (run) => (base64Holds(run, secret) ? REDACTED : run));
  return replaceRanges(decodedHits, fragmentRanges(decodedHits, secret));
}

/** `[start, end)` of every run in `text` that is a piece of `secret` at least MIN_SECRET_FRAGMENT long. */
function fragmentRanges(text: string, secret: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  if (secret.length < MIN_SECRET_FRAGMENT) {
    // Too short to have meaningful pieces: only the whole secret counts.
    for (let at = text.indexOf(secret); at !== -1; at = text.indexOf(secret, at + secret.length)) ranges.push([at, at + secret.length]);
    return ranges;
  }
  const grams = new Set<string>();
  for (let i = 0; i + MIN_SECRET_FRAGMENT <= secret.length; i += 1) grams.add(secret.slice(i, i + MIN_SECRET_FRAGMENT));
  let i = 0;
  while (i + MIN_SECRET_FRAGMENT <= text.length) {
    if (!grams.has(text.slice(i, i + MIN_SECRET_FRAGMENT))) {
      i += 1;
      continue;
    }
    let end = i + MIN_SECRET_FRAGMENT;
    while (end < text.length && secret.includes(text.slice(i, end + 1))) end += 1;
    ranges.push([i, end]);
    i = end;
  }
  return ranges;
}

function replaceRanges(text: string, ranges: Array<[number, number]>): string {
  if (ranges.length === 0) return text;
  let out = '';
  let last = 0;
  for (const [start, end] of ranges) {
    out += text.slice(last, start) + REDACTED;
    last = end;
  }
  return out + text.slice(last);
}

/**
 * Whether a base64 (or base64url) run decodes to something holding a piece of `secret`. Tried at the
 * four alignments, because the run may start mid-quantum when it is glued to other text.
 */
function base64Holds(run: string, secret: string): boolean {
  const normalized = run.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
  for (let skip = 0; skip < 4; skip += 1) {
    const body = normalized.slice(skip);
    const usableLength = body.length - (body.length % 4 === 1 ? 1 : 0);
    if (usableLength < 8) break;
    const padded = body.slice(0, usableLength).padEnd(Math.ceil(usableLength / 4) * 4, '=');
    let decoded: string;
    try {
      decoded = atob(padded);
    } catch {
      continue;
    }
    if (fragmentRanges(decoded, secret).length > 0) return true;
  }
  return false;
}
