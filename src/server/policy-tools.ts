/**
 * The policy's rules for the tools a page declares: which names, whose descriptions, and how much
 * model-visible text the page may put in them. Tool descriptions reach the model like instructions
 * do, so a server that refuses the page's instructions must be able to close this channel too.
 * @packageDocumentation
 */
import { InvalidConfigurationError, PolicyViolationError } from './errors.js';
import { findJsonShapeFault } from './json-limits.js';
import type { RealtimeFunctionToolDefinition } from '../session/session-config.js';
import { pageToolText, pinTool, type ToolPin } from '../session/tool-pins.js';

export { schemaText } from '../session/tool-pins.js';

/** An allowed tool whose model-visible parts the server decides (the browser and the guard apply the same pins). */
export type RealtimeToolPin = ToolPin;

/** The limits {@link applyToolPolicy} enforces. */
export interface ToolPolicy {
  allowedTools: ReadonlyMap<string, RealtimeToolPin> | undefined;
  maxTools: number;
  maxToolBytes: number;
  maxToolTextChars: number;
}

const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Turns `policy.allowedTools` into a map by name, refusing nonsense at start-up. */
export function resolveToolPins(entries: Array<string | RealtimeToolPin>, maxJsonDepth: number): ReadonlyMap<string, RealtimeToolPin> {
  if (!Array.isArray(entries)) throw new InvalidConfigurationError('policy.allowedTools must be an array of names or { name, description?, parameters? }.');
  const pins = new Map<string, RealtimeToolPin>();
  for (const entry of entries) {
    const pin: RealtimeToolPin = typeof entry === 'string' ? { name: entry } : { ...entry };
    if (typeof pin.name !== 'string' || !TOOL_NAME.test(pin.name)) {
      throw new InvalidConfigurationError(`policy.allowedTools: ${JSON.stringify(pin.name)} is not a tool name (1–64 letters, digits, _ or -).`);
    }
    if (pins.has(pin.name)) throw new InvalidConfigurationError(`policy.allowedTools: "${pin.name}" is listed twice.`);
    if (pin.description !== undefined && typeof pin.description !== 'string') {
      throw new InvalidConfigurationError(`policy.allowedTools: the description of "${pin.name}" must be a string.`);
    }
    if (pin.parameters !== undefined) {
      if (typeof pin.parameters !== 'object' || pin.parameters === null || Array.isArray(pin.parameters)) {
        throw new InvalidConfigurationError(`policy.allowedTools: the parameters of "${pin.name}" must be a JSON Schema object.`);
      }
      if (findJsonShapeFault(pin.parameters, maxJsonDepth - 5)) {
        throw new InvalidConfigurationError(`policy.allowedTools: the parameters of "${pin.name}" nest too deep for maxJsonDepth.`);
      }
    }
    pins.set(pin.name, pin);
  }
  return pins;
}

/**
 * Checks the page's tools against the policy and returns the tools to create, with pinned
 * descriptions and parameters in place. Throws {@link PolicyViolationError} naming the field.
 */
export function applyToolPolicy(tools: RealtimeFunctionToolDefinition[], policy: ToolPolicy): RealtimeFunctionToolDefinition[] {
  if (tools.length > policy.maxTools) {
    throw new PolicyViolationError(`session.tools: at most ${policy.maxTools} tools are allowed (got ${tools.length}).`, 'session.tools');
  }
  const bytes = new TextEncoder().encode(JSON.stringify(tools)).byteLength;
  if (bytes > policy.maxToolBytes) {
    throw new PolicyViolationError(`session.tools: at most ${policy.maxToolBytes} bytes of tool definitions are allowed (got ${bytes}).`, 'session.tools');
  }
  let text = 0;
  const out = tools.map((tool, index) => {
    const pin = policy.allowedTools?.get(tool.name);
    if (policy.allowedTools && !pin) {
      throw new PolicyViolationError(
        `session.tools[${index}].name: the tool "${tool.name}" is not allowed on this server; allowed: ${[...policy.allowedTools.keys()].join(', ') || 'none'}.`,
        `session.tools[${index}].name`,
      );
    }
    text += pageToolText(tool, pin);
    const pinned = pinTool(tool, pin);
    return pinned as RealtimeFunctionToolDefinition;
  });
  if (text > policy.maxToolTextChars) {
    throw new PolicyViolationError(
      `session.tools: at most ${policy.maxToolTextChars} characters of descriptions are allowed from the browser (got ${text}).`,
      'session.tools',
    );
  }
  return out;
}
