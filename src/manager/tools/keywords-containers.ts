/**
 * Keywords on arrays and objects. Property lookups use own-property checks throughout, so names such
 * as `__proto__` or `constructor` in untrusted arguments are ordinary data.
 * @packageDocumentation
 */
import { appendPointer } from './json-pointer.js';
import { canonicalJson, formatValue } from './json-value.js';
import { attempt } from './keywords-applicators.js';
import { compilePattern } from './regex-cache.js';
import {
  countKeyword,
  isFull,
  plural,
  report,
  schemaError,
  schemaList,
  schemaMap,
  subject,
  type Run,
  type SchemaObject,
  type Sink,
} from './validation-run.js';

/** Checks `minItems`, `maxItems`, `prefixItems`, `items` (and legacy tuples) and `uniqueItems`. */
export function checkArray(run: Run, sink: Sink, schema: SchemaObject, value: unknown[], path: string, depth: number): void {
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
  const prefix = schemaList(run, sink, schema, 'prefixItems', path) ?? (legacyTuple ? (schema.items as unknown[]) : []);
  const rest: unknown = legacyTuple ? schema.additionalItems : schema.items;
  for (let index = 0; index < value.length && !isFull(run, sink); index += 1) {
    const itemPath = appendPointer(path, index);
    if (index < prefix.length) {
      run.apply(sink, prefix[index], value[index], itemPath, depth + 1);
    } else if (rest === false) {
      report(sink, itemPath, `${itemPath} is not allowed: ${at} may contain at most ${plural(prefix.length, 'item')}`);
      break;
    } else if (rest !== undefined) {
      run.apply(sink, rest, value[index], itemPath, depth + 1);
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

/** Checks `required`, `properties`, `patternProperties`, `additionalProperties`, `propertyNames`, `min/maxProperties`. */
export function checkObject(
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
      run.apply(sink, properties[key], child, keyPath, depth + 1);
    }
    for (const [regex, subschema] of patterns) {
      if (!regex.test(key)) continue;
      matched = true;
      run.apply(sink, subschema, child, keyPath, depth + 1);
    }
    if (!matched && additional === false) {
      report(sink, keyPath, `${keyPath} is not allowed (additionalProperties: false)`);
    } else if (!matched && additional !== undefined) {
      run.apply(sink, additional, child, keyPath, depth + 1);
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

/** Compiles `patternProperties` keys once per object; a bad key is a schema error, not a crash. */
function compiledPatternProperties(run: Run, sink: Sink, schema: SchemaObject, path: string): [RegExp, unknown][] {
  const map = schemaMap(run, sink, schema, 'patternProperties', path);
  if (map === undefined) return [];
  const compiled: [RegExp, unknown][] = [];
  for (const [pattern, subschema] of Object.entries(map)) {
    const result = compilePattern(pattern);
    if (result.ok) compiled.push([result.regex, subschema]);
    else {
      const problem = `patternProperties key ${formatValue(pattern)} is not a valid regular expression (${result.error})`;
      schemaError(run, sink, schema, `patternProperties:${pattern}`, path, problem);
    }
  }
  return compiled;
}
