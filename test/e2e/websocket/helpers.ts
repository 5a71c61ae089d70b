// Helpers for the WebSocket end-to-end tests: the manager over the remote client through the real
// route, the emulator's control endpoints, resource counters around the browser constructors, and
// waits that resolve on events and fail with a clear message after a bound (never bare sleeps).
import { createRealtimeManager } from '../../../src/manager/index.js';
import type { NetworkStatus, RealtimeManager, RealtimeManagerOptions } from '../../../src/manager/index.js';
import {
  createRemoteRealtimeClient,
  type RemoteRealtimeClient,
  type RemoteRealtimeClientOptions,
} from '../../../src/transports/remote/index.js';
import { AudioContextOwner } from '../../../src/transports/audio/audio-context-owner.js';
// @ts-expect-error virtual module served by test/wtr-realtime-server.mjs
import { emulatorUrl, routePath } from '/__charivo/emulator.js';

export { emulatorUrl };

// ── resources the kit creates ─────────────────────────────────────────────────────────────────

export interface ServerEventRecord {
  type: string;
  [field: string]: unknown;
}

/** One socket the kit opened, with every server event it received. */
export interface TrackedSocket {
  socket: WebSocket;
  events: ServerEventRecord[];
  /** Types of the client events sent on it, in order. */
  sent: string[];
  /** The emulator's session id, from `session.created`. */
  sessionId: string | undefined;
}

export const created = {
  contexts: [] as AudioContext[],
  sockets: [] as TrackedSocket[],
  tracks: [] as MediaStreamTrack[],
};
const eventWaiters = new Set<() => void>();

/** Wraps AudioContext, WebSocket and getUserMedia so tests can count what the kit leaves open. */
export function installResourceTracking(): void {
  const NativeAudioContext = window.AudioContext;
  window.AudioContext = class TrackedAudioContext extends NativeAudioContext {
    constructor(options?: AudioContextOptions) {
      super(options);
      created.contexts.push(this);
    }
  };
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class TrackedWebSocket extends NativeWebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      const tracked: TrackedSocket = { socket: this, events: [], sent: [], sessionId: undefined };
      const send = this.send.bind(this);
      this.send = (data) => {
        tracked.sent.push((JSON.parse(String(data)) as { type: string }).type);
        send(data);
        for (const wake of [...eventWaiters]) wake();
      };
      created.sockets.push(tracked);
      this.addEventListener('message', (message) => {
        const event = JSON.parse(String(message.data)) as ServerEventRecord;
        if (event.type === 'session.created') tracked.sessionId = (event.session as { id: string }).id;
        tracked.events.push(event);
        for (const wake of [...eventWaiters]) wake();
      });
    }
  };
  const devices = navigator.mediaDevices;
  const getUserMedia = devices.getUserMedia.bind(devices);
  devices.getUserMedia = async (constraints) => {
    const stream = await getUserMedia(constraints);
    created.tracks.push(...stream.getTracks());
    return stream;
  };
}

/** Resources still open: sockets not CLOSED, live tracks, contexts not closed. */
export function openResources() {
  return {
    sockets: created.sockets.filter((s) => s.socket.readyState !== WebSocket.CLOSED && s.socket.readyState !== WebSocket.CLOSING).length,
    tracks: created.tracks.filter((t) => t.readyState === 'live').length,
    contexts: created.contexts.filter((c) => c.state !== 'closed').length,
  };
}

/** The socket the kit opened last. */
export function lastSocket(): TrackedSocket {
  const socket = created.sockets.at(-1);
  if (!socket) throw new Error('the kit has not opened a WebSocket yet');
  return socket;
}

/** Resolves with the first server event on `socket` (already received or coming) that matches. */
export function serverEvent(
  socket: TrackedSocket,
  match: (event: ServerEventRecord) => boolean,
  what: string,
  timeoutMs = 8000,
): Promise<ServerEventRecord> {
  return bounded(
    new Promise<ServerEventRecord>((resolve) => {
      const check = (): boolean => {
        const found = socket.events.find(match);
        if (found) resolve(found);
        return Boolean(found);
      };
      if (check()) return;
      const wake = (): void => {
        if (check()) eventWaiters.delete(wake);
      };
      eventWaiters.add(wake);
    }),
    timeoutMs,
    `server event: ${what}`,
  );
}

