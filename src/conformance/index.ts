/**
 * Conformance checks of the Realtime wire against two descriptions of it, and a value passes only when
 * both accept it:
 * - OpenAI's published schema (schema/openai-realtime.schema.json, cut from OpenAI's OpenAPI
 *   description): required fields, numeric bounds, examples;
 * - the `openai` package's TypeScript types (schema/openai-realtime.types.schema.json, generated from
 *   `resources/realtime` by scripts/generate-openai-types-schema.ts), the contract for the newer fields.
 *   Its objects are closed: what a client sends (events, the session of a call or a client secret) may
 *   carry no field the types do not name, so a misspelt or invented field fails. What the server sends
 *   is checked with the objects open, because the types leave out fields OpenAI sends (`session.created`
 *   carries `id`, `object` and `expires_at`, which the types' request shape has not).
 * Used by our tests and offered to users' tests: every event the emulator sends and every event a
 * transport sends must pass.
 *
 * The schemas are imported as JSON, so bundlers inline them and no file lookup can go wrong after a build.
 * @packageDocumentation
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import bundledSchema from '../../schema/openai-realtime.schema.json' with { type: 'json' };
import bundledTypesSchema from '../../schema/openai-realtime.types.schema.json' with { type: 'json' };
import { widenLaggingResponseShapes } from './published-schema-lag.js';

/** Outcome of one validation. `errors` is empty when `valid`. */
export interface ConformanceResult {
  valid: boolean;
  /** The schema definition the value was checked against, e.g. `RealtimeServerEventResponseDone`. */
  definition?: string;
  /** The definition of the `openai` package's types it was checked against too, e.g. `ResponseDoneEvent`. */
  typesDefinition?: string;
  errors: string[];
}

/** Validators for the Realtime wire: events both ways and the two HTTP endpoints' bodies. */
export interface ConformanceValidator {
  /** A server → client event (data channel or WebSocket). */
  validateServerEvent(event: unknown): ConformanceResult;
  /** A client → server event. */
  validateClientEvent(event: unknown): ConformanceResult;
  /** The JSON body of `POST /realtime/client_secrets`. */
  validateClientSecretRequest(body: unknown): ConformanceResult;
  /** The JSON response of `POST /realtime/client_secrets`. */
  validateClientSecretResponse(body: unknown): ConformanceResult;
  /** The `session` part of a multipart `POST /realtime/calls`. */
  validateCallSession(session: unknown): ConformanceResult;
  /** The type names the schema defines for each direction. */
  readonly serverEventTypes: ReadonlySet<string>;
  readonly clientEventTypes: ReadonlySet<string>;
}

type JsonObject = Record<string, unknown>;

/**
 * Properties that OpenAI's docs (and @openai/agents-realtime) set to `null` to turn a feature off, but
 * that the schema bundle types as objects only (../shared/FIELD-NOTES.md). They are made nullable.
 */
const NULLABLE_PROPERTIES = new Set(['noise_reduction', 'tracing', 'transcription', 'include']);

let shared: ConformanceValidator | undefined;

/** Returns a validator built once per process from the schema shipped with the package. */
export function getConformanceValidator(): ConformanceValidator {
  shared ??= createConformanceValidator();
  return shared;
}

/**
 * Builds a validator. Pass `schemaDocument` (same layout: `$defs`) to check against another copy of
 * OpenAI's schema, and `typesDocument` (same layout as the generated one: `definitions`) for other
 * types, or `null` to check against OpenAI's schema alone.
 */
