/**
 * The WebSocket the guard opens to a call. The guard needs one that can send an `Authorization`
 * header, which a browser's cannot: `ws` on Node, or the global `WebSocket` of runtimes whose
 * constructor takes `{ headers }` (Bun, Deno, Node ≥ 22's undici). Injected so the guard stays
 * runtime-neutral; the default is loaded only when a guard first connects.
 * @packageDocumentation
 */

/** The part of a WebSocket the guard uses (satisfied by `ws` and by WHATWG WebSockets). */
export interface GuardSocket {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { code: number; reason: string }) => void): void;
  addEventListener(type: 'error', listener: (event: { message?: string; error?: unknown }) => void): void;
}

/** A WebSocket constructor that accepts request headers: `new WebSocket(url, { headers })`. */
export type GuardWebSocketConstructor = new (url: string, options: { headers: Record<string, string> }) => GuardSocket;

/** `WebSocket.OPEN` in every implementation. */
export const SOCKET_OPEN = 1;

/**
 * The default constructor: `ws` when it can be imported (it is an optional peer dependency), else a
 * global `WebSocket`. Throws when neither exists.
 */
export async function defaultWebSocket(): Promise<GuardWebSocketConstructor> {
  try {
    // A variable specifier keeps bundlers from resolving `ws` for runtimes that never load it.
    const specifier = 'ws';
    const module = (await import(/* @vite-ignore */ specifier)) as { default?: unknown; WebSocket?: unknown };
    const constructor = module.WebSocket ?? module.default;
    if (typeof constructor === 'function') return constructor as GuardWebSocketConstructor;
  } catch {
    // Not installed: try the runtime's own below.
  }
  const global = (globalThis as { WebSocket?: unknown }).WebSocket;
  if (typeof global === 'function') return global as GuardWebSocketConstructor;
  throw new Error('The call guard needs a WebSocket that can send headers: install `ws` or pass guard.WebSocket.');
}

/** Text of a message event's data (`ws` gives strings for text frames; be lenient with the rest). */
export function messageText(data: unknown): string | undefined {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new TextDecoder().decode(data);
  if (ArrayBuffer.isView(data)) return new TextDecoder().decode(data);
  return undefined;
}
