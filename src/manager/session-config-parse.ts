/**
 * Parses a session config or patch at the manager's boundary. It checks against the JSON Schema
 * generated from the route's zod schema (src/session/session-config.schema.ts) with the tool-argument
 * validator, so both sides accept the same configs while the first-load bundle carries no zod.
 * Synchronous on purpose: an update must be queued in call order for coalescing to hold.
 */
import { realtimeSessionConfigJsonSchema } from '../session/session-config.schema.js';
import type { JsonSchema, JsonSchemaObject } from './tools/schema.js';
import { validateToolArguments } from './tools/validate-arguments.js';
import type { RealtimeSessionConfig } from './session-config.js';
import { RealtimeError } from './errors.js';

/**
 * Returns the config if every field is known and in range; otherwise throws an `invalid_argument`
 * error naming the field and the allowed range (`updateSession: speed: must be between 0.25 and 1.5`).
 * `tools` is not checked here: tools come from the registry and the field is dropped.
 */
export function parseSessionConfig(config: unknown, method: string): RealtimeSessionConfig {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new RealtimeError('invalid_argument', `${method}: expected a session config object.`);
  }
  const { tools: _ignored, ...rest } = config as Record<string, unknown>;
  const result = validateToolArguments(realtimeSessionConfigJsonSchema, rest);
  if (!result.valid) {
    const lines = result.errors.slice(0, 5).flatMap((issue) => explain(issue.path, issue.message, rest));
    throw new RealtimeError('invalid_argument', `${method}: ${[...new Set(lines)].join('; ')}`);
  }
  return rest as RealtimeSessionConfig;
}

/**
 * A union (turn detection, nullable fields) fails as a whole; narrow it to the branch the value meant
 * (same `type`, or the non-null branch) and report that branch's own issues instead.
 */
function explain(path: string, message: string, input: Record<string, unknown>): string[] {
  const segments = path.split('/').filter(Boolean);
  const node = schemaAt(realtimeSessionConfigJsonSchema, segments);
  const value = segments.reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], input);
  const branches = node ? flattenUnion(node).filter((branch) => value === null || branch.type !== 'null') : [];
  if (branches.length > 1 && value && typeof value === 'object' && typeof (value as { type?: unknown }).type === 'string') {
    const typeOf = (branch: JsonSchemaObject) => (branch.properties?.type as JsonSchemaObject | undefined)?.const;
    const tagged = branches.filter((branch) => typeOf(branch) === (value as { type: string }).type);
    if (tagged.length === 0) {
      // Only the object branches that have a `type` constant say what `type` may be.
      const allowed = branches.map(typeOf).filter((type) => type !== undefined).map((type) => JSON.stringify(type));
      return [`${segments.join('.')}.type: must be one of ${allowed.join(', ')}`];
    }
    branches.splice(0, branches.length, ...tagged);
  }
  if (branches.length > 1) {
    // A name or an object (voice, truncation): the branch of the value's own JSON type says what is wrong.
    const sameType = branches.filter((branch) => acceptsTypeOf(branch, value));
    if (sameType.length === 1) branches.splice(0, branches.length, ...sameType);
  }
  if (branches.length === 1 && branches[0] !== node) {
    const narrowed = validateToolArguments(branches[0]!, value);
    if (!narrowed.valid) {
      // The narrowed check ran on the field alone: its root is this path ("arguments" in its words).
      return narrowed.errors.slice(0, 3).map((issue) => describe(path + issue.path, issue.message.replace(/^(arguments|\/\S*)\s+/, '')));
    }
  }
  return [describe(path, message)];
}

/** Whether the branch's `type` admits the JSON type of `value` (a branch without `type` admits all). */
function acceptsTypeOf(branch: JsonSchemaObject, value: unknown): boolean {
  const kind = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value === 'number' ? 'number' : typeof value;
  const types = branch.type === undefined ? undefined : Array.isArray(branch.type) ? branch.type : [branch.type];
  if (!types) return true;
  return types.includes(kind as never) || (kind === 'number' && types.includes('integer'));
}

function flattenUnion(node: JsonSchemaObject): JsonSchemaObject[] {
  const branches = [...(node.anyOf ?? []), ...(node.oneOf ?? [])].filter((b): b is JsonSchemaObject => typeof b === 'object');
  return branches.length === 0 ? [node] : branches.flatMap(flattenUnion);
}

/** `/turnDetection/threshold` + the schema's bounds → `turnDetection.threshold: must be between 0 and 1`. */
function describe(path: string, message: string): string {
  const segments = path.split('/').filter(Boolean);
  const field = segments.join('.') || 'config';
  // First: a key the (narrowed) branch does not have may still exist in a sibling branch.
  if (message.includes('additionalProperties')) return `${field}: unknown field`;
  const node = schemaAt(realtimeSessionConfigJsonSchema, segments);
  const range = node ? rangeOf(node) : undefined;
  if (range) return `${field}: must be ${range}`;
  const detail = message.startsWith(path) && path ? message.slice(path.length).trim() : message;
  return `${field}: ${detail}`;
}

/** The schema of a property path, looking through unions (the first branch that has the path). */
function schemaAt(schema: JsonSchema, segments: string[]): JsonSchemaObject | undefined {
  if (typeof schema !== 'object') return undefined;
  if (segments.length === 0) return schema;
  for (const branch of [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])]) {
    const found = schemaAt(branch, segments);
    if (found) return found;
  }
  const [head, ...tail] = segments;
  const child = schema.properties?.[head!] ?? (Array.isArray(schema.items) ? undefined : schema.items);
  return child === undefined ? undefined : schemaAt(child, tail);
}

/** A numeric range in words, when the node (or a numeric branch of it) has both bounds. */
function rangeOf(node: JsonSchemaObject): string | undefined {
  const numeric = [node, ...(node.anyOf ?? []), ...(node.oneOf ?? [])].find(
    (branch): branch is JsonSchemaObject =>
      typeof branch === 'object' && typeof branch.minimum === 'number' && typeof branch.maximum === 'number',
  );
  if (!numeric) return undefined;
  const kind = numeric.type === 'integer' ? 'an integer between' : 'between';
  const extra = [...(node.anyOf ?? [])].some((b) => typeof b === 'object' && b.const === 'inf') ? ', or "inf"' : '';
  return `${kind} ${numeric.minimum} and ${numeric.maximum}${extra}`;
}
