/**
 * Adapters the page registers for `<charivo-realtime adapter="…">`, beside the built-in four. An entry
 * says how to load the adapter's transport (`load`, called on the first start) and, ideally, the schema
 * of its bootstrap. Registering notifies every `<charivo-realtime>`, so an element whose `adapter`
 * attribute named the adapter before it was registered picks it up.
 * @packageDocumentation
 */
import { RealtimeError } from '../../manager/errors.js';
import { DEFAULT_ADAPTERS, type RealtimeAdapterEntry } from '../../transports/remote/adapters.js';

const registered = new Map<string, RealtimeAdapterEntry>();
const listeners = new Set<() => void>();

/** What an adapter name may look like (it travels to the route in the bootstrap request). */
const ADAPTER_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/i;

/**
 * Makes an adapter available to every `<charivo-realtime>` of the page (an entry with a built-in's name
 * replaces it). Use the element's `adapters` property for one element only.
 * @throws RealtimeError `invalid_argument` for a malformed entry.
 */
export function registerRealtimeAdapter(entry: RealtimeAdapterEntry): void {
  checkAdapterEntry(entry, 'registerRealtimeAdapter');
  registered.set(entry.name, entry);
  for (const listener of [...listeners]) listener();
}

/** Removes an adapter registered with {@link registerRealtimeAdapter}; returns whether there was one. */
export function unregisterRealtimeAdapter(name: string): boolean {
  const removed = registered.delete(name);
  if (removed) for (const listener of [...listeners]) listener();
  return removed;
}

/** The adapters registered by the page (not the built-in ones). */
export function registeredRealtimeAdapters(): RealtimeAdapterEntry[] {
  return [...registered.values()];
}

/** Whether `name` is a built-in, a page-registered adapter, or one of `extra`. */
export function isKnownAdapter(name: string, extra: readonly RealtimeAdapterEntry[] = []): boolean {
  return registered.has(name) || extra.some((entry) => entry.name === name) || DEFAULT_ADAPTERS.some((entry) => entry.name === name);
}

/** Calls `listener` after each registration change; returns an unsubscribe. */
export function onRealtimeAdaptersChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Checks one entry; `null` when fine, else what is wrong. */
export function adapterEntryProblem(entry: unknown): string | null {
  if (typeof entry !== 'object' || entry === null) return 'an adapter entry must be an object';
  const { name, transport, load } = entry as Partial<RealtimeAdapterEntry>;
  if (typeof name !== 'string' || !ADAPTER_NAME.test(name)) {
    return `adapter name must match ${ADAPTER_NAME}, got ${JSON.stringify(name)}`;
  }
  if (transport !== 'webrtc' && transport !== 'websocket') return `adapter "${name}": transport must be 'webrtc' or 'websocket'`;
  if (typeof load !== 'function') return `adapter "${name}": load must be a function returning the adapter's factory`;
  return null;
}

function checkAdapterEntry(entry: unknown, method: string): asserts entry is RealtimeAdapterEntry {
  const problem = adapterEntryProblem(entry);
  if (problem) throw new RealtimeError('invalid_argument', `${method}: ${problem}`);
}
