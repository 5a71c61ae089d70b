/**
 * Keywords that apply other schemas to the same value: `$ref`, `allOf`, `anyOf`, `oneOf` and `not`.
 * @packageDocumentation
 */
import { parseLocalRef } from './json-pointer.js';
import { formatValue } from './json-value.js';
import type { JsonSchema } from './schema.js';
import {
  isRecord,
  report,
  schemaError,
  schemaList,
  subject,
  type Run,
  type SchemaObject,
  type Sink,
  type ToolArgumentIssue,
} from './validation-run.js';

/**
 * A failed alternative is quoted by its first issue only. Stopping there also stops a recursive union
 * from exploring every branch of every level, which would cost exponential time.
 */
const ISSUES_PER_ALTERNATIVE = 1;

function resolveRef(run: Run, ref: string): JsonSchema | undefined {
  if (run.refs.has(ref)) return run.refs.get(ref);
  const tokens = parseLocalRef(ref);
  let target: unknown = tokens === undefined ? undefined : run.root;
  for (const token of tokens ?? []) {
    if (Array.isArray(target)) {
      target = /^(0|[1-9]\d*)$/.test(token) ? target[Number(token)] : undefined;
    } else {
      target = isRecord(target) && Object.hasOwn(target, token) ? target[token] : undefined;
    }
    if (target === undefined) break;
  }
  const resolved = typeof target === 'boolean' || isRecord(target) ? (target as JsonSchema) : undefined;
  run.refs.set(ref, resolved);
  return resolved;
}

/** Checks `$ref`: only local refs into the root schema, each resolved once per call. */
export function checkRef(run: Run, sink: Sink, schema: SchemaObject, value: unknown, path: string, depth: number): void {
  const ref = schema.$ref;
  if (ref === undefined) return;
  const target = typeof ref === 'string' ? resolveRef(run, ref) : undefined;
  if (target === undefined) {
    const problem =
      typeof ref === 'string' && parseLocalRef(ref) === undefined
        ? `$ref ${formatValue(ref)} is not local; only "#/$defs/…", "#/definitions/…" and other "#/…" refs are supported`
        : `$ref ${formatValue(ref)} does not resolve to a schema`;
    schemaError(run, sink, schema, '$ref', path, problem);
    return;
  }
  // Draft 2020-12: $ref applies alongside its sibling keywords rather than replacing them.
  run.apply(sink, target, value, path, depth);
}

/** Validates against one alternative in a scratch sink, so a failed alternative does not fail the call. */
export function attempt(run: Run, schema: unknown, value: unknown, path: string, depth: number): ToolArgumentIssue[] {
  const scratch: Sink = { issues: [], limit: ISSUES_PER_ALTERNATIVE };
  run.apply(scratch, schema, value, path, depth);
  return scratch.issues;
}

function summarise(keyword: string, failures: ToolArgumentIssue[][]): string {
  return failures
    .map((issues, index) => `${keyword}[${index}]: ${issues.map((issue) => issue.message).join('; ')}`)
    .join(' | ');
}

/** Checks `allOf`, `anyOf`, `oneOf` and `not`. */
export function checkCombinators(run: Run, sink: Sink, schema: SchemaObject, value: unknown, path: string, depth: number): void {
  const at = subject(path);
  for (const subschema of schemaList(run, sink, schema, 'allOf', path) ?? []) {
    run.apply(sink, subschema, value, path, depth);
  }
  const anyOf = schemaList(run, sink, schema, 'anyOf', path);
  if (anyOf !== undefined) {
    const failures: ToolArgumentIssue[][] = [];
    for (const alternative of anyOf) {
      const issues = attempt(run, alternative, value, path, depth);
      if (issues.length === 0) break;
      failures.push(issues);
    }
    if (failures.length === anyOf.length) {
      report(sink, path, `${at} must match at least one schema in anyOf: ${summarise('anyOf', failures)}`);
    }
  }
  const oneOf = schemaList(run, sink, schema, 'oneOf', path);
  if (oneOf !== undefined) {
    const results = oneOf.map((alternative) => attempt(run, alternative, value, path, depth));
    const matched = results.flatMap((issues, index) => (issues.length === 0 ? [`oneOf[${index}]`] : []));
    if (matched.length === 0) {
      report(sink, path, `${at} must match exactly one schema in oneOf, but matched none: ${summarise('oneOf', results)}`);
    } else if (matched.length > 1) {
      report(sink, path, `${at} must match exactly one schema in oneOf, but matched ${matched.join(' and ')}`);
    }
  }
  if (schema.not !== undefined && attempt(run, schema.not, value, path, depth).length === 0) {
    report(sink, path, `${at} must not match the schema in "not"`);
  }
}
