/**
 * The rollover's options and their check, apart from the rollover itself: what answers before the
 * manager loads (lazy-manager.ts) checks them without the session code.
 */
import { RealtimeError } from './errors.js';
import type { RolloverOptions } from './types.js';

/** Default `afterMs`: 55 minutes, five before OpenAI's 60-minute cap. */
export const DEFAULT_ROLLOVER_AFTER_MS = 55 * 60_000;
/** Default `retryDelayMs`. */
export const DEFAULT_ROLLOVER_RETRY_MS = 30_000;

export type ResolvedRolloverOptions = Required<RolloverOptions> | null;

/** Checks rollover options; `invalid_argument` names the bad one. */
export function resolveRolloverOptions(options: RolloverOptions | false | undefined, where: string): ResolvedRolloverOptions {
  if (options === false) return null;
  if (options === undefined) return { afterMs: DEFAULT_ROLLOVER_AFTER_MS, retryDelayMs: DEFAULT_ROLLOVER_RETRY_MS };
  if (typeof options !== 'object' || options === null) {
    throw new RealtimeError('invalid_argument', `${where}: rollover must be an object ({ afterMs, retryDelayMs }) or false.`);
  }
  const check = (value: unknown, name: string, fallback: number): number => {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new RealtimeError('invalid_argument', `${where}: rollover.${name} must be a positive number of milliseconds, got ${String(value)}.`);
    }
    return value;
  };
  return { afterMs: check(options.afterMs, 'afterMs', DEFAULT_ROLLOVER_AFTER_MS), retryDelayMs: check(options.retryDelayMs, 'retryDelayMs', DEFAULT_ROLLOVER_RETRY_MS) };
}
