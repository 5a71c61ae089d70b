// Helpers for the GPT-Live end-to-end tests: a manager over the remote client with adapter
// openai-live-webrtc and the real route (one per delegation mode), the emulator's Live control, and
// the emulator's log of the current Live session.
// @ts-expect-error virtual module served by test/wtr-realtime-server.mjs
import { liveRoutes } from '/__charivo/live-routes.js';
import type { RealtimeManagerOptions } from '../../../src/manager/index.js';
import type { RemoteRealtimeClient, RemoteRealtimeClientOptions } from '../../../src/transports/index.js';
import type { RealtimeAdapterEntry } from '../../../src/transports/remote/adapters.js';
import { createHarness as createWebRTCHarness, emulator, type Harness } from '../webrtc/helpers.js';

export { emulator, sampleUntil, setFaults, waitFor, waitForState, type Harness } from '../webrtc/helpers.js';

/** Route paths, by the delegation the server set up for them. */
export const LIVE_ROUTES = liveRoutes as Record<'client' | 'responses', { path: string }>;

export type LoggedEvent = { direction: 'client' | 'server'; type: string; event: any; injected?: true };

/**
 * GPT-Live sends no turn end: an utterance ends after a quiet gap past its last word's audio (700 ms
 * by default). Three engines side by side on two cores stalled the emulator or the page longer than
 * that between two words of one answer, which then ended early. These tests are about what a turn
 * holds, not about when the gap closes it (src/transports/openai-live/live-events.test.ts is), so
 * they give a loaded machine 2 s.
 */
const liveAdapter: RealtimeAdapterEntry = {
  name: 'openai-live-webrtc',
  transport: 'webrtc',
  async load() {
    const { createLiveWebRTCAdapter } = await import('../../../src/transports/openai-live/index.js');
    return (deps: Parameters<typeof createLiveWebRTCAdapter>[0]) => createLiveWebRTCAdapter(deps, { utteranceGapMs: 2000 });
  },
};

/**
 * A manager over openai-live-webrtc through the route of `delegation` (starts muted unless told).
 * `clientOptions.microphone`: a speaking microphone's stream for tests about speech.
 */
export function createLiveHarness(
  delegation: 'client' | 'responses',
  options: RealtimeManagerOptions = {},
  muted = true,
  clientOptions: Partial<RemoteRealtimeClientOptions> = {},
): Harness {
  const h = createWebRTCHarness('openai-webrtc', options, { endpoint: LIVE_ROUTES[delegation].path, adapter: 'openai-live-webrtc', adapters: [liveAdapter], ...clientOptions });
  // The engine's fake microphone beeps or hums: tests that are not about speech keep it muted.
  h.client.setMuted(muted);
  return h;
}

/** The id of the client's current Live session (`live_…`). */
export function liveSessionId(client: RemoteRealtimeClient): string {
  const id = (client.inner as { sessionId?: string } | undefined)?.sessionId;
  if (!id) throw new Error('the transport knows no Live session id (not connected?)');
  return id;
}

/** The emulator's log of the client's current Live session. */
export function liveLog(client: RemoteRealtimeClient): Promise<{ events: LoggedEvent[]; violations: unknown[]; session: any; items: any[] }> {
  return emulator(`/_emulator/sessions/${encodeURIComponent(liveSessionId(client))}/events`);
}

/** Steers the emulated Live model: `delegate` (to the client, or the backend with a task) or `say`. */
export function steer(client: RemoteRealtimeClient | string, action: 'delegate' | 'say', body: Record<string, unknown> = {}): Promise<any> {
  const id = typeof client === 'string' ? client : liveSessionId(client);
  return emulator(`/_emulator/live/${encodeURIComponent(id)}/${action}`, { method: 'POST', body });
}

/** The newest open Live session of the emulator (for pages whose transport a test cannot reach). */
export async function newestLiveSession(): Promise<string> {
  const { sessions } = await emulator<{ sessions: Array<{ id: string; api?: string; state: string; createdAt: number }> }>('/_emulator/sessions');
  const open = sessions.filter((session) => session.api === 'live' && session.state === 'open').sort((a, b) => b.createdAt - a.createdAt);
  if (!open[0]) throw new Error('no open Live session');
  return open[0].id;
}

export const ofType = (log: { events: LoggedEvent[] }, direction: 'client' | 'server', type: string) =>
  log.events.filter((e) => e.direction === direction && e.type === type).map((e) => e.event);
