/**
 * The session features `<charivo-realtime>` configures on its manager from properties: the screen wake
 * lock (`no-wake-lock`), the rollover before the provider's session cap (`rollover-after`, seconds) and
 * the price table of the cost estimate (`prices`). Checked like every other input.
 */
import type { RealtimeManager } from '../../manager/index.js';
import { parsePriceTable, type RealtimePriceTable } from '../../manager/prices.js';
import { checkBoolean, checkInteger, type InputRules } from '../shared/input-errors.js';

/** Default of `rolloverAfter`: 55 minutes, five before OpenAI's 60-minute cap. */
export const DEFAULT_ROLLOVER_AFTER_SECONDS = 3300;

/** What the features read from the element. */
export interface SessionFeatureProperties {
  noWakeLock: boolean;
  rolloverAfter: number;
  prices: RealtimePriceTable | null;
}

function checkPrices(value: unknown): string | null {
  try {
    parsePriceTable(value, 'prices');
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

export const FEATURE_INPUTS: InputRules = {
  noWakeLock: { check: checkBoolean('noWakeLock'), initial: false, nullResets: true },
  requireMicrophone: { check: checkBoolean('requireMicrophone'), initial: false, nullResets: true },
  rolloverAfter: {
    check: checkInteger('rollover-after (seconds; 0 turns rollover off)', 0, 24 * 3600),
    initial: DEFAULT_ROLLOVER_AFTER_SECONDS,
    attribute: 'rollover-after',
    kind: 'number',
    nullResets: true,
  },
  prices: { check: checkPrices, initial: null },
};

/** Hands the changed features (all of them when `changed` is omitted) to the manager. */
export function applySessionFeatures(manager: RealtimeManager, element: SessionFeatureProperties, changed?: ReadonlyMap<PropertyKey, unknown>): void {
  const has = (key: keyof SessionFeatureProperties) => !changed || changed.has(key);
  if (has('noWakeLock')) manager.setWakeLock(!element.noWakeLock);
  if (has('rolloverAfter')) manager.setRollover(element.rolloverAfter > 0 ? { afterMs: element.rolloverAfter * 1000 } : false);
  if (has('prices')) manager.setPrices(element.prices);
}
