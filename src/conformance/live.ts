/**
 * Conformance checks against the GPT-Live contract: schema/openai-live.schema.json, generated from the
 * `openai` package's TypeScript types (resources/live) by scripts/generate-live-schema.ts. Every event
 * the emulator's Live endpoint sends and every event the `openai-live-webrtc` adapter sends must pass;
 * so must the Responses stream events a `response.event` nests, and the body the server posts to
 * `POST /v1/live/sessions`.
 * @packageDocumentation
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import liveSchema from '../../schema/openai-live.schema.json' with { type: 'json' };
import type { ConformanceResult } from './index.js';

/** Validators for the GPT-Live wire. */
export interface LiveConformanceValidator {
  /** A Live server event (data channel). A `response.event` is checked with the event it nests. */
  validateServerEvent(event: unknown): ConformanceResult;
  /** A Live client event. */
  validateClientEvent(event: unknown): ConformanceResult;
  /** A Responses stream event, as nested in `response.event`. */
  validateNestedResponseEvent(event: unknown): ConformanceResult;
  /** The JSON body of `POST /v1/live/sessions`. */
  validateCreateRequest(body: unknown): ConformanceResult;
  /** The JSON answer of `POST /v1/live/sessions`. */
  validateCreateAnswer(body: unknown): ConformanceResult;
  /** Event types the contract defines, by direction. */
  readonly serverEventTypes: ReadonlySet<string>;
  readonly clientEventTypes: ReadonlySet<string>;
  readonly nestedEventTypes: ReadonlySet<string>;
}

type JsonObject = Record<string, unknown>;
type Definitions = Record<string, JsonObject>;

let shared: LiveConformanceValidator | undefined;

/** Returns a validator built once per process from the schema shipped with the package. */
export function getLiveConformanceValidator(): LiveConformanceValidator {
  shared ??= createLiveConformanceValidator();
  return shared;
}

/** Builds a validator; pass `schemaDocument` (same layout: `definitions`) to check against another copy. */
export function createLiveConformanceValidator(schemaDocument: object = liveSchema): LiveConformanceValidator {
  const definitions = (schemaDocument as { definitions: Definitions }).definitions;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ $id: 'live', definitions });
  const compiled = new Map<string, ValidateFunction>();
  /** Compiles one schema node lazily (a branch of a union, or a whole definition). */
  const validatorFor = (pointer: string): ValidateFunction => {
    let fn = compiled.get(pointer);
    if (!fn) {
      fn = ajv.getSchema(`live#${pointer}`);
      if (!fn) throw new Error(`the Live schema has no ${pointer}`);
      compiled.set(pointer, fn);
    }
    return fn;
  };
  const check = (pointer: string, definition: string, value: unknown): ConformanceResult => {
    const fn = validatorFor(pointer);
    const valid = fn(value) as boolean;
    return { valid, definition, errors: valid ? [] : formatErrors(fn.errors) };
  };

  const server = branchesByType(definitions, 'LiveServerEvent');
  const client = branchesByType(definitions, 'LiveClientEvent');
  const nested = branchesByType(definitions, 'LiveNestedResponseEvent');

  const checkEvent = (union: string, byType: Map<string, string>, event: unknown, direction: string): ConformanceResult => {
    const type = isObject(event) && typeof event.type === 'string' ? event.type : undefined;
    if (!type) return { valid: false, errors: [`${direction} event has no string "type"`] };
    const pointer = byType.get(type);
    if (!pointer) return { valid: false, errors: [`unknown ${direction} event type "${type}"`] };
    return check(pointer, `${union}(${type})`, event);
  };
  const validateNestedResponseEvent = (event: unknown): ConformanceResult =>
    checkEvent('LiveNestedResponseEvent', nested, event, 'nested Responses');

  return {
    validateServerEvent(event) {
      const result = checkEvent('LiveServerEvent', server, event, 'Live server');
      // The outer type types `event` as any object; the nested stream has its own contract.
      if (!result.valid || !isObject(event) || event.type !== 'response.event') return result;
      const inner = validateNestedResponseEvent(event.event);
      return inner.valid ? result : { valid: false, definition: inner.definition, errors: inner.errors.map((error) => `event${error.startsWith('/') ? '' : ' '}${error}`) };
    },
    validateClientEvent: (event) => checkEvent('LiveClientEvent', client, event, 'Live client'),
    validateNestedResponseEvent,
    validateCreateRequest: (body) => check('/definitions/LiveCreateRequest', 'LiveCreateRequest', body),
    validateCreateAnswer: (body) => check('/definitions/LiveCreateAnswer', 'LiveCreateAnswer', body),
    serverEventTypes: new Set(server.keys()),
    clientEventTypes: new Set(client.keys()),
    nestedEventTypes: new Set(nested.keys()),
  };
}

/**
 * Maps each `type` constant of a union definition to the JSON pointer of its branch, following the
 * shared `$ref`s the generator's output uses, so an event is checked against its own branch (clear
 * errors) rather than against a union of dozens.
 */
function branchesByType(definitions: Definitions, union: string): Map<string, string> {
  const byType = new Map<string, string>();
  const branches = (definitions[union]?.anyOf as JsonObject[] | undefined) ?? [];
  branches.forEach((branch, index) => {
    const pointer = `/definitions/${union}/anyOf/${index}`;
    for (const type of typeConstants(resolve(definitions, branch), definitions)) if (!byType.has(type)) byType.set(type, pointer);
  });
  return byType;
}

function typeConstants(schema: JsonObject, definitions: Definitions): string[] {
  const typeSchema = resolve(definitions, ((schema.properties as JsonObject | undefined)?.type as JsonObject | undefined) ?? {});
  if (typeof typeSchema.const === 'string') return [typeSchema.const];
  if (Array.isArray(typeSchema.enum)) return typeSchema.enum.filter((value): value is string => typeof value === 'string');
  return [];
}

function resolve(definitions: Definitions, schema: JsonObject): JsonObject {
  let node = schema;
  for (let depth = 0; typeof node.$ref === 'string' && depth < 8; depth += 1) {
    node = definitions[node.$ref.replace('#/definitions/', '')] ?? {};
  }
  return node;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function formatErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).slice(0, 12).map((error) => {
    const where = error.instancePath || '(root)';
    const extra = error.params && Object.keys(error.params).length ? ` ${JSON.stringify(error.params)}` : '';
    return `${where} ${error.message ?? 'is invalid'}${extra}`;
  });
}
