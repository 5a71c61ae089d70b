// Browser side of the fault suite: a manager over the remote client and the real route to the emulator,
// for either transport, plus the emulator's control endpoints, event-driven waits with loud bounds, the
// "settled" invariant, and a watch for uncaught errors and unhandled rejections on the page.
import { createRealtimeManager } from '../../src/manager/index.js';
import type { RealtimeManager, RealtimeManagerOptions, RealtimeSessionConfig, RealtimeState } from '../../src/manager/index.js';
import { AudioContextOwner } from '../../src/transports/audio/audio-context-owner.js';
import { createRemoteRealtimeClient, type RemoteRealtimeClient } from '../../src/transports/remote/index.js';
import { alwaysOnline, EMULATOR_URL, ROUTE_PATH, waitFor } from '../e2e/webrtc/helpers.js';

export { waitFor };

/** The two transports of the fault suite: the default WebRTC adapter and the WebSocket one. */
export const FAULT_ADAPTERS = ['openai-agents-webrtc', 'openai-websocket'] as const;
export type FaultAdapter = (typeof FAULT_ADAPTERS)[number];

/** Text only, no voice activity detection: replies are fast (20 ms a delta) and only typed turns start them. */
export const QUIET: RealtimeSessionConfig = { instructions: 'Fault suite.', turnDetection: null, outputModalities: ['text'] };

export interface LiveHarness {
  adapter: FaultAdapter;
  manager: RealtimeManager;
  client: RemoteRealtimeClient;
  /** Every manager event, in order. */
  events: Array<{ event: string; payload: any }>;
  named(event: string): any[];
  /** Emulator sessions that existed before this harness: every other one is this harness's. */
  foreign: Set<string>;
  dispose(): Promise<void>;
}

/** A muted manager over the remote client (fast reconnects), with every event recorded. */
export async function liveHarness(adapter: FaultAdapter, options: RealtimeManagerOptions = {}): Promise<LiveHarness> {
  const foreign = new Set((await emulatorSessions()).map((s) => s.id));
  const audio = new AudioContextOwner();
  const client = createRemoteRealtimeClient({ endpoint: ROUTE_PATH, adapter, audio });
  await client.prepareAudio();
  client.setMuted(true);
  const manager = createRealtimeManager(client, {
    network: alwaysOnline,
    reconnect: { baseDelayMs: 30, maxDelayMs: 100, maxAttempts: 3, jitter: 0 },
    ...options,
  });
  const events: LiveHarness['events'] = [];
  manager.onAny((event, payload) => events.push({ event, payload }));
  return {
    adapter,
    manager,
    client,
    events,
    named: (name) => events.filter((e) => e.event === name).map((e) => e.payload),
    foreign,
    async dispose() {
      await manager.dispose();
      await audio.close();
    },
  };
}

// ── the emulator ──────────────────────────────────────────────────────────────────────────────

export interface EmulatorSessionSummary {
  id: string;
  transport: 'webrtc' | 'websocket';
  callId?: string;
  state: 'connecting' | 'open' | 'closed';
  createdAt: number;
}

export interface EmulatorEvent {
  direction: 'server' | 'client';
  type: string;
  event: any;
  injected?: boolean;
}

