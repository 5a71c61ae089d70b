// Helpers for the end-to-end tests of issue 14's session features: a manager over the remote client
// and the real route for any of the three adapters, the emulator's control endpoints, a microphone the
// page is refused (as the browser refuses one), and waits that fail naming what was missing.
import { createRealtimeManager } from '../../../src/manager/index.js';
import type { NetworkStatus, RealtimeManager, RealtimeManagerEventMap, RealtimeManagerOptions, RealtimeState } from '../../../src/manager/index.js';
import { AudioContextOwner } from '../../../src/transports/audio/audio-context-owner.js';
import { createRemoteRealtimeClient, type RemoteRealtimeClient, type RemoteRealtimeClientOptions } from '../../../src/transports/remote/index.js';
// @ts-expect-error virtual module served by test/wtr-realtime-server.mjs
import { emulatorUrl, routePath } from '/__charivo/emulator.js';
import { waitFor as waitForWithin } from '../webrtc/helpers.js';

export const EMULATOR_URL: string = emulatorUrl;
export const ROUTE_PATH: string = routePath;

export const ADAPTERS = ['openai-websocket', 'openai-webrtc', 'openai-agents-webrtc'] as const;
export type AdapterName = (typeof ADAPTERS)[number];

const alwaysOnline: NetworkStatus = { isOnline: () => true, onOnline: () => () => {} };

export interface Harness {
  manager: RealtimeManager;
  client: RemoteRealtimeClient;
  audio: AudioContextOwner;
  /** Every manager event, in order. */
  events: Array<{ event: string; payload: any }>;
  named<K extends keyof RealtimeManagerEventMap>(event: K): Array<RealtimeManagerEventMap[K]>;
  /** Every published state, in order. */
  states: RealtimeState[];
  dispose(): Promise<void>;
}

export function harness(adapter: AdapterName, options: RealtimeManagerOptions = {}, clientOptions: Partial<RemoteRealtimeClientOptions> = {}): Harness {
  const audio = new AudioContextOwner();
  const client = createRemoteRealtimeClient({ endpoint: ROUTE_PATH, adapter, audio, ...clientOptions });
  const manager = createRealtimeManager(client, {
    network: alwaysOnline,
    reconnect: { baseDelayMs: 50, maxDelayMs: 200, maxAttempts: 3, jitter: 0 },
    wakeLock: false,
    ...options,
  });
  const events: Harness['events'] = [];
  const states: RealtimeState[] = [];
  manager.onAny((event, payload) => {
    events.push({ event, payload });
    if (event === 'realtime:state') states.push((payload as { state: RealtimeState }).state);
  });
  return {
    manager,
    client,
    audio,
    events,
    states,
    named: (event) => events.filter((e) => e.event === event).map((e) => e.payload),
    async dispose() {
      await manager.dispose();
      await audio.close().catch(() => {});
    },
  };
}

/** The WebRTC suites' `waitFor`, with 10 s by default (these turns carry images and rollovers). */
export const waitFor: typeof waitForWithin = (manager, event, predicate, timeoutMs = 10_000) => waitForWithin(manager, event, predicate, timeoutMs);

/**
 * Re-checks `predicate` once per animation frame until it holds (for what no event of ours announces,
 * such as the emulator's view of a session); fails naming `what`.
 */
export async function until(predicate: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (await predicate()) return;
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
  if (!(await predicate())) throw new Error(`${what}: not true after ${timeoutMs} ms`);
}

// ── the emulator ──────────────────────────────────────────────────────────────────────────────

async function control<T = any>(path: string, init?: { method?: string; body?: unknown }): Promise<T> {
  const response = await fetch(`${EMULATOR_URL}/_emulator${path}`, {
    method: init?.method ?? 'GET',
    ...(init?.body !== undefined ? { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(init.body) } : {}),
  });
  const body = await response.json();
  if (!response.ok) throw new Error(`emulator ${path}: ${response.status} ${JSON.stringify(body)}`);
  return body as T;
}

