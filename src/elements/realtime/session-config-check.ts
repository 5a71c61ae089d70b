/**
 * The full check of `<charivo-realtime>`'s `sessionConfig`: every field against the session config's
 * JSON Schema, with the argument validator. It is loaded when a non-empty config is first set (or the
 * session code loads); until then the element holds the check open (see `realtime.ts`).
 * @packageDocumentation
 */
import { parseSessionConfig } from '../../manager/session-config-parse.js';

/** What is wrong with `value` as the `sessionConfig` property, or `null`. */
export function sessionConfigProblem(value: unknown): string | null {
  try {
    parseSessionConfig(value, 'sessionConfig');
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}
