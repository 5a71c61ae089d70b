/**
 * Shared state and reporting for one `validateToolArguments` call, used by the keyword modules.
 * Internal: only `ToolArgumentIssue` is re-exported.
 * @packageDocumentation
 */
import { formatValue } from './json-value.js';
import type { JsonSchema, JsonSchemaObject } from './schema.js';

/** One problem with the arguments. */
export interface ToolArgumentIssue {
  /** JSON Pointer to the offending value, e.g. `/items/0/name`; `""` is the arguments object itself. */
  path: string;
  /** A precise, self-contained sentence such as `/count must be <= 10`. */
  message: string;
}

/** Where issues go: the result, or a scratch list while trying one alternative of `anyOf`/`oneOf`/`not`. */
export interface Sink {
  issues: ToolArgumentIssue[];
  limit: number;
}

/** State of one validation call, shared by every keyword check. */
export interface Run {
  root: JsonSchema;
  main: Sink;
  maxDepth: number;
  /** Current number of nested schema applications, and its cap. */
  nesting: number;
  maxNesting: number;
  stepsLeft: number;
  aborted: boolean;
  /** Problems reported once per schema object and keyword, however many values hit them. */
  reportedOnce: WeakMap<object, Set<string>>;
  refs: Map<string, JsonSchema | undefined>;
  /** Applies a subschema; injected so keyword modules need not import the dispatcher (no import cycle). */
  apply(sink: Sink, schema: unknown, value: unknown, path: string, depth: number): void;
}

/** A schema object with keywords readable by name, typed or not. */
export type SchemaObject = JsonSchemaObject & Record<string, unknown>;

/** A non-array object: what JSON Schema calls an object, and what a schema object must be. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** How a path is named in messages; the root is the arguments object itself. */
export function subject(path: string): string {
  return path === '' ? 'arguments' : path;
}

/** Whether a sink needs no more issues, or the whole run was aborted. */
export function isFull(run: Run, sink: Sink): boolean {
  return run.aborted || sink.issues.length >= sink.limit;
}

/** Records an issue unless the sink is full. */
export function report(sink: Sink, path: string, message: string): void {
  if (sink.issues.length < sink.limit) sink.issues.push({ path, message });
}

/**
 * Reports a problem that is not the model's fault (a broken schema, a limit) once in the result, and
 * also in the current scratch sink so the alternative being tried fails rather than passing silently.
 */
export function reportOnce(run: Run, sink: Sink, owner: object, key: string, path: string, message: string): void {
  let keys = run.reportedOnce.get(owner);
  if (keys === undefined) run.reportedOnce.set(owner, (keys = new Set()));
  if (!keys.has(key)) {
    keys.add(key);
    report(run.main, path, message);
  }
  if (sink !== run.main) report(sink, path, message);
}

/** Reports a problem in the schema itself, once per schema object and keyword. */
export function schemaError(run: Run, sink: Sink, schema: object, keyword: string, path: string, problem: string): void {
  reportOnce(run, sink, schema, keyword, path, `schema error: ${problem} (cannot validate ${subject(path)})`);
}

/** Reads a numeric keyword, reporting a schema error (not crashing) when the schema author mistyped it. */
export function numberKeyword(run: Run, sink: Sink, schema: SchemaObject, keyword: string, path: string): number | undefined {
  const raw = schema[keyword];
  if (raw === undefined) return undefined;
  if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
  const hint = typeof raw === 'boolean' ? '; the draft-04 boolean form is not supported, use a number' : '';
  schemaError(run, sink, schema, keyword, path, `"${keyword}" must be a number, got ${formatValue(raw)}${hint}`);
  return undefined;
}

/** Reads a length or count keyword, reporting a schema error when it is not a non-negative integer. */
export function countKeyword(run: Run, sink: Sink, schema: SchemaObject, keyword: string, path: string): number | undefined {
  const raw = schema[keyword];
  if (raw === undefined) return undefined;
  if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 0) return raw;
  schemaError(run, sink, schema, keyword, path, `"${keyword}" must be a non-negative integer, got ${formatValue(raw)}`);
  return undefined;
}

/** Reads `allOf`/`anyOf`/`oneOf`/`prefixItems`, reporting a schema error when it is not a non-empty array. */
export function schemaList(run: Run, sink: Sink, schema: SchemaObject, keyword: string, path: string): unknown[] | undefined {
  const raw = schema[keyword];
  if (raw === undefined) return undefined;
  if (Array.isArray(raw) && raw.length > 0) return raw;
  schemaError(run, sink, schema, keyword, path, `"${keyword}" must be a non-empty array of schemas`);
  return undefined;
}

/** Reads `properties`/`patternProperties`, reporting a schema error when it is not an object. */
export function schemaMap(
  run: Run,
  sink: Sink,
  schema: SchemaObject,
  keyword: string,
  path: string,
): Record<string, unknown> | undefined {
  const raw = schema[keyword];
  if (raw === undefined) return undefined;
  if (isRecord(raw)) return raw;
  schemaError(run, sink, schema, keyword, path, `"${keyword}" must be an object mapping names to schemas`);
  return undefined;
}

/** `1 item`, `2 items`: messages are read by a model, so grammar helps. */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}
