/**
 * Secret scrubbing. Upstream error messages are shown to browsers and written to logs, and OpenAI's
 * own messages can quote the key ("Incorrect API key provided: sk-…"), so every such text passes here.
 * @packageDocumentation
 */

/** Key-shaped tokens: OpenAI secret, admin, restricted and ephemeral keys, masked or not. */
const KEY_LIKE = /\b(?:sk|rk|ek)[-_][A-Za-z0-9_\-*.]{3,}/g;

/** Longest upstream text we pass on; enough for any real error message, bounded against floods. */
export const MAX_MESSAGE_LENGTH = 500;

/**
 * Returns `text` with every occurrence of each secret, and anything shaped like an API key, replaced
 * by `[redacted]`.
 */
export function redactSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret) out = out.split(secret).join('[redacted]');
  }
  return out.replace(KEY_LIKE, '[redacted]');
}

/** Cuts `text` to {@link MAX_MESSAGE_LENGTH} characters (after redaction, so no secret is split). */
export function limitLength(text: string, max = MAX_MESSAGE_LENGTH): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
