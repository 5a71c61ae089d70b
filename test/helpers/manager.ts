// Shared helpers for manager tests: a manager over the fake transport, an event recorder, and waits
// that resolve on events (never on timers).
import { createRealtimeManager } from '../../src/manager/index.js';
import type { RealtimeManager, RealtimeManagerOptions, NetworkStatus } from '../../src/manager/index.js';
import { FakeRealtimeTransport, type FakeRealtimeTransportOptions } from '../../src/testing/index.js';

export interface Recorded {
  event: string;
  payload: any;
}

export function setup(options: RealtimeManagerOptions = {}, transportOptions: FakeRealtimeTransportOptions = {}) {
  const transport = new FakeRealtimeTransport(transportOptions);
  let id = 0;
  const manager = createRealtimeManager(transport, {
    // Deterministic whatever the machine: the test namespace has no route, so the browser says offline.
    network: fakeNetwork(true),
    reconnect: { baseDelayMs: 0, maxDelayMs: 0, maxAttempts: 3, jitter: 0 },
    createSessionId: () => `session-${++id}`,
    ...options,
  });
  const events: Recorded[] = [];
  manager.onAny((event, payload) => events.push({ event, payload }));
  const named = (name: string) => events.filter((e) => e.event === name).map((e) => e.payload);
  return { transport, manager, events, named };
}

/** Resolves with the payload of the next `event` the manager emits. */
export function next(manager: RealtimeManager, event: string): Promise<any> {
  return new Promise((resolve) => {
    const off = manager.on(event, (payload: unknown) => {
      off();
      resolve(payload);
    });
  });
}

/** Lets pending promise callbacks run (handlers are async even when they return at once). */
export async function flush(times = 5): Promise<void> {
  for (let i = 0; i < times; i += 1) await Promise.resolve();
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
}

/** A controllable network status. */
export function fakeNetwork(online = true) {
  const listeners = new Set<() => void>();
  const network: NetworkStatus & { set(online: boolean): void; listeners: Set<() => void> } = {
    listeners,
    isOnline: () => online,
    onOnline(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(value: boolean) {
      online = value;
      if (value) for (const listener of [...listeners]) listener();
    },
  };
  return network;
}

export async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}
