/**
 * How `<charivo-realtime>` reports a change the server's policy refused (`policy_locked`): which
 * property carried the field, and the `charivo-error` detail.
 */
import type { RealtimePolicyError } from '../../manager/index.js';
import type { CharivoErrorDetail } from './realtime-events.js';

/** The `charivo-error` detail of a policy refusal; `source` is the property or method that asked. */
export function policyErrorDetail(error: RealtimePolicyError, source: string): CharivoErrorDetail {
  return { code: 'policy_locked', field: error.field, source, message: error.message, error };
}

/**
 * The element property that put `field` in the session config, among the ones that just changed
 * (`changed`): the attribute-backed ones by name, turn detection by `pushToTalk`, the rest by
 * `sessionConfig`. `undefined` when none of them changed.
 */
export function propertyCarrying(field: string, changed: ReadonlyMap<PropertyKey, unknown>): string | undefined {
  const root = field.split('.')[0]!;
  if ((root === 'model' || root === 'voice' || root === 'instructions') && changed.has(root)) return root;
  if (root === 'turnDetection' && changed.has('pushToTalk')) return 'pushToTalk';
  return changed.has('sessionConfig') ? 'sessionConfig' : undefined;
}

/** Puts back the property that carried a refused field (its value before this update); returns the `charivo-error` detail. */
export function restoreRefusedProperty(host: object, error: RealtimePolicyError, previous: ReadonlyMap<PropertyKey, unknown>): CharivoErrorDetail {
  const property = propertyCarrying(error.field, previous);
  if (property && previous.has(property)) (host as Record<string, unknown>)[property] = previous.get(property);
  return policyErrorDetail(error, property ?? 'sessionConfig');
}
