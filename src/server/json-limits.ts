/**
 * Limits on the shape of parsed JSON, checked before any recursive code (zod, `JSON.stringify`, the
 * wire mapping) touches it: `JSON.parse` builds 100,000 levels of nesting without complaint, and the
 * first recursive walk over it then overflows the stack, which would surface as a 500.
 * @packageDocumentation
 */

/** Deepest nesting of objects and arrays a request body may have, counting the body itself as 1. */
export const DEFAULT_MAX_JSON_DEPTH = 64;

/**
 * Keys that mean something to JavaScript objects rather than to us. `__proto__` as an own key is
 * harmless until some merge assigns it; refusing it at the door means no later code has to care.
 */
const FORBIDDEN_KEYS = new Set(['__proto__']);

/** What is wrong with a JSON value, and where (`session.tools[0].parameters`). */
export interface JsonShapeFault {
  kind: 'too_deep' | 'forbidden_key';
  /** The path of the field to name in the error. */
  field: string;
  path: Array<string | number>;
}

/**
 * Walks `value` without recursion and returns the first fault, or `undefined`. The reported field
 * is cut to the field the caller controls (`session.tools[0].parameters`, not forty levels of
 * `properties.a.items`) by `fieldOf`.
 */
export function findJsonShapeFault(value: unknown, maxDepth: number, fieldOf: (path: Array<string | number>) => string = formatPath): JsonShapeFault | undefined {
  const stack: Array<{ value: unknown; path: Array<string | number> }> = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: node, path } = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    // `path.length + 1` is this container's depth: the body itself is depth 1.
    if (path.length + 1 > maxDepth) return { kind: 'too_deep', path, field: fieldOf(path) };
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i -= 1) stack.push({ value: node[i], path: [...path, i] });
      continue;
    }
    const keys = Object.keys(node);
    for (let i = keys.length - 1; i >= 0; i -= 1) {
      const key = keys[i]!;
      if (FORBIDDEN_KEYS.has(key)) return { kind: 'forbidden_key', path: [...path, key], field: fieldOf([...path, key]) };
      stack.push({ value: (node as Record<string, unknown>)[key], path: [...path, key] });
    }
  }
  return undefined;
}

/** `['session', 'tools', 0, 'name']` → `session.tools[0].name`. */
export function formatPath(path: ReadonlyArray<string | number>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${part}` : part;
  }
  return out || '(body)';
}

/**
 * The field to name for a fault deep inside a route request: the field the page filled, not the
 * path below it (`session.turnDetection`, `x`), except in lists of free-form values, where the entry
 * is named (`session.tools[0].parameters`, `session.providerOptions.tracing`).
 */
export function routeRequestField(path: ReadonlyArray<string | number>): string {
  if (path[0] !== 'session') return formatPath(path.slice(0, 1));
  if (path[1] === 'tools') return formatPath(path.slice(0, 4));
  if (path[1] === 'providerOptions') return formatPath(path.slice(0, 3));
  return formatPath(path.slice(0, 2));
}
