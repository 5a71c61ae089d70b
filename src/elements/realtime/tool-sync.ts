/**
 * Keeps the manager's registry in step with the element's `tools` property: tools that left the list
 * are unregistered, new or changed ones registered; a malformed entry is reported and skipped so the
 * others still work. Tools registered through `registerTool()` are left alone.
 */
import { RealtimePolicyError, type RealtimeManager, type RealtimeToolRegistration } from '../../manager/index.js';
import type { CharivoErrorDetail } from './realtime-events.js';

export class ToolSync {
  #fromProperty = new Map<string, RealtimeToolRegistration>();

  constructor(
    private readonly manager: RealtimeManager,
    private readonly fail: (detail: CharivoErrorDetail) => void,
  ) {}

  sync(tools: readonly RealtimeToolRegistration[]): void {
    const next = new Map<string, RealtimeToolRegistration>();
    tools.forEach((tool, index) => {
      const name = (tool as { definition?: { name?: unknown } } | null)?.definition?.name;
      try {
        if (typeof name === 'string' && next.has(name)) throw new TypeError(`duplicate tool name "${name}"`);
        if (this.#fromProperty.get(String(name)) !== tool) this.manager.registerTool(tool);
        next.set(name as string, tool);
      } catch (error) {
        const message = `tools[${index}]: ${error instanceof Error ? error.message : String(error)}`;
        // A tool the server's policy does not allow is skipped like a malformed one, with its own code.
        if (error instanceof RealtimePolicyError) this.fail({ code: 'policy_locked', field: error.field, source: 'tools', message, error });
        else this.fail({ code: 'invalid_tool', source: 'tools', message });
      }
    });
    for (const name of this.#fromProperty.keys()) if (!next.has(name)) this.manager.unregisterTool(name);
    this.#fromProperty = next;
  }
}
