// A transport of one adapter, connected through the real route to the emulator, with what a scenario
// needs around it: every transport event recorded, every frame the page sends recorded, the emulator
// session id, frames injected into that session, and a barrier that proves the transport has handled
// everything injected before it. Waits resolve on events and fail loudly after a bound.
// @ts-expect-error virtual module served by test/wtr-realtime-server.mjs
import { emulatorUrl, routePath } from '/__charivo/emulator.js';
import { waitUntil } from '@open-wc/testing';
import type { RealtimeSessionConfig } from '../../../src/session/session-config.js';
import { AudioContextOwner } from '../../../src/transports/audio/audio-context-owner.js';
import { TRANSPORT_EVENT_NAMES } from '../../../src/transports/event-names.js';
import { createRemoteRealtimeClient, type RealtimeAdapterEntry, type RemoteRealtimeClient } from '../../../src/transports/remote/index.js';
import type { RealtimeTransportEventMap, RealtimeTransportEventName } from '../../../src/transports/types.js';
import { newestSessionId, recordSends } from '../session-config/wire-capture.js';

export const ADAPTERS = ['openai-agents-webrtc', 'openai-webrtc', 'openai-websocket'] as const;
export type AdapterName = (typeof ADAPTERS)[number];

/** Options every adapter takes the same way. */
export interface WireOptions {
  sessionUpdateTimeoutMs?: number;
}

export interface RecordedEvent {
  name: RealtimeTransportEventName;
  payload: any;
}

export interface Wire {
  adapter: AdapterName;
  transport: RemoteRealtimeClient;
  /** Every transport event since connect, in order. */
  events: RecordedEvent[];
  /** Every JSON frame the page sent on data channels and sockets since before connect. */
  sent: Array<Record<string, any>>;
  /** The emulator's id of this connection's session. */
  sessionId: string;
  /** Resolves with the first event at index ≥ `from` (default: any) that matches. */
  event<K extends RealtimeTransportEventName>(
    name: K,
    predicate?: (payload: RealtimeTransportEventMap[K]) => boolean,
    options?: { from?: number; timeoutMs?: number },
  ): Promise<RealtimeTransportEventMap[K]>;
  /** Resolves once `count` frames of `type` were sent (checked every frame). */
  sentOf(type: string, count: number): Promise<Array<Record<string, any>>>;
  /** Sends raw server events into this session, as the provider would. */
  inject(...events: Array<Record<string, unknown>>): Promise<void>;
  /**
   * Injects `events` then a marker error, in one request, and resolves once the transport reported the
   * marker: everything before it was handled (the channel keeps order).
   */
  barrier(...events: Array<Record<string, unknown>>): Promise<void>;
  /** The emulator's log of this session. */
  log(): Promise<any>;
  close(): Promise<void>;
}

/** The code of the marker error {@link Wire.barrier} injects (never part of an outcome). */
export const BARRIER_CODE = 'scenario_barrier';

async function adapterFactory(adapter: AdapterName) {
  if (adapter === 'openai-websocket') return (await import('../../../src/transports/openai-websocket/index.js')).createWebSocketAdapter;
  if (adapter === 'openai-webrtc') return (await import('../../../src/transports/openai-webrtc/unified-adapter.js')).createUnifiedWebRTCAdapter;
  return (await import('../../../src/transports/openai-webrtc/agents-adapter.js')).createAgentsWebRTCAdapter;
}

let eventCounter = 0;
/** A server event id for injected events. */
export function injectedId(): string {
  eventCounter += 1;
  return `event_scenario_${Date.now().toString(36)}_${eventCounter}`;
}

