/**
 * Validates a tool call's arguments against the tool's JSON Schema before its handler runs. The
 * arguments come from a model, so they are untrusted: nothing here throws on odd input, and every
 * message is phrased so it can be sent back to the model to correct its call.
 * @packageDocumentation
 */
import { appendPointer, parseLocalRef } from './json-pointer.js';
import { canonicalJson, codePointLength, describeType, formatValue, jsonEqual, jsonTypeOf } from './json-value.js';
import { compilePattern } from './regex-cache.js';
import type { JsonSchema, JsonSchemaObject } from './schema.js';

/** One problem with the arguments. */
export interface ToolArgumentIssue {
  /** JSON Pointer to the offending value, e.g. `/items/0/name`; `""` is the arguments object itself. */
  path: string;
  /** A precise, self-contained sentence such as `/count must be <= 10`. */
  message: string;
}

/** Result of {@link validateToolArguments}. */
export type ToolArgumentValidation = { valid: true } | { valid: false; errors: ToolArgumentIssue[] };

/** Limits for {@link validateToolArguments}. */
export interface ValidateToolArgumentsOptions {
  /** Stop after this many issues; a model fixes a call better from a few precise errors. Default 20. */
  maxErrors?: number;
  /** Maximum schema nesting, counting `$ref` and combinator hops. Default 64. */
  maxDepth?: number;
  /** Maximum schema applications per call; bounds the cost of nested `anyOf` over big values. Default 100000. */
  maxSteps?: number;
}

/** Default for {@link ValidateToolArgumentsOptions.maxErrors}. */
export const DEFAULT_MAX_ARGUMENT_ERRORS = 20;
/** Default for {@link ValidateToolArgumentsOptions.maxDepth}. */
export const DEFAULT_MAX_SCHEMA_DEPTH = 64;
/** Default for {@link ValidateToolArgumentsOptions.maxSteps}. */
export const DEFAULT_MAX_VALIDATION_STEPS = 100_000;

const TYPE_NAMES = new Set(['object', 'array', 'string', 'number', 'integer', 'boolean', 'null']);
const TYPE_WITH_ARTICLE: Record<string, string> = {
  object: 'an object',
  array: 'an array',
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean',
  null: 'null',
};
/** Combinator failures quote this many of each alternative's issues: enough to guide, short enough to read. */
const ISSUES_PER_ALTERNATIVE = 2;
const MAX_ENUM_VALUES_SHOWN = 10;

/** Where issues go: the result, or a scratch list while trying one alternative of `anyOf`/`oneOf`/`not`. */
interface Sink {
  issues: ToolArgumentIssue[];
  limit: number;
}

interface Run {
  root: JsonSchema;
  main: Sink;
  maxDepth: number;
  stepsLeft: number;
  aborted: boolean;
  /** Problems reported once per schema object and keyword, however many values hit them. */
  reportedOnce: WeakMap<object, Set<string>>;
  refs: Map<string, JsonSchema | undefined>;
}

type SchemaObject = JsonSchemaObject & Record<string, unknown>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function subject(path: string): string {
  return path === '' ? 'arguments' : path;
}

function isFull(run: Run, sink: Sink): boolean {
  return run.aborted || sink.issues.length >= sink.limit;
}

function report(sink: Sink, path: string, message: string): void {
  if (sink.issues.length < sink.limit) sink.issues.push({ path, message });
}

/**
 * Reports a problem that is not the model's fault (a broken schema, a limit) once in the result, and
 * also in the current scratch sink so the alternative being tried fails rather than passing silently.
 */
function reportOnce(run: Run, sink: Sink, owner: object, key: string, path: string, message: string): void {
  let keys = run.reportedOnce.get(owner);
  if (keys === undefined) run.reportedOnce.set(owner, (keys = new Set()));
  if (!keys.has(key)) {
    keys.add(key);
    report(run.main, path, message);
  }
  if (sink !== run.main) report(sink, path, message);
}

function schemaError(run: Run, sink: Sink, schema: object, keyword: string, path: string, problem: string): void {
  reportOnce(run, sink, schema, keyword, path, `schema error: ${problem} (cannot validate ${subject(path)})`);
}

/** Reads a numeric keyword, reporting a schema error (not crashing) when the schema author mistyped it. */
function numberKeyword(run: Run, sink: Sink, schema: SchemaObject, keyword: string, path: string): number | undefined {
  const raw = schema[keyword];
  if (raw === undefined) return undefined;
  if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
  const hint = typeof raw === 'boolean' ? '; the draft-04 boolean form is not supported, use a number' : '';
  schemaError(run, sink, schema, keyword, path, `"${keyword}" must be a number, got ${formatValue(raw)}${hint}`);
  return undefined;
}

