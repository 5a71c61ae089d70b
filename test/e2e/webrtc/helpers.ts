// Helpers for the WebRTC end-to-end tests: a manager over the remote client and the real route, the
// emulator's control endpoints, and waits that resolve on events with a bounded, loud timeout.
// @ts-expect-error virtual module served by test/wtr-realtime-server.mjs
import { emulatorUrl, routePath } from '/__charivo/emulator.js';
import { createRealtimeManager } from '../../../src/manager/index.js';
import type { NetworkStatus, RealtimeManager, RealtimeManagerEventMap, RealtimeManagerOptions } from '../../../src/manager/index.js';
import { createRemoteRealtimeClient, type RemoteRealtimeClient, type RemoteRealtimeClientOptions } from '../../../src/transports/index.js';

export const EMULATOR_URL: string = emulatorUrl;
export const ROUTE_PATH: string = routePath;

export const ADAPTERS = ['openai-agents-webrtc', 'openai-webrtc'] as const;
export type WebRTCAdapterName = (typeof ADAPTERS)[number];

export const alwaysOnline: NetworkStatus = { isOnline: () => true, onOnline: () => () => {} };

export interface Harness {
  manager: RealtimeManager;
  client: RemoteRealtimeClient;
  /** Every manager event, in order. */
  events: Array<{ event: string; payload: any }>;
  named<K extends keyof RealtimeManagerEventMap>(event: K): Array<RealtimeManagerEventMap[K]>;
}

export function createHarness(
  adapter: WebRTCAdapterName,
  options: RealtimeManagerOptions = {},
  clientOptions: Partial<RemoteRealtimeClientOptions> = {},
): Harness {
  const client = createRemoteRealtimeClient({ endpoint: ROUTE_PATH, adapter, ...clientOptions });
  const manager = createRealtimeManager(client, {
    network: alwaysOnline,
    reconnect: { baseDelayMs: 50, maxDelayMs: 100, maxAttempts: 3, jitter: 0 },
    ...options,
  });
  const events: Harness['events'] = [];
  manager.onAny((event, payload) => events.push({ event, payload }));
  return {
    manager,
    client,
    events,
    named: (event) => events.filter((e) => e.event === event).map((e) => e.payload),
  };
}

/**
 * Resolves with the next `event` whose payload satisfies `predicate`; rejects with a message naming
 * the event after `timeoutMs` (well under mocha's 20 s, so the failure says what was missing).
 */
export function waitFor<K extends keyof RealtimeManagerEventMap>(
  manager: RealtimeManager,
  event: K,
  predicate: (payload: RealtimeManagerEventMap[K]) => boolean = () => true,
  timeoutMs = 8000,
): Promise<RealtimeManagerEventMap[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${event}`));
    }, timeoutMs);
    const off = manager.on(event, (payload) => {
      if (!predicate(payload)) return;
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}

/** Resolves once `predicate(state)` holds (checked now and on every state change). */
export function waitForState(manager: RealtimeManager, predicate: (state: ReturnType<RealtimeManager['getState']>) => boolean, what: string, timeoutMs = 8000): Promise<void> {
  if (predicate(manager.getState())) return Promise.resolve();
  return waitFor(manager, 'realtime:state', ({ state }) => predicate(state), timeoutMs)
    .then(() => undefined)
    .catch(() => {
      throw new Error(`timed out after ${timeoutMs} ms waiting for state: ${what}`);
    });
}

/** Samples `read()` once per animation frame until `predicate` holds, for at most `maxFrames`. */
export async function sampleUntil(read: () => number, predicate: (value: number) => boolean, what: string, maxFrames = 300): Promise<number> {
  for (let frame = 0; frame < maxFrames; frame += 1) {
    const value = read();
    if (predicate(value)) return value;
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
  throw new Error(`${what}: not reached within ${maxFrames} frames (last ${read()})`);
}

export async function emulator<T = any>(path: string, init?: { method?: string; body?: unknown }): Promise<T> {
  const response = await fetch(`${EMULATOR_URL}${path}`, {
    method: init?.method ?? 'GET',
    ...(init?.body !== undefined ? { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(init.body) } : {}),
  });
  const body = await response.json();
  if (!response.ok) throw new Error(`emulator ${path}: ${response.status} ${JSON.stringify(body)}`);
  return body as T;
}

export function setFaults(faults: Record<string, unknown>, sessionId?: string): Promise<unknown> {
  return emulator('/_emulator/faults', { method: 'POST', body: { ...(sessionId ? { sessionId } : {}), faults } });
}

/** The emulator session of the client's current call. */
export async function currentSession(client: RemoteRealtimeClient): Promise<any> {
  const callId = (client.inner as { callId?: string } | undefined)?.callId;
  if (!callId) throw new Error('the transport knows no call id (not connected?)');
  return emulator(`/_emulator/sessions/${encodeURIComponent(callId)}/events`);
}
