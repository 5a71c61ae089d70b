/**
 * Validates a tool call's arguments against the tool's JSON Schema before its handler runs. The
 * arguments come from a model, so they are untrusted: nothing here throws on odd input, and every
 * message is phrased so it can be sent back to the model to correct its call.
 * @packageDocumentation
 */

import { describeType } from './json-value.js';
import { checkCombinators, checkRef } from './keywords-applicators.js';
import { checkArray, checkObject } from './keywords-containers.js';
import { checkEnumAndConst, checkNumber, checkString, checkType } from './keywords-values.js';
import type { JsonSchema } from './schema.js';
import {
  isFull,
  isRecord,
  report,
  reportOnce,
  subject,
  type Run,
  type SchemaObject,
  type Sink,
  type ToolArgumentIssue,
} from './validation-run.js';

export type { ToolArgumentIssue } from './validation-run.js';

/** Result of {@link validateToolArguments}. */
export type ToolArgumentValidation = { valid: true } | { valid: false; errors: ToolArgumentIssue[] };

/** Limits for {@link validateToolArguments}. */
export interface ValidateToolArgumentsOptions {
  /** Stop after this many issues; a model fixes a call better from a few precise errors. Default 20. */
  maxErrors?: number;
  /**
   * Maximum nesting of the arguments (objects and arrays). Default 64. Schema hops that stay on the
   * same value (`$ref`, `allOf`, `anyOf`, …) may nest four times as deep, which stops circular `$ref`s.
   */
  maxDepth?: number;
  /** Maximum schema applications per call; bounds the cost of nested `anyOf` over big values. Default 100000. */
  maxSteps?: number;
}

/** Default for {@link ValidateToolArgumentsOptions.maxErrors}. */
export const DEFAULT_MAX_ARGUMENT_ERRORS = 20;
/** Default for {@link ValidateToolArgumentsOptions.maxDepth}. */
export const DEFAULT_MAX_ARGUMENT_DEPTH = 64;
/** Default for {@link ValidateToolArgumentsOptions.maxSteps}. */
export const DEFAULT_MAX_VALIDATION_STEPS = 100_000;

/** Schema applications nest deeper than values do ($ref, allOf, anyOf hops), so they get more room. */
const NESTING_PER_DEPTH = 4;

/** Applies one schema to one value at instance depth `depth`, guarding every limit first. */
function validate(run: Run, sink: Sink, schema: unknown, value: unknown, path: string, depth: number): void {
  if (isFull(run, sink)) return;
  if (--run.stepsLeft < 0) {
    report(run.main, path, `arguments are too large or complex to validate (more than the step limit)`);
    run.aborted = true;
    return;
  }
  if (depth > run.maxDepth) {
    reportOnce(run, sink, run, '$depth', path, `${subject(path)} is nested too deeply to validate (limit ${run.maxDepth})`);
    return;
  }
  if (run.nesting >= run.maxNesting) {
    const problem = `schema nesting exceeds ${run.maxNesting} levels (circular $ref?)`;
    reportOnce(run, sink, run, '$nesting', path, `schema error: ${problem} (cannot validate ${subject(path)})`);
    return;
  }
  run.nesting += 1;
  try {
    applySchema(run, sink, schema, value, path, depth);
  } finally {
    run.nesting -= 1;
  }
}

/** Every keyword that applies is checked, so all issues are collected, not just the first. */
function applySchema(run: Run, sink: Sink, schema: unknown, value: unknown, path: string, depth: number): void {
  // JSON cannot carry NaN or Infinity; if one appears the value did not come from a JSON parse.
  if (typeof value === 'number' && !Number.isFinite(value)) {
    report(sink, path, `${subject(path)} must be a finite number, got ${String(value)}`);
    return;
  }
  if (schema === true) return;
  if (schema === false) {
    report(sink, path, `${subject(path)} is not allowed (schema is false)`);
    return;
  }
  if (!isRecord(schema)) {
    const problem = `expected a schema object or boolean, got ${describeType(schema)}`;
    reportOnce(run, sink, run, `$shape:${path}`, path, `schema error: ${problem} (cannot validate ${subject(path)})`);
    return;
  }
  const s = schema as SchemaObject;
  if (!checkType(run, sink, s, value, path)) return;
  if (!checkEnumAndConst(run, sink, s, value, path)) return;
  checkRef(run, sink, s, value, path, depth);
  if (typeof value === 'number') checkNumber(run, sink, s, value, path);
  else if (typeof value === 'string') checkString(run, sink, s, value, path);
  else if (Array.isArray(value)) checkArray(run, sink, s, value, path, depth);
  else if (isRecord(value)) checkObject(run, sink, s, value, path, depth);
  checkCombinators(run, sink, s, value, path, depth);
}

function positiveInteger(raw: number | undefined, fallback: number): number {
  return raw !== undefined && Number.isInteger(raw) && raw > 0 ? raw : fallback;
}

/**
 * Checks tool-call arguments against a JSON Schema (the subset of draft 2020-12 that tool schemas use)
 * and collects every issue up to `maxErrors`, so the model can fix its whole call in one retry.
 *
 * Supported: boolean schemas, `type` (single or union), `enum`, `const`, `properties`, `required`,
 * `additionalProperties`, `patternProperties`, `propertyNames`, `min/maxProperties`, `items`,
 * `prefixItems` (and the legacy tuple form), `min/maxItems`, `uniqueItems`, `min/maxLength` (in code
 * points), `pattern`, `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum` (numbers),
 * `multipleOf`, `allOf`, `anyOf`, `oneOf`, `not`, and local `$ref`s (`#`, `#/$defs/…`,
 * `#/definitions/…`). `format`, annotations and other keywords are ignored.
 *
 * Never throws. A broken schema (invalid `pattern`, unresolvable `$ref`, mistyped keyword) fails
 * validation with a `schema error: …` issue reported once, because accepting unchecked input is worse
 * than refusing it. Reaching `maxDepth`, the schema nesting cap or `maxSteps` also fails validation.
 *
 * A missing required property is reported at the path the property would have, e.g. `/items/0/name`.
 */
export function validateToolArguments(
  schema: JsonSchema,
  value: unknown,
  options: ValidateToolArgumentsOptions = {},
): ToolArgumentValidation {
  const main: Sink = { issues: [], limit: positiveInteger(options.maxErrors, DEFAULT_MAX_ARGUMENT_ERRORS) };
  const maxDepth = positiveInteger(options.maxDepth, DEFAULT_MAX_ARGUMENT_DEPTH);
  const run: Run = {
    root: schema,
    main,
    maxDepth,
    nesting: 0,
    maxNesting: maxDepth * NESTING_PER_DEPTH,
    stepsLeft: positiveInteger(options.maxSteps, DEFAULT_MAX_VALIDATION_STEPS),
    aborted: false,
    reportedOnce: new WeakMap(),
    refs: new Map(),
    apply: (sink, subschema, value, path, depth) => validate(run, sink, subschema, value, path, depth),
  };
  try {
    validate(run, main, schema, value, '', 0);
  } catch (error) {
    // Parsed JSON cannot throw, but a caller may pass a Proxy or an object with throwing getters.
    let reason = 'unknown error';
    try {
      reason = error instanceof Error ? error.message : String(error);
    } catch {
      // keep the generic reason
    }
    main.issues.push({ path: '', message: `arguments could not be read: ${reason}` });
  }
  return main.issues.length === 0 ? { valid: true } : { valid: false, errors: main.issues };
}
