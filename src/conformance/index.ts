/**
 * Conformance checks against OpenAI's published Realtime schema (schema/openai-realtime.schema.json,
 * cut from OpenAI's OpenAPI description). Used by our tests and offered to users' tests: every event the
 * emulator sends and every event a transport sends must pass.
 *
 * The schema is imported as JSON, so bundlers inline it and no file lookup can go wrong after a build.
 * @packageDocumentation
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import bundledSchema from '../../schema/openai-realtime.schema.json' with { type: 'json' };

/** Outcome of one validation. `errors` is empty when `valid`. */
export interface ConformanceResult {
  valid: boolean;
  /** The schema definition the value was checked against, e.g. `RealtimeServerEventResponseDone`. */
  definition?: string;
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

/** Builds a validator; pass `schemaDocument` (same layout: `$defs`) to check against another copy. */
export function createConformanceValidator(schemaDocument: object = bundledSchema): ConformanceValidator {
  // Cloned because the nullable relaxation rewrites the tree in place.
  const schema = structuredClone(schemaDocument) as { $defs: Record<string, JsonObject> };
  relaxNullable(schema.$defs);

  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ $id: 'realtime', $defs: schema.$defs });
  const compiled = new Map<string, ValidateFunction>();
  const validatorFor = (definition: string): ValidateFunction => {
    let fn = compiled.get(definition);
    if (!fn) {
      fn = ajv.getSchema(`realtime#/$defs/${definition}`);
      if (!fn) throw new Error(`schema has no definition ${definition}`);
      compiled.set(definition, fn);
    }
    return fn;
  };

  const serverByType = eventDefinitionsByType(schema.$defs, 'RealtimeServerEvent');
  const clientByType = eventDefinitionsByType(schema.$defs, 'RealtimeClientEvent');

  const check = (definition: string, value: unknown): ConformanceResult => {
    const fn = validatorFor(definition);
    const valid = fn(value) as boolean;
    return { valid, definition, errors: valid ? [] : formatErrors(fn.errors) };
  };

  const checkEvent = (byType: Map<string, string>, event: unknown, direction: string): ConformanceResult => {
    const type = isObject(event) && typeof event.type === 'string' ? event.type : undefined;
    if (!type) return { valid: false, errors: [`${direction} event has no string "type"`] };
    const definition = byType.get(type);
    if (!definition) return { valid: false, errors: [`unknown ${direction} event type "${type}"`] };
    return check(definition, event);
  };

  return {
    validateServerEvent: (event) => checkEvent(serverByType, event, 'server'),
    validateClientEvent: (event) => checkEvent(clientByType, event, 'client'),
    validateClientSecretRequest: (body) => check('RealtimeCreateClientSecretRequest', body),
    validateClientSecretResponse: (body) => check('RealtimeCreateClientSecretResponse', body),
    validateCallSession: (session) => check('RealtimeSessionCreateRequestGA', session),
    serverEventTypes: new Set(serverByType.keys()),
    clientEventTypes: new Set(clientByType.keys()),
  };
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