export async function emulatorControl<T = any>(path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${emulatorUrl}/_emulator${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    ...(body !== undefined ? { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) } : {}),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`emulator ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json as T;
}

export function bounded<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Connects `adapter` through the real route with `session`, muted (the fake microphone stays out of it). */
export async function openWire(adapter: AdapterName, session: RealtimeSessionConfig, options: WireOptions = {}): Promise<Wire> {
  // (An engine without WebRTC has no RTCDataChannel: there only the socket carries events.)
  const channels = typeof RTCDataChannel === 'function' ? [RTCDataChannel.prototype] : [];
  const recordings = [...channels.map((prototype) => recordSends(prototype)), recordSends(WebSocket.prototype)];
  const sent: Array<Record<string, any>> = [];
  // One list in send order: both recorders push into their own arrays; merge by reading both.
  const merged = (): Array<Record<string, any>> => {
    sent.length = 0;
    for (const recording of recordings) sent.push(...recording.sent);
    return sent;
  };
  const audio = new AudioContextOwner();
  const factory = await adapterFactory(adapter);
  const entry: RealtimeAdapterEntry = {
    name: adapter,
    transport: adapter === 'openai-websocket' ? 'websocket' : 'webrtc',
    load: async () => (deps) => factory(deps, options as never),
  };
  const transport = createRemoteRealtimeClient({ endpoint: routePath, adapter, audio, adapters: [entry] });
  const events: RecordedEvent[] = [];
  const waiters = new Set<() => void>();
  for (const name of TRANSPORT_EVENT_NAMES) {
    transport.on(name, (payload: unknown) => {
      events.push({ name, payload });
      for (const wake of [...waiters]) wake();
    });
  }
  await transport.prepareAudio();
  transport.setMuted(true);
  try {
    await transport.connect({ session, reason: 'start', history: [], sessionId: `scenario-${adapter}` }, new AbortController().signal);
  } catch (error) {
    for (const recording of recordings) recording.restore();
    await transport.disconnect();
    throw error;
  }
  const sessionId = await newestSessionId(adapter === 'openai-websocket' ? 'websocket' : 'webrtc');

  const wire: Wire = {
    adapter,
    transport,
    events,
    get sent() {
      return merged();
    },
    sessionId,
    event(name, predicate = () => true, { from = 0, timeoutMs = 8000 } = {}) {
      const find = () => events.slice(from).find((e) => e.name === name && predicate(e.payload as never))?.payload;
      return bounded(
        new Promise((resolve) => {
          const found = find();
          if (found !== undefined) return resolve(found);
          const wake = (): void => {
            const hit = find();
            if (hit === undefined) return;
            waiters.delete(wake);
            resolve(hit);
          };
          waiters.add(wake);
        }),
        timeoutMs,
        `${adapter}: transport event ${name}`,
      );
    },
    async sentOf(type, count) {
      // Bounded in wall time (a loaded engine draws few frames): 5 s, as 300 frames are at 60 Hz.
      const matching = () => merged().filter((e) => e.type === type);
      await waitUntil(() => matching().length >= count, `${adapter}: fewer than ${count} ${type} frames were sent`, { timeout: 5_000, interval: 16 });
      return matching();
    },
    async inject(...injected) {
      const frames = injected.map((event) => JSON.stringify({ event_id: injectedId(), ...event }));
      const { sent: count } = await emulatorControl<{ sent: number }>(`/sessions/${encodeURIComponent(sessionId)}/inject`, { frames });
      if (count !== frames.length) throw new Error(`${adapter}: the emulator sent ${count} of ${frames.length} injected frames`);
    },
    async barrier(...before) {
      const from = events.length;
      const marker = `barrier ${injectedId()}`;
      await wire.inject(...before, { type: 'error', error: { type: 'invalid_request_error', code: BARRIER_CODE, message: marker, param: null, event_id: null } });
      await wire.event('error', (p) => p.error.message === marker, { from });
    },
    log: () => emulatorControl(`/sessions/${encodeURIComponent(sessionId)}/events`),
    async close() {
      for (const recording of recordings) recording.restore();
      await transport.disconnect();
    },
  };
  return wire;
}

/** Where a promise stands, without waiting for it. */
export function track<T>(promise: Promise<T>): { readonly state: string; readonly settled: Promise<string> } {
  let state = 'pending';
  const settled = promise.then(
    () => (state = 'resolved'),
    (error: { code?: unknown }) => (state = typeof error?.code === 'string' ? error.code : `uncoded: ${String(error)}`),
  );
  return {
    get state() {
      return state;
    },
    settled,
  };
}

/** The transport `error` events a scenario caused (barriers left out), as their codes. */
export function errorCodes(events: readonly RecordedEvent[]): string[] {
  return events.filter((e) => e.name === 'error' && e.payload.code !== BARRIER_CODE).map((e) => String(e.payload.code ?? e.payload.error?.message));
}
