/**
 * Which adapter a `<charivo-realtime>` session uses: the one asked for, or the fallback when this browser
 * lacks what the first needs (say, no RTCPeerConnection) and has what the fallback needs.
 */
import { supportsTransport } from '../../transports/engine-support.js';
import { DEFAULT_ADAPTERS } from '../../transports/remote/adapters.js';

/** `adapter` when this browser can run it or no usable `fallback` is given; `fallback` otherwise. */
export function chooseAdapter(adapter: string, fallback: string | undefined, scope: object = globalThis): string {
  const runs = (name: string) => {
    const entry = DEFAULT_ADAPTERS.find((candidate) => candidate.name === name);
    return entry === undefined || supportsTransport(entry.transport, scope);
  };
  if (!fallback || fallback === adapter || runs(adapter)) return adapter;
  return runs(fallback) ? fallback : adapter;
}
