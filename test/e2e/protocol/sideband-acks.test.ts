// A server-side control connection on the call (what guarded mode's guard opens, here opened by the
// test itself with the emulator's key) changes the session while the page has an update outstanding:
// the provider reports that change to every connection of the call, and the page's protocol client must
// not take it for its own update's answer. Over real WebRTC to the emulator, on openai-webrtc (the
// adapter guarded mode watches). The emulator holds every server event of the call for DELAY_MS
// (order kept), so the sideband's session.updated is still on its way when the page sends its update.
import { expect } from '@open-wc/testing';
// @ts-expect-error virtual module served by test/wtr-emulator-plugin.mjs
import { apiKey, baseUrl } from '/__charivo/emulator.js';
import type { RealtimeSessionConfig } from '../../../src/session/session-config.js';
import { bounded, emulatorControl, errorCodes, openWire, track, type Wire } from './wire.js';
import { requires } from '../../helpers/engine.js';

const BASE: RealtimeSessionConfig = { instructions: 'Page assistant.', turnDetection: null, outputModalities: ['text'] };
/** How long the emulator holds each server event: the window in which the page sends its update. */
const DELAY_MS = 1500;

/** Opens the call's server-side control connection, as a guard does (`?call_id=`, the server key). */
async function openSideband(callId: string): Promise<WebSocket> {
  const url = `${String(baseUrl).replace(/^http/, 'ws')}/realtime?call_id=${encodeURIComponent(callId)}`;
  // A browser cannot set Authorization: the key goes as a subprotocol, which the emulator accepts.
  const socket = new WebSocket(url, ['realtime', `openai-insecure-api-key.${apiKey}`]);
  await bounded(
    new Promise<void>((resolve, reject) => {
      socket.addEventListener('open', () => resolve(), { once: true });
      socket.addEventListener('error', () => reject(new Error('the sideband did not open')), { once: true });
    }),
    5000,
    'the sideband to open',
  );
  return socket;
}

/** Resolves once the emulator has received the client event `eventId` (so it was applied, in order before what follows). */
async function received_(wire: Wire, eventId: string): Promise<void> {
  const seen = async () => ((await wire.log()).events as Array<{ direction: string; event?: { event_id?: string } }>).some((e) => e.direction === 'client' && e.event?.event_id === eventId);
  await bounded(
    (async () => {
      while (!(await seen())) await new Promise((resolve) => setTimeout(resolve, 10));
    })(),
    5000,
    `the emulator to receive ${eventId}`,
  );
}

/**
 * Records the instructions of every `session.updated` arriving on the data channels pages create
 * (until `restore()`), from a listener added before the adapter's, so it has run when the adapter
 * settles anything on the same message.
 */
function tapSessionUpdates(): { received: string[]; restore(): void } {
  const original = RTCPeerConnection.prototype.createDataChannel;
  const received: string[] = [];
  RTCPeerConnection.prototype.createDataChannel = function (this: RTCPeerConnection, ...args: Parameters<RTCPeerConnection['createDataChannel']>) {
    const channel = original.apply(this, args);
    channel.addEventListener('message', (event) => {
      const data = JSON.parse(String(event.data));
      if (data.type === 'session.updated') received.push(data.session.instructions);
    });
    return channel;
  };
  return { received, restore: () => void (RTCPeerConnection.prototype.createDataChannel = original) };
}

describe('protocol client over openai-webrtc: a server-side connection’s session.updated is not the page’s answer', function () {
  requires('RTCPeerConnection');
  this.timeout(20_000);
  let wire: Wire | undefined;
  let sideband: WebSocket | undefined;
  afterEach(async () => {
    sideband?.close();
    await wire?.close();
    wire = sideband = undefined;
  });

  it('the page’s update resolves on its own answer, not on the sideband’s session.updated that arrives first', async () => {
    const tap = tapSessionUpdates();
    try {
      wire = await openWire('openai-webrtc', BASE);
    } finally {
      tap.restore();
    }
    const { received } = tap;

    const callId = (wire.transport.inner as { callId?: string } | undefined)?.callId;
    expect(callId, 'the call id').to.be.a('string');
    sideband = await openSideband(callId!);
    await emulatorControl('/faults', { sessionId: wire.sessionId, faults: { delayMs: DELAY_MS } });

    // The server side changes the instructions; its session.updated now waits DELAY_MS in the emulator.
    sideband.send(JSON.stringify({ type: 'session.update', event_id: 'evt_sideband_1', session: { type: 'realtime', instructions: 'Sideband rules.' } }));
    await received_(wire, 'evt_sideband_1');

    // The page's update, applied after the sideband's: its answer is queued behind the sideband's.
    const pageUpdates = () => wire!.sent.filter((e) => e.type === 'session.update' && e.event_id !== 'evt_sideband_1');
    const sentBefore = pageUpdates().length;
    let seenWhenResolved: string[] | undefined;
    const update = track(wire.transport.updateSession({ ...BASE, instructions: 'Page update.' }).then(() => void (seenWhenResolved = [...received])));
    await wire.sentOf('session.update', sentBefore + 2);
    const sent = pageUpdates()[sentBefore]!;
    await bounded(update.settled, DELAY_MS * 4, 'the page update to settle');
    expect(update.state).to.equal('resolved');

    const log = await wire.log();
    const events = log.events as Array<{ direction: string; type: string; event: any }>;
    const pageUpdate = events.findIndex((e) => e.direction === 'client' && e.event?.event_id === sent.event_id);
    const sidebandAnswer = events.findIndex((e) => e.direction === 'server' && e.type === 'session.updated' && e.event.session.instructions === 'Sideband rules.');
    const pageAnswer = events.findIndex((e) => e.direction === 'server' && e.type === 'session.updated' && e.event.session.instructions === 'Page update.');
    // The scenario happened: the sideband's session.updated left the emulator after the page's update
    // had arrived there (so the page had that update outstanding when it came), and before its answer.
    expect(pageUpdate, 'page update logged').to.be.at.least(0);
    expect(pageUpdate, 'the page update arrived before the sideband’s answer left').to.be.below(sidebandAnswer);
    expect(sidebandAnswer, 'the sideband’s answer left before the page’s').to.be.below(pageAnswer);
    // The page took only its own answer for it: when its update resolved, it had received both, in order.
    expect(seenWhenResolved).to.deep.equal([...received.slice(0, received.indexOf('Sideband rules.')), 'Sideband rules.', 'Page update.']);
    expect(errorCodes(wire.events)).to.deep.equal([]);
    expect(log.session.instructions).to.equal('Page update.');
    expect(log.violations).to.deep.equal([]);
  });
});
