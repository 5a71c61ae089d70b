/**
 * `defineTool()`: a tool written with its schema, whose handler's arguments are typed from that schema.
 * @packageDocumentation
 */
import type { RealtimeToolOf, RealtimeToolParameters } from './types.js';

/**
 * Returns `tool` as it is; its only job is the type of the handler's arguments, inferred from
 * `definition.parameters`: `z.output` of a zod schema, or the type a JSON Schema written inline
 * describes (no `as const` needed). Use it where nothing else can infer, such as the `tools` property
 * of `<charivo-realtime>` or a tool declared in a module of its own:
 *
 * ```ts
 * const weather = defineTool({
 *   definition: {
 *     type: 'function',
 *     name: 'get_weather',
 *     parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
 *   },
 *   handler: async ({ city }) => ({ city, forecast: 'sunny' }), // city: string
 * });
 * session.tools = [weather];
 * ```
 *
 * `createRealtimeManager(transport, { tools: [...] })` and `registerTool()` infer the same way without it.
 */
export function defineTool<const P extends RealtimeToolParameters>(tool: RealtimeToolOf<P>): RealtimeToolOf<P> {
  return tool;
}
