/**
 * Compiles JSON Schema `pattern` strings once. Tool schemas are fixed while the same tool is called many
 * times a session, so recompiling per call would be waste; a bad pattern must not throw mid-call.
 * @packageDocumentation
 */

/** Enough for every pattern a session's tools use; the bound stops unbounded growth from odd callers. */
const MAX_CACHED_PATTERNS = 256;

/** A compiled pattern, or why it could not be compiled. */
export type CompiledPattern = { ok: true; regex: RegExp } | { ok: false; error: string };

const cache = new Map<string, CompiledPattern>();

function compile(pattern: string): CompiledPattern {
  try {
    // JSON Schema specifies ECMA-262 with Unicode semantics, so `u` is tried first…
    return { ok: true, regex: new RegExp(pattern, 'u') };
  } catch {
    // …but hand-written patterns often carry escapes like `\-` that only non-Unicode mode accepts.
    try {
      return { ok: true, regex: new RegExp(pattern) };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  }
}

/**
 * Returns the cached compilation of `pattern`. Patterns are unanchored, as JSON Schema requires, and
 * compiled without the `g` flag so `test()` keeps no state between values.
 */
export function compilePattern(pattern: string): CompiledPattern {
  let compiled = cache.get(pattern);
  if (compiled === undefined) {
    if (cache.size >= MAX_CACHED_PATTERNS) cache.clear();
    compiled = compile(pattern);
    cache.set(pattern, compiled);
  }
  return compiled;
}
