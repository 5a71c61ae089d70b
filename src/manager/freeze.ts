/**
 * Immutable data the manager hands out: its state snapshots, the tool definitions it registered and
 * sent, the configs it connected with. A caller holding one cannot change what the manager uses.
 */

/** Freezes `value` and everything reachable from it; objects already frozen are taken as done. */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  return value;
}

/**
 * A deep-frozen copy of JSON data, made by the JSON round trip: exactly what the wire carries, so what
 * the manager validates against is what the provider received. Throws (cycles, bigints) as
 * `JSON.stringify` does.
 */
export function frozenJsonCopy<T>(value: T): T {
  return deepFreeze(JSON.parse(JSON.stringify(value)) as T);
}