export interface EmulatorSessionInfo {
  id: string;
  transport: string;
  callId?: string;
  state: 'connecting' | 'open' | 'closed';
  createdAt: number;
  closedAt?: number;
  closeReason?: string;
  inputAudio: { receivedMs: number; bufferedMs: number };
}

export const emulator = {
  sessions: async (): Promise<EmulatorSessionInfo[]> => (await control<{ sessions: EmulatorSessionInfo[] }>('/sessions')).sessions,
  session: (id: string): Promise<EmulatorSessionInfo> => control(`/sessions/${encodeURIComponent(id)}`),
  log: (id: string): Promise<any> => control(`/sessions/${encodeURIComponent(id)}/events`),
  /** Replaces faults: of one session, or server-wide (and of every open session) without an id. */
  faults: (faults: Record<string, unknown>, sessionId?: string) => control('/faults', { method: 'POST', body: { ...(sessionId ? { sessionId } : {}), faults } }),
  /** Sessions created since `since` (epoch ms), oldest first. */
  async sessionsSince(since: number): Promise<EmulatorSessionInfo[]> {
    return (await this.sessions()).filter((s) => s.createdAt >= since).sort((a, b) => a.createdAt - b.createdAt);
  },
  async violationsOf(ids: string[]): Promise<unknown[]> {
    const { violations } = await control<{ violations: Array<{ sessionId: string }> }>('/violations');
    return violations.filter((v) => ids.includes(v.sessionId));
  },
};

/** Client or server events of a type in a session log. */
export function logEvents(log: { events: Array<{ direction: string; type: string; at: number; event: any }> }, direction: 'client' | 'server', type: string) {
  return log.events.filter((e) => e.direction === direction && e.type === type);
}

// ── the microphone ────────────────────────────────────────────────────────────────────────────

/**
 * Makes the page's getUserMedia refuse as Chromium does when the microphone is blocked
 * (`NotAllowedError`) or there is none (`NotFoundError`); `restore()` gives the real one back. The test
 * browser's fake-UI flag grants every request whatever the site setting, so a denial cannot be set there.
 */
export function refuseMicrophone(name: 'NotAllowedError' | 'NotFoundError' | 'NotReadableError') {
  const devices = navigator.mediaDevices;
  const original = devices.getUserMedia;
  let calls = 0;
  const messages = { NotAllowedError: 'Permission denied', NotFoundError: 'Requested device not found', NotReadableError: 'Could not start audio source' };
  devices.getUserMedia = async () => {
    calls += 1;
    throw new DOMException(messages[name], name);
  };
  return {
    get calls() {
      return calls;
    },
    restore() {
      devices.getUserMedia = original;
    },
  };
}

// ── WebRTC ────────────────────────────────────────────────────────────────────────────────────

/** Every RTCPeerConnection the page creates from now on (`stop()` ends the recording). */
export function recordPeerConnections() {
  const Native = window.RTCPeerConnection;
  const created: RTCPeerConnection[] = [];
  // An engine without WebRTC (WebKitGTK here) has none to record; its suites run over WebSocket only.
  if (typeof Native !== 'function') return { created, live: () => undefined, stop() {} };
  window.RTCPeerConnection = class RecordedPeerConnection extends Native {
    constructor(configuration?: RTCConfiguration) {
      super(configuration);
      created.push(this);
    }
  } as typeof RTCPeerConnection;
  return {
    created,
    /** The newest one still open. */
    live: () => created.filter((pc) => pc.connectionState !== 'closed').at(-1),
    stop() {
      window.RTCPeerConnection = Native;
    },
  };
}

/**
 * Audio RTP packets `pc` has sent (its outbound audio streams), as the browser counts them: what
 * actually left for the provider. (The emulator's own receive count is no proof over WebRTC: its
 * receiver produces frames of silence without any packet.)
 */
export async function audioPacketsSent(pc: RTCPeerConnection): Promise<number> {
  let sent = 0;
  (await pc.getStats()).forEach((report: { type: string; kind?: string; packetsSent?: number }) => {
    if (report.type === 'outbound-rtp' && report.kind === 'audio') sent += report.packetsSent ?? 0;
  });
  return sent;
}
