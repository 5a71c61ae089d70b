/**
 * Runs one tool call from the model: parse, validate, call the handler under a timeout and an abort
 * signal, and check that the result is a JSON-safe object. Never throws: every failure is a value.
 */
import type { RegisteredTool } from './tool-registry.js';
import { toJsonSafeObject } from './tools/json-safe.js';
import { validateToolArguments } from './tools/validate-arguments.js';
import type { RealtimeToolContext, RealtimeToolResult, ToolErrorCode } from './types.js';

/** Outcome of {@link runToolCall}. */
export type ToolCallOutcome =
  | { ok: true; args: Record<string, unknown>; result: RealtimeToolResult }
  | { ok: false; code: ToolErrorCode; error: string; args?: unknown };

/** Parses the model's argument text; an empty string means no arguments. */
export function parseToolArguments(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  if (text.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: `arguments are not valid JSON: ${(error as Error).message}` };
  }
}

/**
 * Executes `tool` for one call. `context.signal` is the caller's (interrupt, reconnect, stop); the
 * timeout aborts the handler's signal too, so cooperative handlers stop their I/O.
 */
export async function runToolCall(
  tool: RegisteredTool | undefined,
  name: string,
  rawArguments: string,
  context: Omit<RealtimeToolContext, 'signal'> & { signal: AbortSignal },
  defaultTimeoutMs: number,
): Promise<ToolCallOutcome> {
  if (!tool) return { ok: false, code: 'unknown_tool', error: `unknown tool "${name}"` };
  const parsed = parseToolArguments(rawArguments);
  if (!parsed.ok) return { ok: false, code: 'invalid_arguments', error: parsed.error };
  const validation = validateToolArguments(tool.schema, parsed.value);
  if (!validation.valid) {
    const detail = validation.errors.map((issue) => issue.message).join('; ');
    return { ok: false, code: 'invalid_arguments', error: `invalid arguments: ${detail}`, args: parsed.value };
  }
  const args = parsed.value as Record<string, unknown>;
  const timeoutMs = tool.timeoutMs ?? defaultTimeoutMs;
  const controller = new AbortController();
  const forwardAbort = () => controller.abort(context.signal.reason);
  if (context.signal.aborted) forwardAbort();
  else context.signal.addEventListener('abort', forwardAbort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;

  try {
    const settled = await new Promise<ToolCallOutcome>((resolve) => {
      timer = setTimeout(() => {
        // Resolve before aborting: the abort listener below would otherwise report "cancelled".
        resolve({ ok: false, code: 'timeout', error: `tool "${name}" timed out after ${timeoutMs} ms`, args });
        controller.abort(new DOMException(`tool "${name}" timed out`, 'TimeoutError'));
      }, timeoutMs);
      controller.signal.addEventListener(
        'abort',
        () => resolve({ ok: false, code: 'aborted', error: `tool "${name}" was cancelled`, args }),
        { once: true },
      );
      Promise.resolve()
        .then(() => tool.handler(args, { ...context, signal: controller.signal }))
        .then(
          (value) => {
            const safe = toJsonSafeObject(value);
            resolve(
              safe.ok
                ? { ok: true, args, result: safe.value }
                : { ok: false, code: 'invalid_result', error: safe.error, args },
            );
          },
          (error: unknown) => {
            resolve({ ok: false, code: 'handler_error', error: `tool "${name}" failed: ${thrownMessage(error)}`, args });
          },
        );
    });
    return settled;
  } finally {
    clearTimeout(timer);
    context.signal.removeEventListener('abort', forwardAbort);
  }
}

/**
 * Text for whatever a handler threw. Converting it may throw too (a null-prototype object, a hostile
 * `toString`); that must still end as a failure result, not as an unhandled rejection and a timeout.
 */
function thrownMessage(error: unknown): string {
  try {
    return String(error instanceof Error ? error.message : error);
  } catch {
    return 'it threw a value that cannot be converted to a string';
  }
}
