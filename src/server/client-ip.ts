/**
 * The client's IP address, for rate limits and the audit line. A Web `Request` carries no socket
 * address, and a header such as `X-Forwarded-For` is whatever the client wrote unless a proxy you
 * run overwrote it. So the route takes the address only from where it cannot be forged:
 * {@link withClientIp} (which `toNodeHandler` calls with the socket address) or your own
 * `clientIp(request)` option.
 * @packageDocumentation
 */

// Keyed by the Request object itself: nothing the client sends can write here.
const addresses = new WeakMap<Request, string>();

/**
 * Records the address the request came from and returns the request, for hosts that know it:
 * `route(withClientIp(c.req.raw, getConnInfo(c).remote.address))` in Hono, `toNodeHandler` on Node.
 */
export function withClientIp(request: Request, ip: string | undefined | null): Request {
  const clean = ip ? normalizeIp(ip) : undefined;
  if (clean) addresses.set(request, clean);
  return request;
}

/** The address recorded by {@link withClientIp}, if any. The route's default `clientIp`. */
export function recordedClientIp(request: Request): string | undefined {
  return addresses.get(request);
}

/**
 * The client address behind `trustedHops` proxies, from the socket address and `X-Forwarded-For`:
 * each proxy appends the address it saw, so the entry `trustedHops` from the right is the last one
 * written by a proxy you trust; anything left of it came from the client and is ignored. With fewer
 * entries than hops, the leftmost is used. Entries that are not IP addresses end the walk.
 */
export function forwardedClientIp(socketAddress: string | undefined, forwardedFor: string | null | undefined, trustedHops: number): string | undefined {
  let address = socketAddress ? normalizeIp(socketAddress) : undefined;
  if (trustedHops <= 0 || !forwardedFor) return address;
  const entries = forwardedFor.split(',').map((entry) => entry.trim());
  for (let hop = 1; hop <= trustedHops && hop <= entries.length; hop += 1) {
    const next = normalizeIp(entries[entries.length - hop]!);
    if (!next) break;
    address = next;
  }
  return address;
}

/** `::ffff:127.0.0.1` → `127.0.0.1`; refuses anything that is not an IPv4/IPv6 literal. */
function normalizeIp(value: string): string | undefined {
  let ip = value.trim();
  if (ip.startsWith('[') && ip.includes(']')) ip = ip.slice(1, ip.indexOf(']')); // [v6]:port
  if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(ip)) ip = ip.slice(0, ip.lastIndexOf(':')); // v4:port
  if (ip.toLowerCase().startsWith('::ffff:') && /^\d{1,3}(\.\d{1,3}){3}$/.test(ip.slice(7))) ip = ip.slice(7);
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(ip) && ip.split('.').every((part) => Number(part) <= 255)) return ip;
  if (ip.length <= 45 && ip.includes(':') && /^[0-9A-Fa-f:.]+$/.test(ip)) return ip.toLowerCase();
  return undefined;
}