export function createConformanceValidator(schemaDocument: object = bundledSchema, typesDocument: object | null = bundledTypesSchema): ConformanceValidator {
  // Cloned because the nullable relaxation rewrites the tree in place.
  const schema = structuredClone(schemaDocument) as { $defs: Record<string, JsonObject> };
  const types = typesDocument ? typesChecks(typesDocument) : undefined;
  relaxNullable(schema.$defs);
  // Only with the types beside it: they check what the widened places hold.
  if (types) widenLaggingResponseShapes(schema.$defs);
  const published = definitionSet(schema.$defs, '$defs', 'realtime');

  const serverByType = eventDefinitionsByType(schema.$defs, 'RealtimeServerEvent');
  const clientByType = eventDefinitionsByType(schema.$defs, 'RealtimeClientEvent');

  /** Checks `value` against OpenAI's `definition` and, when given, the types' `typed` (closed or open). */
  const check = (definition: string, value: unknown, typed?: { definition: string | undefined; closed: boolean; what: string }): ConformanceResult => {
    const result = published.check(definition, value);
    if (!types || !typed) return { ...result, definition };
    if (!typed.definition) return { valid: false, definition, errors: [...result.errors, `the openai package types have no ${typed.what}`] };
    const second = (typed.closed ? types.closed : types.open).check(typed.definition, value);
    return {
      valid: result.valid && second.valid,
      definition,
      typesDefinition: typed.definition,
      errors: [...result.errors, ...second.errors.map((error) => `(openai ${types.version} types) ${error}`)],
    };
  };

  const checkEvent = (byType: Map<string, string>, event: unknown, direction: 'server' | 'client'): ConformanceResult => {
    const type = isObject(event) && typeof event.type === 'string' ? event.type : undefined;
    if (!type) return { valid: false, errors: [`${direction} event has no string "type"`] };
    const definition = byType.get(type);
    if (!definition) return { valid: false, errors: [`unknown ${direction} event type "${type}"`] };
    const typed = direction === 'client' ? types?.clientByType.get(type) : types?.serverByType.get(type);
    return check(definition, event, { definition: typed, closed: direction === 'client', what: `${direction} event "${type}"` });
  };

  const request = (definition: string) => ({ definition, closed: true, what: definition });
  return {
    validateServerEvent: (event) => checkEvent(serverByType, event, 'server'),
    validateClientEvent: (event) => checkEvent(clientByType, event, 'client'),
    validateClientSecretRequest: (body) => check('RealtimeCreateClientSecretRequest', body, request('ClientSecretCreateParams')),
    validateClientSecretResponse: (body) =>
      check('RealtimeCreateClientSecretResponse', body, { definition: 'ClientSecretCreateResponse', closed: false, what: 'ClientSecretCreateResponse' }),
    validateCallSession: (session) => check('RealtimeSessionCreateRequestGA', session, request('RealtimeSessionCreateRequest')),
    serverEventTypes: new Set(serverByType.keys()),
    clientEventTypes: new Set(clientByType.keys()),
  };
}

interface DefinitionSet {
  check(definition: string, value: unknown): { valid: boolean; errors: string[] };
}

/** Compiles definitions of one document lazily, by name. */
function definitionSet(defs: Record<string, JsonObject>, keyword: '$defs' | 'definitions', id: string): DefinitionSet {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ $id: id, [keyword]: defs });
  const compiled = new Map<string, ValidateFunction>();
  return {
    check(definition, value) {
      let fn = compiled.get(definition);
      if (!fn) {
        fn = ajv.getSchema(`${id}#/${keyword}/${definition}`);
        if (!fn) throw new Error(`schema ${id} has no definition ${definition}`);
        compiled.set(definition, fn);
      }
      const valid = fn(value) as boolean;
      return { valid, errors: valid ? [] : formatErrors(fn.errors) };
    },
  };
}

/** The types' document as two definition sets (objects closed, and opened for server events) and its event maps. */
function typesChecks(document: object): {
  closed: DefinitionSet;
  open: DefinitionSet;
  version: string;
  clientByType: Map<string, string>;
  serverByType: Map<string, string>;
} {
  const closed = structuredClone((document as { definitions: Record<string, JsonObject> }).definitions);
  relaxNullable(closed);
  const open = structuredClone(closed);
  openObjects(open);
  const version = String((document as { 'x-openai-version'?: unknown })['x-openai-version'] ?? '?');
  return {
    closed: definitionSet(closed, 'definitions', 'openai-types'),
    open: definitionSet(open, 'definitions', 'openai-types-open'),
    version,
    clientByType: unionMembersByType(closed, 'RealtimeClientEvent'),
    serverByType: unionMembersByType(closed, 'RealtimeServerEvent'),
  };
}