function countKeyword(run: Run, sink: Sink, schema: SchemaObject, keyword: string, path: string): number | undefined {
  const raw = schema[keyword];
  if (raw === undefined) return undefined;
  if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 0) return raw;
  schemaError(run, sink, schema, keyword, path, `"${keyword}" must be a non-negative integer, got ${formatValue(raw)}`);
  return undefined;
}

function schemaList(run: Run, sink: Sink, schema: SchemaObject, keyword: string, path: string): unknown[] | undefined {
  const raw = schema[keyword];
  if (raw === undefined) return undefined;
  if (Array.isArray(raw) && raw.length > 0) return raw;
  schemaError(run, sink, schema, keyword, path, `"${keyword}" must be a non-empty array of schemas`);
  return undefined;
}

function schemaMap(
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

function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}

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

/** Applies one schema to one value. Every keyword that applies is checked, so all issues are collected. */
function validate(run: Run, sink: Sink, schema: unknown, value: unknown, path: string, depth: number): void {
  if (isFull(run, sink)) return;
  if (--run.stepsLeft < 0) {
    report(run.main, path, `arguments are too large or complex to validate (more than the step limit)`);
    run.aborted = true;
    return;
  }
  if (depth > run.maxDepth) {
    const owner = isRecord(schema) ? schema : run;
    reportOnce(run, sink, owner, '$depth', path, `${subject(path)} is nested too deeply to validate (limit ${run.maxDepth})`);
    return;
  }
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
    reportOnce(run, sink, run, `$shape:${path}`, path, `schema error: expected a schema object or boolean, got ${describeType(schema)} (cannot validate ${subject(path)})`);
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

function checkType(run: Run, sink: Sink, schema: SchemaObject, value: unknown, path: string): boolean {
  const raw = schema.type;
  if (raw === undefined) return true;
  const types = Array.isArray(raw) ? raw : [raw];
  const unknownType = types.find((type) => typeof type !== 'string' || !TYPE_NAMES.has(type));
  if (unknownType !== undefined || types.length === 0) {
    schemaError(run, sink, schema, 'type', path, `"type" must name JSON types, got ${formatValue(raw)}`);
    return false;
  }
  const actual = jsonTypeOf(value);
  const matches = (type: string): boolean =>
    type === actual || (type === 'integer' && typeof value === 'number' && Number.isInteger(value));
  if (types.some((type) => matches(type as string))) return true;
  const expected = (types as string[]).map((type) => TYPE_WITH_ARTICLE[type]).join(' or ');
  const got = typeof value === 'number' ? String(value) : describeType(value);
  report(sink, path, `${subject(path)} must be ${expected}, got ${got}`);
  return false;
}

function checkEnumAndConst(run: Run, sink: Sink, schema: SchemaObject, value: unknown, path: string): boolean {
  let ok = true;
  if (Object.hasOwn(schema, 'const') && !jsonEqual(value, schema.const)) {
    report(sink, path, `${subject(path)} must be equal to ${formatValue(schema.const)}`);
    ok = false;
  }
  const options = schema.enum;
  if (options === undefined) return ok;
  if (!Array.isArray(options)) {
    schemaError(run, sink, schema, 'enum', path, '"enum" must be an array');
    return false;
  }
  if (options.some((option) => jsonEqual(value, option))) return ok;
  const shown = options.slice(0, MAX_ENUM_VALUES_SHOWN).map((option) => formatValue(option));
  const more = options.length > shown.length ? `, … (${options.length - shown.length} more)` : '';
  report(sink, path, `${subject(path)} must be one of ${shown.join(', ')}${more}`);
  return false;
}

function checkRef(run: Run, sink: Sink, schema: SchemaObject, value: unknown, path: string, depth: number): void {
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
  validate(run, sink, target, value, path, depth + 1);
}

function checkNumber(run: Run, sink: Sink, schema: SchemaObject, value: number, path: string): void {
  const at = subject(path);
  const minimum = numberKeyword(run, sink, schema, 'minimum', path);
  if (minimum !== undefined && value < minimum) report(sink, path, `${at} must be >= ${minimum}`);
  const maximum = numberKeyword(run, sink, schema, 'maximum', path);
  if (maximum !== undefined && value > maximum) report(sink, path, `${at} must be <= ${maximum}`);
  const exclusiveMinimum = numberKeyword(run, sink, schema, 'exclusiveMinimum', path);
  if (exclusiveMinimum !== undefined && value <= exclusiveMinimum) report(sink, path, `${at} must be > ${exclusiveMinimum}`);
  const exclusiveMaximum = numberKeyword(run, sink, schema, 'exclusiveMaximum', path);
  if (exclusiveMaximum !== undefined && value >= exclusiveMaximum) report(sink, path, `${at} must be < ${exclusiveMaximum}`);
  const multipleOf = numberKeyword(run, sink, schema, 'multipleOf', path);
  if (multipleOf === undefined) return;
  if (multipleOf <= 0) {
    schemaError(run, sink, schema, 'multipleOf', path, `"multipleOf" must be greater than 0, got ${multipleOf}`);
    return;
  }
  const quotient = value / multipleOf;
  // Binary floats make 0.3 / 0.1 come out as 2.9999999999999996; a few ULPs of slack accepts it.
  const nearest = Math.round(quotient);
  if (Math.abs(quotient - nearest) > Math.max(1, Math.abs(quotient)) * 8 * Number.EPSILON) {
    report(sink, path, `${at} must be a multiple of ${multipleOf}`);
  }
}

function checkString(run: Run, sink: Sink, schema: SchemaObject, value: string, path: string): void {
  const at = subject(path);
  const minLength = countKeyword(run, sink, schema, 'minLength', path);
  const maxLength = countKeyword(run, sink, schema, 'maxLength', path);
  if (minLength !== undefined || maxLength !== undefined) {
    const length = codePointLength(value);
    if (minLength !== undefined && length < minLength) {
      report(sink, path, `${at} must be at least ${plural(minLength, 'character')} long`);
    }
    if (maxLength !== undefined && length > maxLength) {
      report(sink, path, `${at} must be at most ${plural(maxLength, 'character')} long`);
    }
  }
  const pattern = schema.pattern;
  if (pattern === undefined) return;
  if (typeof pattern !== 'string') {
    schemaError(run, sink, schema, 'pattern', path, `"pattern" must be a string, got ${formatValue(pattern)}`);
    return;
  }
  const compiled = compilePattern(pattern);
  if (!compiled.ok) {
    schemaError(run, sink, schema, 'pattern', path, `pattern ${formatValue(pattern)} is not a valid regular expression (${compiled.error})`);
  } else if (!compiled.regex.test(value)) {
    report(sink, path, `${at} must match pattern ${formatValue(pattern, 200)}`);
  }
}

function checkArray(run: Run, sink: Sink, schema: SchemaObject, value: unknown[], path: string, depth: number): void {
  const at = subject(path);
  const minItems = countKeyword(run, sink, schema, 'minItems', path);
  if (minItems !== undefined && value.length < minItems) {
    report(sink, path, `${at} must contain at least ${plural(minItems, 'item')}, got ${value.length}`);
  }
  const maxItems = countKeyword(run, sink, schema, 'maxItems', path);
  if (maxItems !== undefined && value.length > maxItems) {
    report(sink, path, `${at} must contain at most ${plural(maxItems, 'item')}, got ${value.length}`);
  }
  // Draft 2020-12 spells tuples `prefixItems` + `items`; older drafts `items: [...]` + `additionalItems`.
  const legacyTuple = Array.isArray(schema.items);
  const prefix = (schemaList(run, sink, schema, 'prefixItems', path) ?? (legacyTuple ? (schema.items as unknown[]) : [])) as unknown[];
  const rest: unknown = legacyTuple ? schema.additionalItems : schema.items;
  for (let index = 0; index < value.length && !isFull(run, sink); index += 1) {
    const itemPath = appendPointer(path, index);
    if (index < prefix.length) {
      validate(run, sink, prefix[index], value[index], itemPath, depth + 1);
    } else if (rest === false) {
      report(sink, itemPath, `${itemPath} is not allowed: ${at} may contain at most ${plural(prefix.length, 'item')}`);
      break;
    } else if (rest !== undefined) {
      validate(run, sink, rest, value[index], itemPath, depth + 1);
    }
  }
  if (schema.uniqueItems === true) {
    const seen = new Map<string, number>();
    for (let index = 0; index < value.length; index += 1) {
      const key = canonicalJson(value[index]);
      const first = seen.get(key);
      if (first !== undefined) {
        report(sink, path, `${at} must not contain duplicate items (items ${first} and ${index} are equal)`);
        break;
      }
      seen.set(key, index);
    }
  }
}

function checkObject(
  run: Run,
  sink: Sink,
  schema: SchemaObject,
  value: Record<string, unknown>,
  path: string,
  depth: number,
): void {
  const at = subject(path);
  // Own enumerable keys only: inherited names such as "constructor" are not arguments.
  const keys = Object.keys(value);
  const minProperties = countKeyword(run, sink, schema, 'minProperties', path);
  if (minProperties !== undefined && keys.length < minProperties) {
    report(sink, path, `${at} must have at least ${plural(minProperties, 'property', 'properties')}`);
  }
  const maxProperties = countKeyword(run, sink, schema, 'maxProperties', path);
  if (maxProperties !== undefined && keys.length > maxProperties) {
    report(sink, path, `${at} must have at most ${plural(maxProperties, 'property', 'properties')}`);
  }
  const required = schema.required;
  if (required !== undefined) {
    if (!Array.isArray(required) || required.some((name) => typeof name !== 'string')) {
      schemaError(run, sink, schema, 'required', path, '"required" must be an array of property names');
    } else {
      for (const name of required as string[]) {
        if (Object.hasOwn(value, name)) continue;
        const message = path === '' ? `missing required property "${name}"` : `${path} is missing required property "${name}"`;
        report(sink, appendPointer(path, name), message);
      }
    }
  }
  const properties = schemaMap(run, sink, schema, 'properties', path);
  const patterns = compiledPatternProperties(run, sink, schema, path);
  const additional = schema.additionalProperties;
  for (const key of keys) {
    if (isFull(run, sink)) return;
    const keyPath = appendPointer(path, key);
    const child = value[key];
    let matched = false;
    // hasOwn, not `in`: a property named "constructor" or "__proto__" must not find Object.prototype.
    if (properties !== undefined && Object.hasOwn(properties, key)) {
      matched = true;
      validate(run, sink, properties[key], child, keyPath, depth + 1);
    }
    for (const [regex, subschema] of patterns) {
      if (!regex.test(key)) continue;
      matched = true;
      validate(run, sink, subschema, child, keyPath, depth + 1);
    }
    if (!matched && additional === false) {
      report(sink, keyPath, `${keyPath} is not allowed (additionalProperties: false)`);
    } else if (!matched && additional !== undefined) {
      validate(run, sink, additional, child, keyPath, depth + 1);
    }
    if (schema.propertyNames !== undefined) {
      const trial = attempt(run, schema.propertyNames, key, keyPath, depth);
      if (trial.length > 0) {
        // The trial names the key as if it were a value; drop that prefix so the sentence reads right.
        const reason = trial[0]!.message.replace(`${keyPath} `, '');
        report(sink, keyPath, `${at} has an invalid property name ${formatValue(key)}: ${reason}`);
      }
    }
  }
}

function compiledPatternProperties(run: Run, sink: Sink, schema: SchemaObject, path: string): [RegExp, unknown][] {
  const map = schemaMap(run, sink, schema, 'patternProperties', path);
  if (map === undefined) return [];
  const compiled: [RegExp, unknown][] = [];
  for (const [pattern, subschema] of Object.entries(map)) {
    const result = compilePattern(pattern);
    if (result.ok) compiled.push([result.regex, subschema]);
    else schemaError(run, sink, schema, `patternProperties:${pattern}`, path, `patternProperties key ${formatValue(pattern)} is not a valid regular expression (${result.error})`);
  }
  return compiled;
}

/** Validates against one alternative in a scratch sink, so a failed alternative does not fail the call. */
function attempt(run: Run, schema: unknown, value: unknown, path: string, depth: number): ToolArgumentIssue[] {
  const scratch: Sink = { issues: [], limit: ISSUES_PER_ALTERNATIVE };
  validate(run, scratch, schema, value, path, depth + 1);
  return scratch.issues;
}

function summarise(keyword: string, failures: ToolArgumentIssue[][]): string {
  return failures
    .map((issues, index) => `${keyword}[${index}]: ${issues.map((issue) => issue.message).join('; ')}`)
    .join(' | ');
}

function checkCombinators(run: Run, sink: Sink, schema: SchemaObject, value: unknown, path: string, depth: number): void {
  const at = subject(path);
  for (const subschema of schemaList(run, sink, schema, 'allOf', path) ?? []) {
    validate(run, sink, subschema, value, path, depth + 1);
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
 * than refusing it. Reaching `maxDepth` or `maxSteps` also fails validation.
 *
 * A missing required property is reported at the path the property would have, e.g. `/items/0/name`.
 */
export function validateToolArguments(
  schema: JsonSchema,
  value: unknown,
  options: ValidateToolArgumentsOptions = {},
): ToolArgumentValidation {
  const main: Sink = { issues: [], limit: positiveInteger(options.maxErrors, DEFAULT_MAX_ARGUMENT_ERRORS) };
  const run: Run = {
    root: schema,
    main,
    maxDepth: positiveInteger(options.maxDepth, DEFAULT_MAX_SCHEMA_DEPTH),
    stepsLeft: positiveInteger(options.maxSteps, DEFAULT_MAX_VALIDATION_STEPS),
    aborted: false,
    reportedOnce: new WeakMap(),
    refs: new Map(),
  };
  validate(run, main, schema, value, '', 0);
  return main.issues.length === 0 ? { valid: true } : { valid: false, errors: main.issues };
}
