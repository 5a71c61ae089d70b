/**
 * Small, allocation-light helpers over JSON-shaped values, shared by the validator's keywords.
 * @packageDocumentation
 */

/** Beyond this nesting, values are treated as unequal rather than risking a stack overflow. */
const MAX_COMPARE_DEPTH = 512;

/**
 * The JSON Schema type of a value (`integer` is never returned: it is a refinement of `number`), or
 * the `typeof` name for things JSON cannot hold, so messages can say what actually arrived.
 */
export function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Describes a value's type for an error message, with an article: "an array", "null". */
export function describeType(value: unknown): string {
  const type = jsonTypeOf(value);
  if (type === 'null' || type === 'undefined') return type;
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** A short JSON rendering for messages; truncated because the model only needs to recognise it. */
export function formatValue(value: unknown, maxLength = 60): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}

/**
 * Deep equality as JSON Schema defines it for `enum`, `const` and `uniqueItems`: structural, key order
 * ignored, `1` equals `1.0`. Only own enumerable keys count, so inherited names never match.
 */
export function jsonEqual(a: unknown, b: unknown, depth = 0): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (depth > MAX_COMPARE_DEPTH) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => jsonEqual(item, b[index], depth + 1));
  }
  const aKeys = Object.keys(a);
  if (aKeys.length !== Object.keys(b).length) return false;
  const aRecord = a as Record<string, unknown>;
  const bRecord = b as Record<string, unknown>;
  return aKeys.every((key) => Object.hasOwn(b, key) && jsonEqual(aRecord[key], bRecord[key], depth + 1));
}

/**
 * A canonical string for a JSON value (object keys sorted), so `uniqueItems` is a hash lookup per item
 * instead of comparing every pair.
 */
export function canonicalJson(value: unknown, depth = 0): string {
  if (depth > MAX_COMPARE_DEPTH) return '"…"';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item, depth + 1)).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key], depth + 1)}`);
    return `{${members.join(',')}}`;
  }
  if (typeof value === 'number') return Object.is(value, -0) ? '0' : String(value);
  return JSON.stringify(value) ?? `<${typeof value}>`;
}

/**
 * Length in Unicode code points, which is what JSON Schema's `minLength`/`maxLength` count: an emoji
 * is one character to the model even though it is two UTF-16 units.
 */
export function codePointLength(text: string): number {
  let length = 0;
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i += 1;
    }
    length += 1;
  }
  return length;
}