async function control<T>(path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${EMULATOR_URL}/_emulator${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    ...(body !== undefined ? { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) } : {}),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`emulator ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json as T;
}

export async function emulatorSessions(): Promise<EmulatorSessionSummary[]> {
  return (await control<{ sessions: EmulatorSessionSummary[] }>('/sessions')).sessions;
}

export function sessionLog(id: string): Promise<{ id: string; events: EmulatorEvent[]; violations: unknown[] }> {
  return control(`/sessions/${encodeURIComponent(id)}/events`);
}

/** Replaces the faults of one session. */
export function setSessionFaults(sessionId: string, faults: Record<string, unknown>): Promise<unknown> {
  return control('/faults', { sessionId, faults });
}

/** Replaces the server-wide faults (and those of every open session); `{}` clears them. */
export function setServerFaults(faults: Record<string, unknown>): Promise<unknown> {
  return control('/faults', { faults });
}

/** Sends raw frames to the client of `sessionId`, in batches (the endpoint takes ≤ 5000 frames and 8 MiB). */
export async function inject(sessionId: string, frames: readonly string[], batch = 100): Promise<number> {
  let sent = 0;
  for (let at = 0; at < frames.length; at += batch) {
    sent += (await control<{ sent: number }>(`/sessions/${encodeURIComponent(sessionId)}/inject`, { frames: frames.slice(at, at + batch) })).sent;
  }
  return sent;
}

/** This harness's sessions (open and closed), oldest first. */
export async function ownSessions(h: LiveHarness): Promise<EmulatorSessionSummary[]> {
  const kind = h.adapter === 'openai-websocket' ? 'websocket' : 'webrtc';
  return (await emulatorSessions()).filter((s) => !h.foreign.has(s.id) && s.transport === kind).sort((a, b) => a.createdAt - b.createdAt);
}

/** The emulator session of the client's current connection. */
export async function currentSession(h: LiveHarness): Promise<string> {
  const callId = (h.client.inner as { callId?: string } | undefined)?.callId;
  if (callId) return (await control<{ id: string }>(`/sessions/${encodeURIComponent(callId)}`)).id;
  const open = (await ownSessions(h)).filter((s) => s.state === 'open');
  if (open.length !== 1) throw new Error(`expected one open emulator session for ${h.adapter}, found ${open.length}`);
  return open[0]!.id;
}

/** `function_call_output` items the client sent, per call id, across `sessionIds`. */
export async function toolOutputs(sessionIds: readonly string[]): Promise<Map<string, Array<{ sessionId: string; output: string }>>> {
  const byCall = new Map<string, Array<{ sessionId: string; output: string }>>();
  for (const id of sessionIds) {
    for (const record of (await sessionLog(id)).events) {
      const item = record.direction === 'client' && record.type === 'conversation.item.create' ? record.event?.item : undefined;
      if (item?.type !== 'function_call_output') continue;
      const list = byCall.get(item.call_id) ?? [];
      list.push({ sessionId: id, output: item.output });
      byCall.set(item.call_id, list);
    }
  }
  return byCall;
}

// ── waits and invariants ──────────────────────────────────────────────────────────────────────

/** Nothing in flight: connected and active, no response running or awaited, no tool call pending. */
export function isSettled(state: RealtimeState): boolean {
  return (
    state.connection === 'connected' &&
    state.session.status === 'active' &&
    !state.reconnecting &&
    state.response.status !== 'responding' &&
    !state.awaitingResponse &&
    state.pendingToolCalls === 0
  );
}

/** Ended after a failed recovery: stopped, in error, nothing in flight. */
export function isExhausted(state: RealtimeState): boolean {
  return state.session.status === 'stopped' && state.connection === 'error' && !state.reconnecting && !state.awaitingResponse;
}

/** Resolves once `predicate(state)` holds (now or on a later state change); fails naming the last state. */
export function untilState(manager: RealtimeManager, predicate: (state: RealtimeState) => boolean, what: string, timeoutMs = 8000): Promise<RealtimeState> {
  const now = manager.getState();
  if (predicate(now)) return Promise.resolve(now);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; state: ${JSON.stringify(summary(manager.getState()))}`));
    }, timeoutMs);
    const off = manager.on('realtime:state', ({ state }) => {
      if (!predicate(state)) return;
      clearTimeout(timer);
      off();
      resolve(state);
    });
  });
}

export function summary(state: RealtimeState) {
  const { connection, session, response, awaitingResponse, pendingToolCalls, reconnecting, lastError } = state;
  return { connection, session: session.status, response: response.status, awaitingResponse, pendingToolCalls, reconnecting, lastError: lastError?.code };
}

/** Records uncaught errors and unhandled rejections on the page until `stop()`. */
export function watchUncaught(): { seen: string[]; stop(): void } {
  const seen: string[] = [];
  const onError = (event: ErrorEvent) => seen.push(`error: ${event.message}`);
  const onRejection = (event: PromiseRejectionEvent) => {
    const reason = event.reason as { stack?: string } | undefined;
    seen.push(`unhandledrejection: ${reason?.stack ?? String(event.reason)}`);
  };
  window.addEventListener('error', onError);
  window.addEventListener('unhandledrejection', onRejection);
  return {
    seen,
    stop() {
      window.removeEventListener('error', onError);
      window.removeEventListener('unhandledrejection', onRejection);
    },
  };
}
