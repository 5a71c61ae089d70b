// Compile-time checks (`npm run typecheck`, never run): a tool handler's arguments are typed from the
// tool's own schema, zod or JSON Schema written inline, in every place a tool is written: defineTool(),
// createRealtimeManager({ tools }), manager.registerTool() and <charivo-realtime>.registerTool(). A wrong
// use is a compile error (`@ts-expect-error` fails the build when the line compiles).
import { z } from 'zod';
import * as zm from 'zod/mini';
import type { CharivoRealtime } from '../../src/elements/index.js';
import {
  createRealtimeManager,
  defineTool,
  type JsonSchema,
  type JsonSchemaType,
  type RealtimeManager,
  type RealtimeToolRegistration,
  type ToolArguments,
} from '../../src/manager/index.js';
import type { RealtimeTransport } from '../../src/transports/types.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const same = <A, B>(proof: Equal<A, B>) => proof;

// zod (classic): z.output of the schema, optional fields optional, defaults applied.
export const expression = defineTool({
  definition: {
    type: 'function',
    name: 'setExpression',
    parameters: z.object({ expressionId: z.enum(['Smile', 'Sad']), intensity: z.number().min(0).max(1).optional(), speed: z.number().default(1) }),
  },
  async handler(args, { signal }) {
    same<typeof args, { expressionId: 'Smile' | 'Sad'; intensity?: number | undefined; speed: number }>(true);
    void signal;
    // @ts-expect-error no such argument
    void args.expression;
    return { shown: args.expressionId };
  },
});

// zod mini.
export const dice = defineTool({
  definition: { type: 'function', name: 'rollDice', parameters: zm.object({ sides: zm.int() }) },
  handler: ({ sides }) => {
    same<typeof sides, number>(true);
    return { result: Math.min(sides, 4) };
  },
});

// JSON Schema written inline: no `as const` needed.
export const weather = defineTool({
  definition: {
    type: 'function',
    name: 'get_weather',
    parameters: {
      type: 'object',
      properties: {
        city: { type: 'string' },
        days: { type: 'integer', minimum: 1 },
        unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
        note: { type: ['string', 'null'] },
        kind: { const: 'forecast' },
        at: { type: 'object', properties: { lat: { type: 'number' }, lon: { type: 'number' } }, required: ['lat', 'lon'] },
        tags: { type: 'array', items: { type: 'string' } },
        stops: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } },
        pair: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'boolean' }] },
        either: { anyOf: [{ type: 'string' }, { type: 'number' }] },
        extra: { type: 'object', additionalProperties: { type: 'number' } },
        ref: { $ref: '#/$defs/x' },
      },
      required: ['city', 'unit'],
    },
  },
  handler(args) {
    same<
      typeof args,
      {
        city: string;
        unit: 'celsius' | 'fahrenheit';
        days?: number;
        note?: string | null;
        kind?: 'forecast';
        at?: { lat: number; lon: number };
        tags?: string[];
        stops?: { name: string }[];
        pair?: [string, boolean];
        either?: string | number;
        extra?: { [key: string]: number };
        ref?: unknown;
      }
    >(true);
    // @ts-expect-error `city` is a string
    const wrong: number = args.city;
    return { wrong };
  },
});

// A schema declared apart keeps its literal types with `as const`.
const searchSchema = { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] } as const;
export const search = defineTool({
  definition: { type: 'function', name: 'search', parameters: searchSchema },
  handler: ({ query }) => ({ query: query.toUpperCase() }),
});
same<JsonSchemaType<typeof searchSchema>, { query: string }>(true);

// A schema the compiler cannot see into leaves the arguments `any` (annotate them yourself).
declare const opaque: JsonSchema;
same<ToolArguments<typeof opaque>, any>(true);
export const annotated = defineTool({
  definition: { type: 'function', name: 'opaque', parameters: opaque },
  handler: ({ id }: { id: string }) => ({ id }),
});

// createRealtimeManager infers each tool of the list from its own schema.
declare const transport: RealtimeTransport;
export const manager: RealtimeManager = createRealtimeManager(transport, {
  tools: [
    {
      definition: { type: 'function', name: 'a', parameters: z.object({ n: z.number() }) },
      handler: ({ n }) => {
        same<typeof n, number>(true);
        return { n };
      },
    },
    {
      definition: { type: 'function', name: 'b', parameters: { type: 'object', properties: { s: { type: 'string' } }, required: ['s'] } },
      handler({ s }) {
        same<typeof s, string>(true);
        return { s };
      },
    },
    expression,
    weather,
  ],
  toolTimeoutMs: 5000,
});

// registerTool, on the manager and on the element.
manager.registerTool({
  definition: { type: 'function', name: 'c', parameters: z.object({ on: z.boolean() }) },
  handler: ({ on }) => {
    same<typeof on, boolean>(true);
    return { on };
  },
});
declare const session: CharivoRealtime;
session.registerTool({
  definition: { type: 'function', name: 'd', parameters: { type: 'object', properties: { when: { type: 'string' } } } },
  handler: ({ when }) => {
    same<typeof when, string | undefined>(true);
    return { when };
  },
});
// The `tools` property holds tools of any schema; defineTool keeps each one's handler typed.
session.tools = [expression, dice, weather, search];

// Tools typed the older way (arguments named by the handler, an interface) still fit everywhere.
interface GreetArgs {
  name: string;
}
declare const greet: RealtimeToolRegistration<GreetArgs>;
createRealtimeManager(transport, { tools: [greet] });
manager.registerTool(greet);
session.tools = [greet, expression];

// A handler whose annotation contradicts the schema is refused.
defineTool({
  definition: { type: 'function', name: 'e', parameters: z.object({ n: z.number() }) },
  // @ts-expect-error the schema says n is a number
  handler: ({ n }: { n: string }) => ({ n }),
});
