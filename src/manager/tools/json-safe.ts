/**
 * Turns a tool handler's return value into exactly the JSON object the model will receive, or a
 * readable reason why it cannot. Handlers are app code and return all sorts of things; silently
 * sending `{}` for an `Error` or `null` for `NaN` would mislead the model.
 * @packageDocumentation
 */
import { appendPointer } from './json-pointer.js';

/** Limits for {@link toJsonSafeObject}. */
export interface JsonSafeOptions {
  /** Largest serialised result, in UTF-8 bytes. Default {@link DEFAULT_MAX_RESULT_BYTES}. */
  maxBytes?: number;
  /** Deepest nesting accepted; deeper values would risk a stack overflow. Default 256. */
  maxDepth?: number;
}

/** Result of {@link toJsonSafeObject}. */
export type JsonSafeResult = { ok: true; value: Record<string, unknown> } | { ok: false; error: string };

/** 256 KiB: far more than a model turn should carry, small enough to keep the data channel responsive. */
export const DEFAULT_MAX_RESULT_BYTES = 256 * 1024;
/** Default for {@link JsonSafeOptions.maxDepth}. */
export const DEFAULT_MAX_RESULT_DEPTH = 256;

class Rejection extends Error {}

/** Best-effort text for a thrown value; a hostile `toString` must not escape either. */
function reasonOf(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'unknown error';
  }
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  // The second test accepts plain objects made in another realm (an iframe) as well.
  return proto === null || proto === Object.prototype || Object.getPrototypeOf(proto) === null;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value !== 'object') return typeof value;
  const name: unknown = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' ? `instance of ${name}` : 'non-plain object';
}

function at(path: string): string {
  return path === '' ? 'the top level' : path;
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i += 1;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

interface Walk {
  ancestors: Set<object>;
  maxDepth: number;
  maxBytes: number;
  /** A lower bound on the serialised size, so a huge result is refused before it is stringified. */
  approxBytes: number;
}

function tooLarge(walk: Walk): never {
  throw new Rejection(`tool result is too large: more than ${walk.maxBytes} bytes (the limit) when serialised`);
}

/**
 * Mirrors `JSON.stringify` step by step (toJSON first, then the value) and builds a clean copy, so
 * `toJSON` and getters run once and the copy can be stringified without surprises.
 */
function copy(walk: Walk, value: unknown, key: string, path: string, depth: number): unknown {
  if (typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    try {
      value = (value as { toJSON(key: string): unknown }).toJSON(key);
    } catch (error) {
      throw new Rejection(`tool result could not be serialised at ${at(path)}: toJSON() threw: ${reasonOf(error)}`);
    }
  }
  switch (typeof value) {
    case 'string':
      walk.approxBytes += value.length + 2;
      if (walk.approxBytes > walk.maxBytes) tooLarge(walk);
      return value;
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) {
        throw new Rejection(`tool result has a non-finite number (${String(value)}) at ${at(path)}; JSON would turn it into null`);
      }
      return value;
    case 'undefined':
      return undefined;
    case 'bigint':
      throw new Rejection(`tool result has a bigint at ${at(path)}, which JSON cannot represent; convert it to a string or number`);
    case 'symbol':
      throw new Rejection(`tool result has a symbol at ${at(path)}, which JSON cannot represent`);
    case 'function':
      throw new Rejection(`tool result has a function at ${at(path)}, which JSON cannot represent`);
  }
  if (value === null) return null;
  const object = value as object;
  if (walk.ancestors.has(object)) throw new Rejection(`tool result is cyclic at ${at(path)}`);
  if (depth >= walk.maxDepth) throw new Rejection(`tool result is nested more than ${walk.maxDepth} levels deep at ${at(path)}`);
  if (object instanceof Error) {
    throw new Rejection(
      `tool result has an Error at ${at(path)}, which JSON would serialise as {}; send its message as a string instead`,
    );
  }
  if (!Array.isArray(object) && !isPlainObject(object)) {
    throw new Rejection(
      `tool result has a non-plain object (${describe(object)}) at ${at(path)}; only plain objects, arrays, ` +
        'strings, numbers, booleans, null and objects with toJSON() are allowed',
    );
  }
  walk.ancestors.add(object);
  try {
    return Array.isArray(object) ? copyArray(walk, object, path, depth) : copyObject(walk, object, path, depth);
  } finally {
    // Only ancestors count: the same object reached twice by different paths is a DAG, not a cycle.
    walk.ancestors.delete(object);
  }
}

