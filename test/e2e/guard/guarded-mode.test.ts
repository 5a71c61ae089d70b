// Guarded mode end to end (issue 10): a page runs the manager + remote client with the openai-webrtc
// adapter through the real route with `guard` on (test/wtr-realtime-server.mjs, guarded paths) to the
// emulator over real WebRTC. The page then turns hostile: it writes a forbidden raw `session.update`
// straight onto the `oai-events` data channel, reached by wrapping
// RTCPeerConnection.prototype.createDataChannel (no product code changed). The server-side guard must
// put the owned fields back, or hang up. The time from the page's write to the correction is printed
// (bench/browser/guard.bench.ts measures it properly); no test asserts a timer.
import { expect } from '@open-wc/testing';
import { createRealtimeManager, type RealtimeManager, type RealtimeSessionConfig } from '../../../src/manager/index.js';
import { createRemoteRealtimeClient } from '../../../src/transports/index.js';
import { alwaysOnline, emulator, waitForState } from '../webrtc/helpers.js';
import { BootstrapTap, ChannelTap, FORBIDDEN, ownsMinted } from './taps.js';
import { requires } from '../../helpers/engine.js';

const GUARDED_ROUTE_PATH = '/api/realtime-guarded';
const GUARDED_HANGUP_ROUTE_PATH = '/api/realtime-guarded-hangup';

/** What the page asks for: nothing the strict policy refuses (no instructions, the allowed voice). */
const PAGE_CONFIG: RealtimeSessionConfig = { voice: 'marin', turnDetection: null, outputModalities: ['text'], inputTranscription: null };

describe('guarded mode (openai-webrtc, real route with guard, emulator)', () => {
  requires('RTCPeerConnection');
  const channels = new ChannelTap();
  const bootstraps = new BootstrapTap();
  let manager: RealtimeManager | undefined;

  beforeEach(() => {
    channels.install();
    bootstraps.install();
  });
  afterEach(async () => {
    await manager?.dispose();
    manager = undefined;
    channels.uninstall();
    bootstraps.uninstall();
  });

  async function start(endpoint: string): Promise<{ callId: string; minted: Record<string, any> }> {
    const client = createRemoteRealtimeClient({ endpoint, adapter: 'openai-webrtc' });
    manager = createRealtimeManager(client, { network: alwaysOnline, reconnect: { baseDelayMs: 50, maxDelayMs: 100, maxAttempts: 1, jitter: 0 } });
    await manager.startSession(PAGE_CONFIG);
    const bootstrap = bootstraps.last(endpoint);
    expect(bootstrap.adapter).to.equal('openai-webrtc');
    // Whatever the page's connect sent, the live session settles on the minted owned fields first.
    await channels.nextUpdate((session) => ownsMinted(session, bootstrap.session), 0);
    return { callId: bootstrap.callId, minted: bootstrap.session };
  }

  it('a raw forbidden session.update written on the data channel is put back to the minted session', async () => {
    const { callId, minted } = await start(GUARDED_ROUTE_PATH);
    expect(minted.instructions).to.equal('Guarded server rules: stay on topic.');
    expect((await emulator(`/_emulator/sessions/${callId}`)).sidebands).to.equal(1, 'the guard watches the call');

    // For scale: a harmless raw update's own round trip on the same channel.
    const roundTrip = await channels.write({ type: 'session.update', event_id: 'evt_page_probe', session: { type: 'realtime' } }, () => true);

    const figures: number[] = [];
    for (let round = 1; round <= 3; round += 1) {
      const sent = channels.updates.length;
      const t0 = performance.now();
      channels.channel.send(JSON.stringify({ type: 'session.update', event_id: `evt_hostile_${round}`, session: FORBIDDEN }));
      const forbidden = await channels.nextUpdate((session) => session.instructions === FORBIDDEN.instructions, sent);
      expect(forbidden.session.audio.output.voice).to.equal('alloy', 'the emulator applied the page’s update first');
      const corrected = await channels.nextUpdate((session) => ownsMinted(session, minted), forbidden.index + 1);
      figures.push(corrected.at - t0);

      const live = (await emulator(`/_emulator/sessions/${callId}/events`)).session;
      expect(live.instructions).to.equal(minted.instructions);
      expect(live.audio.output.voice).to.equal(minted.voice);
      expect(live.tools).to.deep.equal([]);
      expect(live.audio.input.transcription).to.equal(null);
    }
    console.log(
      `[guarded mode] page write → corrected session.updated: ${figures.map((ms) => ms.toFixed(1)).join(', ')} ms ` +
        `(a plain session.update round trip on the same channel: ${roundTrip.toFixed(1)} ms)`,
    );

    const log = await emulator(`/_emulator/sessions/${callId}/events`);
    const guardEvents = log.events.filter((e: any) => e.direction === 'client' && e.via === 'sideband');
    expect(guardEvents.map((e: any) => e.type)).to.deep.equal(['session.update', 'session.update', 'session.update', 'session.update'], 'the join probe and three corrections');
    expect(log.violations).to.deep.equal([]);

    // The call goes on: the page's manager is still connected and a turn completes.
    expect(manager!.getState().connection).to.equal('connected');
    const reply = new Promise<string>((resolve) => manager!.on('realtime:assistant:done', (done) => resolve(done.text)));
    await manager!.sendMessage('still there?');
    expect(await reply).to.equal('You said "still there?". This is the emulator speaking.');
  });

  it('with action hangup, the forbidden write ends the call and the page loses the connection', async () => {
    const { callId } = await start(GUARDED_HANGUP_ROUTE_PATH);
    const channel = channels.channel;
    const closed = new Promise<number>((resolve) => channel.addEventListener('close', () => resolve(performance.now()), { once: true }));
    const lost = waitForState(manager!, (state) => state.connection !== 'connected', 'the connection is lost');
    const t0 = performance.now();
    channel.send(JSON.stringify({ type: 'session.update', event_id: 'evt_hostile_hangup', session: { type: 'realtime', audio: { output: { voice: 'alloy' } } } }));
    const closedAt = await closed;
    await lost;
    console.log(`[guarded mode] page write → data channel closed by the hang-up: ${(closedAt - t0).toFixed(1)} ms`);
    const session = await emulator(`/_emulator/sessions/${callId}`);
    expect(session.state).to.equal('closed');
    expect(session.closeReason).to.equal('hangup');
    const log = await emulator(`/_emulator/sessions/${callId}/events`);
    expect(log.session.audio.output.voice).to.equal('alloy', 'the call ended rather than going on with the page’s voice');
    expect(log.violations).to.deep.equal([]);
  });
});
