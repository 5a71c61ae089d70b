/**
 * Keywords on scalar values: `type`, `enum`, `const`, the number keywords and the string keywords.
 * @packageDocumentation
 */
import { codePointLength, describeType, formatValue, jsonEqual, jsonTypeOf } from './json-value.js';
import { compilePattern } from './regex-cache.js';
import {
  countKeyword,
  numberKeyword,
  plural,
  report,
  schemaError,
  subject,
  type Run,
  type SchemaObject,
  type Sink,
} from './validation-run.js';

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
const MAX_ENUM_VALUES_SHOWN = 10;

/** Checks `type`; returns false when the value has the wrong type, so other keywords are skipped as noise. */
export function checkType(run: Run, sink: Sink, schema: SchemaObject, value: unknown, path: string): boolean {
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

/** Checks `const` and `enum`; returns false on a mismatch, after which other keywords would only add noise. */
export function checkEnumAndConst(run: Run, sink: Sink, schema: SchemaObject, value: unknown, path: string): boolean {
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

/** Checks `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum` and `multipleOf`. */
export function checkNumber(run: Run, sink: Sink, schema: SchemaObject, value: number, path: string): void {
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

/** Checks `minLength`, `maxLength` and `pattern`. */
export function checkString(run: Run, sink: Sink, schema: SchemaObject, value: string, path: string): void {
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
    const problem = `pattern ${formatValue(pattern)} is not a valid regular expression (${compiled.error})`;
    schemaError(run, sink, schema, 'pattern', path, problem);
  } else if (!compiled.regex.test(value)) {
    report(sink, path, `${at} must match pattern ${formatValue(pattern, 200)}`);
  }
}
