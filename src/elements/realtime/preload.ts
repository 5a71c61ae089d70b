/**
 * What `<charivo-realtime>.preload()` may fetch of an adapter ahead of a start.
 * @packageDocumentation
 */
import { supportsTransport } from '../../transports/engine-support.js';
import { DEFAULT_ADAPTERS, type RealtimeAdapterEntry } from '../../transports/remote/adapters.js';

/**
 * The built-in adapter a start would use under `name`, when this browser can run it; otherwise
 * `undefined`. A page's own adapter is never loaded early: its `load()` may do more than import a
 * module, and the start calls it anyway. `entries` are the page's and the element's adapters, the
 * later ones replacing the earlier (as the remote client's registry does).
 */
export function preloadableAdapter(name: string, entries: readonly RealtimeAdapterEntry[]): RealtimeAdapterEntry | undefined {
  let entry: RealtimeAdapterEntry | undefined;
  for (const candidate of [...DEFAULT_ADAPTERS, ...entries]) if (candidate.name === name) entry = candidate;
  return entry && DEFAULT_ADAPTERS.includes(entry) && supportsTransport(entry.transport) ? entry : undefined;
}