/** Resolves once `predicate` holds for `socket`, re-checked on every event either way. */
export function socketState(socket: TrackedSocket, predicate: (socket: TrackedSocket) => boolean, what: string, timeoutMs = 8000): Promise<void> {
  return bounded(
    new Promise<void>((resolve) => {
      if (predicate(socket)) return resolve();
      const wake = (): void => {
        if (!predicate(socket)) return;
        eventWaiters.delete(wake);
        resolve();
      };
      eventWaiters.add(wake);
    }),
    timeoutMs,
    what,
  );
}

/**
 * Re-checks `predicate` once per animation frame until it holds: for conditions no event announces
 * (a track a late getUserMedia opened being stopped). Bounded by frames, and fails naming `what`.
 */
export async function untilFrames(predicate: () => boolean, what: string, maxFrames = 300): Promise<void> {
  for (let i = 0; i < maxFrames; i += 1) {
    if (predicate()) return;
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
  if (!predicate()) throw new Error(`${what}: still not true after ${maxFrames} frames`);
}

/** Resolves once the kit has opened more than `count` sockets and the newest sent `type`. */
export function socketSent(count: number, type: string, timeoutMs = 8000): Promise<TrackedSocket> {
  return bounded(
    new Promise<TrackedSocket>((resolve) => {
      const check = (): boolean => {
        const socket = created.sockets.length > count ? created.sockets.at(-1) : undefined;
        if (socket?.sent.includes(type)) resolve(socket);
        return Boolean(socket?.sent.includes(type));
      };
      if (check()) return;
      const wake = (): void => {
        if (check()) eventWaiters.delete(wake);
      };
      eventWaiters.add(wake);
    }),
    timeoutMs,
    `socket #${count + 1} to send ${type}`,
  );
}

/** Rejects with `what` in the message when `promise` takes longer than `timeoutMs`. */
export function bounded<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// ── the manager ───────────────────────────────────────────────────────────────────────────────

export const alwaysOnline: NetworkStatus = { isOnline: () => true, onOnline: () => () => {} };

export interface Harness {
  manager: RealtimeManager;
  client: RemoteRealtimeClient;
  audio: AudioContextOwner;
  /** Every manager event, in order. */
  events: Array<{ event: string; payload: any }>;
  named(event: string): any[];
}

/** A manager over the remote client with the WebSocket adapter, bootstrapping through the real route. */
export function harness(options: RealtimeManagerOptions = {}, clientOptions: RemoteRealtimeClientOptions = {}): Harness {
  const audio = new AudioContextOwner();
  const client = createRemoteRealtimeClient({ endpoint: routePath, adapter: 'openai-websocket', audio, ...clientOptions });
  const manager = createRealtimeManager(client, {
    network: alwaysOnline,
    reconnect: { baseDelayMs: 50, maxDelayMs: 200, maxAttempts: 3, jitter: 0 },
    ...options,
  });
  const events: Harness['events'] = [];
  manager.onAny((event, payload) => events.push({ event, payload }));
  return { manager, client, audio, events, named: (name) => events.filter((e) => e.event === name).map((e) => e.payload) };
}

/** Resolves with the payload of the next `event` matching `predicate`, or fails after `timeoutMs`. */
export function next<T = any>(manager: RealtimeManager, event: string, predicate: (payload: T) => boolean = () => true, timeoutMs = 8000): Promise<T> {
  let off = (): void => {};
  const waiting = new Promise<T>((resolve) => {
    off = manager.on(event, (payload: unknown) => {
      if (!predicate(payload as T)) return;
      off();
      resolve(payload as T);
    });
  });
  return bounded(waiting, timeoutMs, `manager event ${event}`).finally(off);
}

// ── the emulator ──────────────────────────────────────────────────────────────────────────────

async function control(path: string, init?: RequestInit): Promise<any> {
  const response = await fetch(`${emulatorUrl}/_emulator${path}`, init);
  const body = await response.json();
  if (!response.ok) throw new Error(`emulator ${path}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

export const emulator = {
  session: (id: string) => control(`/sessions/${encodeURIComponent(id)}`),
  log: (id: string) => control(`/sessions/${encodeURIComponent(id)}/events`),
  close: (id: string) => control(`/sessions/${encodeURIComponent(id)}/close`, { method: 'POST' }),
  violations: () => control('/violations'),
  /** Replaces faults: of one session, or server-wide (and of every open session) without an id. */
  faults: (faults: Record<string, unknown>, sessionId?: string) =>
    control('/faults', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ sessionId, faults }) }),
};

/** Client events of a type in an emulator session log. */
export function clientEvents(log: { events: Array<{ direction: string; type: string; event: any }> }, type: string): any[] {
  return log.events.filter((e) => e.direction === 'client' && e.type === type).map((e) => e.event);
}
