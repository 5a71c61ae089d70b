/**
 * JSON Pointer (RFC 6901) helpers shared by the argument validator and the result sanitiser, so both
 * report locations the same way the model sees its own JSON.
 * @packageDocumentation
 */

/**
 * Appends one reference token to a pointer. Property names may contain `/` or `~`; escaping them keeps
 * the path unambiguous when it is sent back to the model.
 */
export function appendPointer(pointer: string, token: string | number): string {
  return `${pointer}/${String(token).replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

/**
 * Splits a local `$ref` fragment (`#`, `#/$defs/name`) into unescaped tokens, or returns `undefined`
 * for anything that is not a local fragment: remote documents are never fetched for untrusted input.
 */
export function parseLocalRef(ref: string): string[] | undefined {
  if (ref === '#') return [];
  if (!ref.startsWith('#/')) return undefined;
  try {
    return ref
      .slice(2)
      .split('/')
      .map((token) => decodeURIComponent(token).replaceAll('~1', '/').replaceAll('~0', '~'));
  } catch {
    // A malformed percent-escape is a broken schema, reported by the caller as an unresolvable ref.
    return undefined;
  }
}
