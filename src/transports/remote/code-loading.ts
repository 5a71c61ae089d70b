/**
 * A lazily loaded part of the kit that cannot be fetched (the remote client, an adapter) is a deployment
 * mistake, most often the script-tag file served without the `chunks/` folder it comes with. The error
 * says so and how to fix it, and goes to the console as well as to the session's error path: a page
 * that listens to nothing still shows the cause.
 */
import { RemoteRealtimeError } from './errors.js';

/** The two ways out, appended to every code-loading failure. */
export const MISSING_CODE_HINT =
  'If the page loads dist/charivo-elements.js, serve the chunks/ folder that comes with it beside it ' +
  '(copy the whole dist/ folder), or load dist/charivo-elements.standalone.js instead, which needs no other file.';

/**
 * The `adapter_load_failed` error for code named `what` that failed to load with `cause` (the browser's
 * own message names the missing file where the engine gives it). Also written to `console.error`.
 */
export function codeLoadError(what: string, cause: unknown): RemoteRealtimeError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const error = new RemoteRealtimeError('adapter_load_failed', `Could not load ${what}: ${reason}. ${MISSING_CODE_HINT}`, { cause });
  console.error(`[charivo-elements] ${error.message}`);
  return error;
}