/** Maps each event `type` constant of a union definition's members (`anyOf` of `$ref`s) to the member. */
function unionMembersByType(defs: Record<string, JsonObject>, union: string): Map<string, string> {
  const byType = new Map<string, string>();
  for (const member of (defs[union]?.anyOf as JsonObject[] | undefined) ?? []) {
    const name = typeof member.$ref === 'string' ? member.$ref.split('/').pop()! : undefined;
    const typeSchema = name ? ((defs[name]?.properties as JsonObject | undefined)?.type as JsonObject | undefined) : undefined;
    const values = typeSchema?.const !== undefined ? [typeSchema.const] : (typeSchema?.enum as unknown[]) ?? [];
    for (const value of values) if (typeof value === 'string') byType.set(value, name!);
  }
  return byType;
}

/** Drops every `additionalProperties: false`: fields the types do not name are let through. */
function openObjects(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(openObjects);
    return;
  }
  if (!isObject(node)) return;
  if (node.additionalProperties === false) delete node.additionalProperties;
  for (const value of Object.values(node)) openObjects(value);
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Maps each event `type` constant to the `$defs` entry that describes it. */
function eventDefinitionsByType(defs: Record<string, JsonObject>, prefix: string): Map<string, string> {
  const byType = new Map<string, string>();
  for (const [name, def] of Object.entries(defs)) {
    if (!name.startsWith(prefix) || name === prefix) continue;
    const typeSchema = (def.properties as JsonObject | undefined)?.type as JsonObject | undefined;
    const values = typeSchema?.const !== undefined ? [typeSchema.const] : (typeSchema?.enum as unknown[]) ?? [];
    for (const value of values) if (typeof value === 'string') byType.set(value, name);
  }
  return byType;
}

function allowsNull(schema: JsonObject): boolean {
  if (schema.type === 'null' || (Array.isArray(schema.type) && schema.type.includes('null'))) return true;
  const branches = (schema.anyOf ?? schema.oneOf) as JsonObject[] | undefined;
  return Array.isArray(branches) && branches.some((branch) => isObject(branch) && allowsNull(branch));
}

/**
 * Rewrites OpenAPI's `nullable: true` as JSON Schema (Ajv accepts `nullable` only beside `type`) and
 * makes the {@link NULLABLE_PROPERTIES} nullable.
 */
function relaxNullable(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(relaxNullable);
    return;
  }
  if (!isObject(node)) return;
  if (node.nullable === true) {
    delete node.nullable;
    if (typeof node.type === 'string') node.type = [node.type, 'null'];
    else if (!allowsNull(node)) {
      const copy = { ...node };
      for (const key of Object.keys(node)) delete node[key];
      node.anyOf = [copy, { type: 'null' }];
    }
    if (Array.isArray(node.enum) && !node.enum.includes(null)) node.enum = [...node.enum, null];
  }
  const properties = node.properties;
  if (isObject(properties)) {
    for (const [key, value] of Object.entries(properties)) {
      if (NULLABLE_PROPERTIES.has(key) && isObject(value) && !allowsNull(value)) {
        properties[key] = { anyOf: [value, { type: 'null' }] };
      }
    }
  }
  for (const value of Object.values(node)) relaxNullable(value);
}

function formatErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).slice(0, 12).map((error) => {
    const where = error.instancePath || '(root)';
    const extra = error.params && Object.keys(error.params).length ? ` ${JSON.stringify(error.params)}` : '';
    return `${where} ${error.message ?? 'is invalid'}${extra}`;
  });
}

export { createLiveConformanceValidator, getLiveConformanceValidator } from './live.js';
export type { LiveConformanceValidator } from './live.js';