function copyArray(walk: Walk, array: unknown[], path: string, depth: number): unknown[] {
  const result: unknown[] = [];
  for (let index = 0; index < array.length; index += 1) {
    const itemPath = appendPointer(path, index);
    if (!(index in array)) {
      throw new Rejection(`tool result has a hole in an array at ${itemPath}; JSON would turn it into null`);
    }
    const item = copy(walk, array[index], String(index), itemPath, depth + 1);
    if (item === undefined) {
      throw new Rejection(`tool result has undefined in an array at ${itemPath}; JSON would turn it into null`);
    }
    walk.approxBytes += 1;
    result.push(item);
  }
  return result;
}

function copyObject(walk: Walk, object: object, path: string, depth: number): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  const record = object as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    const keyPath = appendPointer(path, key);
    let raw: unknown;
    try {
      raw = record[key];
    } catch (error) {
      throw new Rejection(`tool result could not be serialised at ${keyPath}: reading the property threw: ${reasonOf(error)}`);
    }
    const item = copy(walk, raw, key, keyPath, depth + 1);
    // Matches JSON.stringify: an undefined property is simply absent, which is what optional fields mean.
    if (item === undefined) continue;
    walk.approxBytes += key.length + 4;
    // defineProperty, because assigning a "__proto__" key would change the copy's prototype instead.
    Object.defineProperty(result, key, { value: item, enumerable: true, writable: true, configurable: true });
  }
  return result;
}

function positiveInteger(raw: number | undefined, fallback: number): number {
  return raw !== undefined && Number.isInteger(raw) && raw > 0 ? raw : fallback;
}

/**
 * Validates a tool handler's result and returns it as the model will see it: the
 * `JSON.parse(JSON.stringify(value))` round trip of a plain object.
 *
 * Accepted: a plain object (or null-prototype object) at the top, containing strings, finite numbers,
 * booleans, null, arrays, plain objects, and objects with `toJSON()` (a `Date` becomes its ISO
 * string, exactly as `JSON.stringify` does). Properties whose value is `undefined` are dropped, as
 * JSON drops them. Symbol-keyed and non-enumerable properties are ignored, as JSON ignores them.
 *
 * Refused, with a message naming the JSON Pointer where it happened: anything but a plain object at
 * the top (array, null, primitive, class instance), cycles, functions, symbols, bigints, NaN and
 * Infinity, `undefined` or holes inside arrays (JSON would silently write `null`), `Error`s, `Map`s and
 * other class instances without `toJSON()` (JSON would silently write `{}`), nesting beyond `maxDepth`,
 * and results over `maxBytes` UTF-8 bytes once serialised.
 *
 * Never throws, even if a getter or `toJSON()` does.
 */
export function toJsonSafeObject(value: unknown, options: JsonSafeOptions = {}): JsonSafeResult {
  const walk: Walk = {
    ancestors: new Set(),
    maxDepth: positiveInteger(options.maxDepth, DEFAULT_MAX_RESULT_DEPTH),
    maxBytes: positiveInteger(options.maxBytes, DEFAULT_MAX_RESULT_BYTES),
    approxBytes: 2,
  };
  try {
    // Inside the try: a Proxy's getPrototypeOf trap may throw.
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !isPlainObject(value)) {
      return { ok: false, error: `tool result must be a plain JSON object, got ${describe(value)}` };
    }
    const clean = copy(walk, value, '', '', 0);
    // A top-level toJSON() may return anything; the model must still receive an object.
    if (typeof clean !== 'object' || clean === null || Array.isArray(clean)) {
      return { ok: false, error: `tool result must be a plain JSON object, but its toJSON() returned ${describe(clean)}` };
    }
    const text = JSON.stringify(clean);
    const bytes = utf8Length(text);
    if (bytes > walk.maxBytes) {
      return { ok: false, error: `tool result is too large: ${bytes} bytes when serialised (limit ${walk.maxBytes})` };
    }
    return { ok: true, value: JSON.parse(text) as Record<string, unknown> };
  } catch (error) {
    if (error instanceof Rejection) return { ok: false, error: error.message };
    return { ok: false, error: `tool result could not be serialised: ${reasonOf(error)}` };
  }
}
