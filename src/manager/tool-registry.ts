/**
 * The manager's tool registry: the only source of the tool list sent to the provider. It keeps its own
 * deep-frozen copy of each definition (the JSON the provider receives), so neither the caller's schema
 * edited after registering nor a definition read back can change what is sent or what validation
 * accepts: arguments are validated against exactly what was sent.
 */
import { RealtimeError } from './errors.js';
import { deepFreeze, frozenJsonCopy } from './freeze.js';
import { errorMessage } from './errors.js';
import type { RealtimeFunctionToolDefinition } from './session-config.js';
import { ensureObjectSchema, toJsonSchema, type JsonSchema } from './tools/schema.js';
import type { RealtimeToolRegistration } from './types.js';
import type { ToolPin } from '../session/tool-pins.js';

/** A registered tool: its handler and timeout as given, its definition frozen as sent. */
export interface RegisteredTool {
  name: string;
  handler: RealtimeToolRegistration['handler'];
  timeoutMs: number | undefined;
  definition: RealtimeFunctionToolDefinition;
  /** The parameters of `definition`: what arguments are validated against. */
  schema: JsonSchema;
}

/** OpenAI's rule for function names; a bad name would otherwise fail only at session.update time. */
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export class ToolRegistry {
  #tools = new Map<string, RegisteredTool>();

  /** Adds or replaces a tool. Throws a {@link RealtimeError} `invalid_argument` naming the problem. */
  register(tool: RealtimeToolRegistration): void {
    if (typeof tool !== 'object' || tool === null) invalid('registerTool: expected a tool object');
    const { definition, handler, timeoutMs } = tool;
    if (typeof definition !== 'object' || definition === null || definition.type !== 'function') {
      invalid("registerTool: definition.type must be 'function'");
    }
    const { name } = definition;
    if (typeof name !== 'string' || !TOOL_NAME.test(name)) {
      invalid(`registerTool: definition.name must match ${TOOL_NAME} (letters, digits, _ and -, at most 64), got ${JSON.stringify(name)}`);
    }
    if (typeof handler !== 'function') invalid(`registerTool(${name}): handler must be a function`);
    if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && Number.isFinite(timeoutMs) && timeoutMs > 0)) {
      invalid(`registerTool(${name}): timeoutMs must be a positive number`);
    }
    let schema: JsonSchema;
    try {
      const parameters = (definition.parameters ?? { type: 'object', properties: {} }) as Parameters<typeof toJsonSchema>[0];
      schema = frozenJsonCopy(ensureObjectSchema(toJsonSchema(parameters), name));
    } catch (error) {
      throw new RealtimeError('invalid_argument', `registerTool(${name}): ${errorMessage(error)}`, { cause: error });
    }
    const description = typeof definition.description === 'string' && definition.description ? definition.description : undefined;
    const frozen = deepFreeze<RealtimeFunctionToolDefinition>({
      type: 'function',
      name,
      parameters: schema as RealtimeFunctionToolDefinition['parameters'],
      ...(description ? { description } : {}),
    });
    this.#tools.set(name, { name, handler, timeoutMs, definition: frozen, schema });
  }

  unregister(name: string): boolean {
    return this.#tools.delete(name);
  }

  get(name: string): RegisteredTool | undefined {
    return this.#tools.get(name);
  }

  /** The registered tools, in registration order. */
  entries(): IterableIterator<RegisteredTool> {
    return this.#tools.values();
  }

  /** The frozen definitions, in registration order (a new array each call). */
  definitions(): RealtimeFunctionToolDefinition[] {
    return [...this.#tools.values()].map((tool) => tool.definition);
  }
}

/** Pinned views of registered tools, so a pin's schema is normalised once per registration and pin. */
const pinned = new WeakMap<RegisteredTool, { pin: ToolPin; tool: RegisteredTool }>();

/**
 * `tool` as a session whose server pins it runs it: the pinned description and parameters are what the
 * model sees, so they are what its arguments are validated against. A pinned schema that is not an
 * object schema validates nothing as acceptable (`false`): the handler never runs on arguments the
 * page cannot check.
 */
export function withPin(tool: RegisteredTool, pin: ToolPin | undefined): RegisteredTool {
  if (!pin || (pin.parameters === undefined && pin.description === undefined)) return tool;
  const cached = pinned.get(tool);
  if (cached?.pin === pin) return cached.tool;
  let schema: JsonSchema = tool.schema;
  if (pin.parameters !== undefined) {
    try {
      schema = frozenJsonCopy(ensureObjectSchema(toJsonSchema(pin.parameters as JsonSchema), tool.name));
    } catch {
      schema = false;
    }
  }
  const definition = deepFreeze<RealtimeFunctionToolDefinition>({
    ...tool.definition,
    ...(pin.description !== undefined ? { description: pin.description } : {}),
    ...(pin.parameters !== undefined ? { parameters: structuredClone(pin.parameters) as RealtimeFunctionToolDefinition['parameters'] } : {}),
  });
  const view: RegisteredTool = { ...tool, definition, schema };
  pinned.set(tool, { pin, tool: view });
  return view;
}

function invalid(message: string): never {
  throw new RealtimeError('invalid_argument', message);
}
