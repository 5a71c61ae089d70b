/**
 * The server's say over the tools a page declares, in the one form the route (at mint), the
 * browser's policy lock (live) and the guard (on the wire) all apply: pinned descriptions and
 * parameters replace the page's, and the page's own model-visible text is counted the same way
 * everywhere. Tool descriptions reach the model like instructions do, so a server that refuses the
 * page's instructions must be able to close this channel too.
 *
 * Free of Node imports: the browser runs it.
 * @packageDocumentation
 */

/** An allowed tool whose model-visible parts the server decides. */
export interface ToolPin {
  /** The tool name, as the page registers it. */
  name: string;
  /** Replaces the page's description (the model sees this one). */
  description?: string;
  /** Replaces the page's parameters JSON Schema (its descriptions included). */
  parameters?: Record<string, unknown>;
}

/** A tool as the session (camelCase config or OpenAI's wire object, alike here) carries it. */
export interface PinnableTool {
  name: string;
  description?: string;
  parameters?: unknown;
}

/** `tool` with its pin's description and parameters in place (a copy; the pin's parameters cloned). */
export function pinTool<T extends PinnableTool>(tool: T, pin: ToolPin | undefined): T {
  if (!pin) return tool;
  const pinned = { ...tool };
  if (pin.description !== undefined) pinned.description = pin.description;
  if (pin.parameters !== undefined) pinned.parameters = structuredClone(pin.parameters);
  return pinned;
}

/**
 * Characters of model-visible text the page put in `tool`: its description and its parameters'
 * text ({@link schemaText}), except what `pin` replaces.
 */
export function pageToolText(tool: PinnableTool, pin: ToolPin | undefined): number {
  let text = 0;
  if (pin?.description === undefined && typeof tool.description === 'string') text += tool.description.length;
  if (pin?.parameters === undefined && typeof tool.parameters === 'object' && tool.parameters !== null) {
    text += schemaText(tool.parameters as Record<string, unknown>);
  }
  return text;
}

/** Annotation keywords whose string value the model reads. */
const TEXT_KEYWORDS = new Set(['description', 'title']);
/** Keywords whose values (any strings within) the model reads. */
const VALUE_KEYWORDS = new Set(['enum', 'const', 'default', 'examples']);

/**
 * Characters of model-visible text in a parameters schema: `description` and `title` strings, and
 * strings (and object keys) anywhere within `enum`, `const`, `default` and `examples`. Iterative: the
 * schema's depth is bounded by whoever parsed it, but nothing here should depend on the stack.
 */
export function schemaText(schema: Record<string, unknown>): number {
  let count = 0;
  const stack: Array<{ node: unknown; literal: boolean }> = [{ node: schema, literal: false }];
  while (stack.length > 0) {
    const { node, literal } = stack.pop()!;
    if (typeof node === 'string') {
      if (literal) count += node.length;
      continue;
    }
    if (typeof node !== 'object' || node === null) continue;
    if (Array.isArray(node)) {
      for (const item of node) stack.push({ node: item, literal });
      continue;
    }
    for (const [key, value] of Object.entries(node)) {
      if (literal) count += key.length; // keys of a literal object (a `default` value) are text too
      if (literal || VALUE_KEYWORDS.has(key)) stack.push({ node: value, literal: true });
      else if (TEXT_KEYWORDS.has(key) && typeof value === 'string') count += value.length;
      else stack.push({ node: value, literal: false });
    }
  }
  return count;
}
