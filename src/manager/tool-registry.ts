/**
 * The manager's tool registry: the only source of the tool list sent to the provider.
 */
import type { RealtimeFunctionDefinition } from './session-config.js';
import { ensureObjectSchema, toJsonSchema, type JsonSchema } from './tools/schema.js';
import type { RealtimeToolRegistration } from './types.js';

/** A registered tool with its parameters normalised to JSON Schema once, at registration. */
export interface RegisteredTool {
  registration: RealtimeToolRegistration;
  definition: RealtimeFunctionDefinition;
  schema: JsonSchema;
}

/** OpenAI's rule for function names; a bad name would otherwise fail only at session.update time. */
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export class ToolRegistry {
  #tools = new Map<string, RegisteredTool>();

  /** Adds or replaces a tool. Throws a TypeError naming the problem for a malformed registration. */
  register(tool: RealtimeToolRegistration): void {
    if (typeof tool !== 'object' || tool === null) throw new TypeError('registerTool: expected a tool object');
    const { definition, handler, timeoutMs } = tool;
    if (typeof definition !== 'object' || definition === null || definition.type !== 'function') {
      throw new TypeError("registerTool: definition.type must be 'function'");
    }
    if (typeof definition.name !== 'string' || !TOOL_NAME.test(definition.name)) {
      throw new TypeError(
        `registerTool: definition.name must match ${TOOL_NAME} (letters, digits, _ and -, at most 64), got ${JSON.stringify(definition.name)}`,
      );
    }
    if (typeof handler !== 'function') throw new TypeError(`registerTool(${definition.name}): handler must be a function`);
    if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
      throw new TypeError(`registerTool(${definition.name}): timeoutMs must be a positive number`);
    }
    const parameters = (definition.parameters ?? { type: 'object', properties: {} }) as Parameters<typeof toJsonSchema>[0];
    const schema = ensureObjectSchema(toJsonSchema(parameters), definition.name);
    const normalized: RealtimeFunctionDefinition = {
      type: 'function',
      name: definition.name,
      parameters: schema,
      ...(definition.description ? { description: definition.description } : {}),
    };
    this.#tools.set(definition.name, { registration: tool, definition: normalized, schema });
  }

  unregister(name: string): boolean {
    return this.#tools.delete(name);
  }

  get(name: string): RegisteredTool | undefined {
    return this.#tools.get(name);
  }

  definitions(): RealtimeFunctionDefinition[] {
    return [...this.#tools.values()].map((tool) => tool.definition);
  }
}
