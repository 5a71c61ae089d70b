/**
 * Parses a session config or patch at the manager's boundary, with the same schema the server route
 * uses. Synchronous on purpose: an update must be queued in call order for coalescing to hold.
 */
import { describeIssue, realtimeSessionConfigObjectSchema } from '../session/session-config.js';
import type { RealtimeSessionConfig } from './session-config.js';
import { RealtimeError } from './errors.js';

/**
 * Returns the config if every field is known and in range; otherwise throws an `invalid_argument`
 * error naming the field and the allowed range (`updateSession: speed: must be between 0.25 and 1.5`).
 * `tools` is not checked here: tools come from the registry and the field is dropped.
 */
export function parseSessionConfig(config: unknown, method: string): RealtimeSessionConfig {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new RealtimeError('invalid_argument', `${method}: expected a session config object.`);
  }
  const { tools: _ignored, ...rest } = config as Record<string, unknown>;
  const result = realtimeSessionConfigObjectSchema.safeParse(rest);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => describeIssue(issue).message);
    throw new RealtimeError('invalid_argument', `${method}: ${lines.join('; ')}`);
  }
  return result.data;
}
