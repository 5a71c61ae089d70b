/**
 * Tool parameter schemas: the JSON Schema shape the validator understands, and normalisation of the
 * zod or plain-object schemas that tool authors write into what a Realtime provider accepts.
 * @packageDocumentation
 */
import type { core } from 'zod';

/** The primitive type names JSON Schema's `type` keyword accepts. */
export type JsonSchemaTypeName = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';

/**
 * A JSON Schema object. Known keywords are typed for authoring help; the index signature keeps
 * annotations and keywords this package ignores (`format`, `description`, vendor extensions) legal.
 */
export interface JsonSchemaObject {
  $schema?: string;
  $id?: string;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  definitions?: Record<string, JsonSchema>;
  title?: string;
  description?: string;
  default?: unknown;
  type?: JsonSchemaTypeName | JsonSchemaTypeName[];
  enum?: readonly unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  patternProperties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema;
  propertyNames?: JsonSchema;
  required?: readonly string[];
  minProperties?: number;
  maxProperties?: number;
  items?: JsonSchema | JsonSchema[];
  prefixItems?: JsonSchema[];
  additionalItems?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  not?: JsonSchema;
  [keyword: string]: unknown;
}

/** A JSON Schema: an object, or `true` (accept anything) / `false` (accept nothing). */
export type JsonSchema = boolean | JsonSchemaObject;

/** Any zod 4 schema, classic or mini: both share the `$ZodType` core that `toJSONSchema` reads. */
export type ZodSchema = core.$ZodType;

/**
 * Whether `value` is a zod 4 schema. Duck-typed on the `_zod` internals rather than `instanceof`,
 * because the app and this package may each bundle their own copy of zod.
 */
export function isZodSchema(value: unknown): value is ZodSchema {
  if (typeof value !== 'object' || value === null || !('_zod' in value)) return false;
  const internals: unknown = (value as { _zod: unknown })._zod;
  return typeof internals === 'object' && internals !== null && 'def' in internals;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

function withoutDialect(schema: JsonSchemaObject): JsonSchemaObject {
  const copy: JsonSchemaObject = { ...schema };
  // Providers reject or ignore the dialect URI; a clean object is what their tool definitions show.
  delete copy.$schema;
  return copy;
}

/**
 * Normalises a tool's `parameters` to plain JSON Schema (draft 2020-12) without `$schema`.
 *
 * Zod schemas are converted with the schema's own `toJSONSchema()` (zod 4 classic), in its default
 * "output" mode, so fields with
 * a `.default()` come out as required and objects come out with `additionalProperties: false`.
 * Plain objects are shallow-copied so stripping `$schema` never mutates the caller's schema.
 *
 * @throws TypeError when `parameters` is neither, or when zod cannot represent the schema (transforms,
 * dates, bigint and the like have no JSON Schema form).
 */
export function toJsonSchema(parameters: JsonSchema | ZodSchema): JsonSchema {
  if (typeof parameters === 'boolean') return parameters;
  if (isZodSchema(parameters)) {
    // The schema's own method, not `import { toJSONSchema } from 'zod'`: that import would pull all of
    // zod into the first-load bundle of every page, while the author of a zod schema already has it.
    const convert = (parameters as { toJSONSchema?: (params: object) => unknown }).toJSONSchema;
    if (typeof convert !== 'function') {
      throw new TypeError(
        'tool parameters: this zod schema has no toJSONSchema() method (zod/mini?); pass z.toJSONSchema(schema) instead',
      );
    }
    let converted: unknown;
    try {
      converted = convert.call(parameters, { target: 'draft-2020-12' });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new TypeError(`tool parameters: zod schema cannot be converted to JSON Schema: ${reason}`, {
        cause: error,
      });
    }
    return withoutDialect(converted as JsonSchemaObject);
  }
  if (isPlainObject(parameters)) return withoutDialect(parameters);
  const got = parameters === null ? 'null' : Array.isArray(parameters) ? 'array' : typeof parameters;
  throw new TypeError(`tool parameters must be a JSON Schema object or a zod schema, got ${got}`);
}

/**
 * Returns `schema` as an object schema, or throws. OpenAI function tools only accept an object at the
 * top level, and catching that at registration beats a rejected `session.update` mid-conversation.
 *
 * @param toolName - named in the error so the author knows which tool to fix.
 * @throws TypeError unless `schema` is an object with exactly `type: "object"`.
 */
export function ensureObjectSchema(schema: JsonSchema, toolName?: string): JsonSchemaObject {
  const subject = toolName === undefined ? 'tool parameters' : `tool "${toolName}" parameters`;
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    const got = schema === null ? 'null' : Array.isArray(schema) ? 'an array' : `${typeof schema} ${String(schema)}`;
    throw new TypeError(`${subject} must be a JSON Schema with type: "object", got ${got}`);
  }
  if (schema.type !== 'object') {
    const got = schema.type === undefined ? 'no type' : `type: ${JSON.stringify(schema.type)}`;
    throw new TypeError(
      `${subject} must have type: "object" at the top level (function tools take an object of named arguments), got ${got}`,
    );
  }
  return schema;
}
