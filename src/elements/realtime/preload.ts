/**
 * What `<charivo-realtime>.preload()` may fetch of an adapter ahead of a start.
 * @packageDocumentation
 */
import { supportsTransport } from '../../transports/engine-support.js';
import { createAdapterRegistry, DEFAULT_ADAPTERS, type RealtimeAdapterEntry } from '../../transports/remote/adapters.js';

/**
 * The built-in adapter a start would use under `name`, when this browser can run it; otherwise
 * `undefined`. A page's own adapter is never loaded early: its `load()` may do more than import a
 * module, and the start calls it anyway. `entries` are the page's and the element's adapters, resolved
 * as the remote client resolves them.
 */
export function preloadableAdapter(name: string, entries: readonly RealtimeAdapterEntry[]): RealtimeAdapterEntry | undefined {
  const entry = createAdapterRegistry(entries).get(name);
  return entry && DEFAULT_ADAPTERS.includes(entry) && supportsTransport(entry.transport) ? entry : undefined;
}
