// Helpers for the device and audio-path end-to-end tests: a manager over the remote client and the
// real route, with each adapter built with an output element the test owns and the page's
// AudioDevices; the emulator's session summaries; bounded waits.
// @ts-expect-error virtual module served by test/wtr-realtime-server.mjs
import { emulatorUrl, routePath } from '/__charivo/emulator.js';
// @ts-expect-error virtual module served by test/wtr-realtime-server.mjs
import { liveRoutes } from '/__charivo/live-routes.js';
import { createRealtimeManager, type RealtimeManager } from '../../../src/manager/index.js';
import { AudioContextOwner } from '../../../src/transports/audio/audio-context-owner.js';
import type { AudioDeviceChoice } from '../../../src/transports/audio/device-choice.js';
import type { RealtimeAdapterEntry } from '../../../src/transports/remote/adapters.js';
import { createRemoteRealtimeClient, type RemoteRealtimeClient } from '../../../src/transports/remote/index.js';

export const ADAPTERS = ['openai-agents-webrtc', 'openai-webrtc', 'openai-websocket', 'openai-live-webrtc'] as const;
export type AdapterName = (typeof ADAPTERS)[number];

/** The built-in adapter `name`, made with `audioElement` as its output. */
function entry(name: AdapterName, audioElement: HTMLAudioElement): RealtimeAdapterEntry {
  const load = async () => {
    if (name === 'openai-websocket') {
      const { createWebSocketAdapter } = await import('../../../src/transports/openai-websocket/index.js');
      return (deps: Parameters<typeof createWebSocketAdapter>[0]) => createWebSocketAdapter(deps, { audioElement });
    }
    if (name === 'openai-live-webrtc') {
      const { createLiveWebRTCAdapter } = await import('../../../src/transports/openai-live/index.js');
      return (deps: Parameters<typeof createLiveWebRTCAdapter>[0]) => createLiveWebRTCAdapter(deps, { audioElement });
    }
    if (name === 'openai-webrtc') {
      const { createUnifiedWebRTCAdapter } = await import('../../../src/transports/openai-webrtc/unified-adapter.js');
      return (deps: Parameters<typeof createUnifiedWebRTCAdapter>[0]) => createUnifiedWebRTCAdapter(deps, { audioElement });
    }
    const { createAgentsWebRTCAdapter } = await import('../../../src/transports/openai-webrtc/agents-adapter.js');
    return (deps: Parameters<typeof createAgentsWebRTCAdapter>[0]) => createAgentsWebRTCAdapter(deps, { audioElement });
  };
  return { name, transport: name === 'openai-websocket' ? 'websocket' : 'webrtc', load };
}

export interface DeviceHarness {
  manager: RealtimeManager;
  client: RemoteRealtimeClient;
  audio: AudioContextOwner;
  /** The element the assistant plays through. */
  element: HTMLAudioElement;
  events: Array<{ event: string; payload: any }>;
  dispose(): Promise<void>;
}

export function deviceHarness(adapter: AdapterName, devices: AudioDeviceChoice): DeviceHarness {
  const audio = new AudioContextOwner();
  const element = document.createElement('audio');
  // GPT-Live is opt-in on a route: the test server has one with client delegation.
  const endpoint = adapter === 'openai-live-webrtc' ? (liveRoutes as { client: { path: string } }).client.path : routePath;
  const client = createRemoteRealtimeClient({ endpoint, adapter, audio, devices, adapters: [entry(adapter, element)] });
  const manager = createRealtimeManager(client, {
    network: { isOnline: () => true, onOnline: () => () => {} },
    reconnect: { baseDelayMs: 50, maxDelayMs: 100, maxAttempts: 2, jitter: 0 },
  });
  const events: DeviceHarness['events'] = [];
  manager.onAny((event, payload) => events.push({ event, payload }));
  return {
    manager,
    client,
    audio,
    element,
    events,
    async dispose() {
      await manager.dispose();
      await audio.close();
    },
  };
}

/** Resolves with the next `event` matching `predicate`; fails naming it after `timeoutMs`. */
export function next<T = any>(manager: RealtimeManager, event: string, predicate: (payload: T) => boolean = () => true, timeoutMs = 10_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${event}`));
    }, timeoutMs);
    const off = manager.on(event, (payload: unknown) => {
      if (!predicate(payload as T)) return;
      clearTimeout(timer);
      off();
      resolve(payload as T);
    });
  });
}

async function control<T = any>(path: string): Promise<T> {
  const response = await fetch(`${emulatorUrl}/_emulator${path}`);
  if (!response.ok) throw new Error(`emulator ${path}: ${response.status}`);
  return (await response.json()) as T;
}

/** Ids of the emulator's sessions now (to find the one a test opens next). */
export async function sessionIds(): Promise<Set<string>> {
  const { sessions } = await control<{ sessions: Array<{ id: string }> }>('/sessions');
  return new Set(sessions.map((s) => s.id));
}

/** The one session opened since `before`. */
export async function newSession(before: Set<string>): Promise<string> {
  const { sessions } = await control<{ sessions: Array<{ id: string; state: string }> }>('/sessions');
  const opened = sessions.filter((s) => !before.has(s.id) && s.state === 'open');
  if (opened.length !== 1) throw new Error(`expected one new emulator session, found ${opened.length}`);
  return opened[0]!.id;
}

export const summary = (id: string) => control<{ state: string; inputAudio: { receivedMs: number } }>(`/sessions/${encodeURIComponent(id)}`);
export const sessionLog = (id: string) => control<{ events: Array<{ direction: string; type: string; event: any }> }>(`/sessions/${encodeURIComponent(id)}/events`);

/**
 * Resolves once the emulator has received `ms` more of microphone audio in session `id` than it had
 * at the call: the microphone's audio reaches it. Re-asked once per animation frame, bounded.
 */
export async function hearsMore(id: string, ms: number, maxFrames = 600): Promise<number> {
  const from = (await summary(id)).inputAudio.receivedMs;
  for (let i = 0; i < maxFrames; i += 1) {
    const now = (await summary(id)).inputAudio.receivedMs;
    if (now - from >= ms) return now;
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
  throw new Error(`the emulator did not receive ${ms} ms more of microphone audio`);
}

/** Re-checks `predicate` once per animation frame until it holds (for what no event announces). */
export async function untilFrames(predicate: () => boolean, what: string, maxFrames = 300): Promise<void> {
  for (let i = 0; i < maxFrames; i += 1) {
    if (predicate()) return;
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
  throw new Error(`${what}: still not true after ${maxFrames} frames`);
}
