// Guarded mode: how fast the server-side guard undoes a hostile page's raw `session.update`, and what it
// costs at connect. A manager + remote client (openai-webrtc) goes through the guarded route
// (/api/realtime-guarded, test/wtr-realtime-server.mjs) to the emulator; the bench writes on the page's
// own `oai-events` channel (tapped through RTCPeerConnection.prototype.createDataChannel).
// - correction: raw forbidden write → the page receives the `session.updated` with the minted fields
//   back; comparison: a harmless raw `session.update` → its own `session.updated` on the same channel,
//   interleaved (the floor any correction sits on: the page's update has to be applied first).
// - hang-up: raw forbidden write on /api/realtime-guarded-hangup → the data channel closes.
// - connect cost: the route POST (call created, and the guard joined before the answer) against the
//   unguarded route's POST for the same adapter, interleaved.
import { createRealtimeManager, type RealtimeManager } from '../../src/manager/index.js';
import { createRemoteRealtimeClient } from '../../src/transports/index.js';
import { BootstrapTap, ChannelTap, FORBIDDEN, ownsMinted } from '../../test/e2e/guard/taps.js';
import { median, ms, quantile, ratio, report, sleep, spread } from './support.js';

const SESSIONS = 8;
/** The guard's default maxCorrections: one more write in a session would hang up. */
const WRITES_PER_SESSION = 3;
const HANGUPS = 5;
const GUARDED = '/api/realtime-guarded';
const GUARDED_HANGUP = '/api/realtime-guarded-hangup';
const UNGUARDED = '/api/realtime';

const channels = new ChannelTap();
const bootstraps = new BootstrapTap();
const alwaysOnline = { isOnline: () => true, onOnline: () => () => {} };

/** Route POST durations of the page (fetch wrapped around the bootstrap tap). */
const routePosts: Array<{ path: string; ms: number }> = [];
function timeRoutePosts(): () => void {
  const original = window.fetch;
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const t0 = performance.now();
    try {
      return await original(input, init);
    } finally {
      const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url, location.href);
      if (url.pathname.startsWith('/api/realtime')) routePosts.push({ path: url.pathname, ms: performance.now() - t0 });
    }
  };
  return () => (window.fetch = original);
}

async function session(endpoint: string): Promise<{ manager: RealtimeManager; minted: Record<string, any> }> {
  const client = createRemoteRealtimeClient({ endpoint, adapter: 'openai-webrtc' });
  const manager = createRealtimeManager(client, { network: alwaysOnline, reconnect: { maxAttempts: 0 } });
  await manager.startSession({ voice: 'marin', turnDetection: null, outputModalities: ['text'], inputTranscription: null });
  return { manager, minted: bootstraps.last(endpoint).session };
}

describe('bench: guarded mode', () => {
  before(() => {
    channels.install();
    bootstraps.install();
  });
  after(() => {
    channels.uninstall();
    bootstraps.uninstall();
  });

  it(`corrections (${SESSIONS} sessions × ${WRITES_PER_SESSION} writes), hang-ups (${HANGUPS}), connect cost`, async () => {
    const restoreFetch = timeRoutePosts();
    const corrections: number[] = [];
    const plain: number[] = [];
    const hangups: number[] = [];
    try {
      for (let run = 0; run < SESSIONS; run += 1) {
        // The unguarded route's POST for the same adapter, interleaved with the guarded one.
        const bare = await session(UNGUARDED);
        await bare.manager.dispose();
        const { manager, minted } = await session(GUARDED);
        await channels.nextUpdate((s) => ownsMinted(s, minted), 0);
        for (let write = 0; write < WRITES_PER_SESSION; write += 1) {
          plain.push(await channels.write({ type: 'session.update', session: { type: 'realtime' } }, () => true));
          const from = channels.updates.length;
          const t0 = performance.now();
          channels.channel.send(JSON.stringify({ type: 'session.update', session: FORBIDDEN }));
          const forbidden = await channels.nextUpdate((s) => s.instructions === FORBIDDEN.instructions, from);
          corrections.push((await channels.nextUpdate((s) => ownsMinted(s, minted), forbidden.index + 1)).at - t0);
        }
        await manager.dispose();
        channels.updates.length = 0;
        await sleep(100);
      }
      for (let run = 0; run < HANGUPS; run += 1) {
        const { manager } = await session(GUARDED_HANGUP);
        const channel = channels.channel;
        const closed = new Promise<number>((resolve) => channel.addEventListener('close', () => resolve(performance.now()), { once: true }));
        const t0 = performance.now();
        channel.send(JSON.stringify({ type: 'session.update', session: FORBIDDEN }));
        hangups.push((await closed) - t0);
        await manager.dispose();
        await sleep(100);
      }
    } finally {
      restoreFetch();
    }

    const posts = (path: string) => routePosts.filter((p) => p.path === path).map((p) => p.ms);
    const guardedPost = median(posts(GUARDED));
    const barePost = median(posts(UNGUARDED));
    const rows = [
      ['page write → corrected session.updated', ms(median(corrections)), ms(median(plain)), ratio(median(corrections), median(plain))],
      ['  95th percentile', ms(quantile(corrections, 0.95)), ms(quantile(plain, 0.95)), ratio(quantile(corrections, 0.95), quantile(plain, 0.95))],
      ['page write → call hung up (data channel closed)', ms(median(hangups)), ms(median(plain)), ratio(median(hangups), median(plain))],
      ['route POST (openai-webrtc): guarded vs unguarded', ms(guardedPost), ms(barePost), ratio(guardedPost, barePost)],
    ];
    await report(
      'guard',
      {
        title: `Guarded mode against the local emulator (median of ${corrections.length} corrections, ${hangups.length} hang-ups)`,
        headers: ['figure', 'guarded', 'comparison', 'ratio'],
        rows,
        notes: [
          'comparison of the first three rows: a harmless raw session.update → its own session.updated on the same channel (interleaved)',
          'comparison of the last row: the unguarded route (/api/realtime) for the same adapter, interleaved; the guarded POST includes the guard joining the call',
          `corrections ${spread(corrections)} ms; hang-ups ${spread(hangups)} ms`,
          'loopback: against OpenAI the correction adds about one network round trip between your server and OpenAI to these figures',
        ],
      },
      { unit: 'ms', headline: [rows[0]], corrections, plain, hangups, routePosts, figureMs: median(corrections), comparisonMs: median(plain) },
    );
  });
});
