// An engine without what an adapter needs gets a clear error with a stable code before anything is
// asked of the server, and <charivo-realtime fallback-adapter> runs the session on the adapter it can.
// WebKitGTK here has no WebRTC at all; in Chromium and Firefox the global is hidden for these tests.
import { expect } from '@open-wc/testing';
import { createRealtimeManager } from '../../../src/manager/index.js';
import { createRemoteRealtimeClient, EngineSupportError, missingForTransport, supportsTransport } from '../../../src/transports/index.js';
import { has, requires } from '../../helpers/engine.js';
import { within } from '../../helpers/within.js';
import { awaitedEvent, mountSession, nextEvent, ROUTE_PATH, withoutWebRTC } from './support.js';

describe('engines: what each adapter needs', () => {
  it('names the globals each transport needs, for any scope', () => {
    const full = { RTCPeerConnection: class {}, WebSocket: class {}, AudioContext: class {}, AudioWorkletNode: class {} };
    expect(missingForTransport('webrtc', full)).to.deep.equal([]);
    expect(missingForTransport('websocket', full)).to.deep.equal([]);
    expect(missingForTransport('webrtc', {})).to.deep.equal(['RTCPeerConnection']);
    expect(missingForTransport('websocket', { WebSocket: class {} })).to.deep.equal(['AudioContext', 'AudioWorkletNode']);
    // A value that is there but not a constructor does not count.
    expect(supportsTransport('webrtc', { RTCPeerConnection: {} })).to.equal(false);
  });

  it('this engine: WebSocket sessions always; WebRTC exactly where RTCPeerConnection exists', () => {
    expect(supportsTransport('websocket')).to.equal(true);
    expect(supportsTransport('webrtc')).to.equal(has('RTCPeerConnection'));
  });

  for (const adapter of ['openai-agents-webrtc', 'openai-webrtc']) {
    it(`${adapter} without RTCPeerConnection: start fails with webrtc_unsupported, and the route is never asked`, async () => {
      await withoutWebRTC(async () => {
        let requests = 0;
        const client = createRemoteRealtimeClient({
          endpoint: ROUTE_PATH,
          adapter,
          fetch: (...args) => {
            requests += 1;
            return fetch(...args);
          },
        });
        const manager = createRealtimeManager(client, { reconnect: { maxAttempts: 0 } });
        try {
          const error = await manager.startSession().then(
            () => expect.fail('the start should fail'),
            (e: Error & { cause?: unknown }) => e,
          );
          const cause = error.cause as EngineSupportError;
          expect(cause, error.message).to.be.instanceOf(EngineSupportError);
          expect(cause.code).to.equal('webrtc_unsupported');
          expect(cause.missing).to.deep.equal(['RTCPeerConnection']);
          expect(cause.adapter).to.equal(adapter);
          expect(error.message).to.contain('RTCPeerConnection').and.to.contain('openai-websocket');
          expect(error.message).to.not.match(/Can't find variable|is not defined|not supported in this environment/);
          expect(requests, 'no bootstrap was minted for a session that cannot run').to.equal(0);
          expect(manager.getState().session.status).to.not.equal('active');
        } finally {
          await manager.dispose();
        }
      });
    });
  }

  it('<charivo-realtime> without RTCPeerConnection and no fallback: charivo-error webrtc_unsupported, start rejects', async () => {
    await withoutWebRTC(async () => {
      const { el, remove } = await mountSession({ adapter: 'openai-agents-webrtc' });
      try {
        expect(el.activeAdapter).to.equal('openai-agents-webrtc');
        const reported = nextEvent<{ code: string; error: Error & { cause?: { code?: string } } }>(el, 'charivo-error');
        const error = await el.start().then(() => null, (e: Error & { cause?: { code?: string } }) => e);
        expect(error?.cause?.code).to.equal('webrtc_unsupported');
        expect((await reported).error.cause?.code).to.equal('webrtc_unsupported');
        expect(el.getAttribute('state')).to.not.equal('active');
      } finally {
        await remove();
      }
    });
  });

  it('<charivo-realtime fallback-adapter="openai-websocket"> without RTCPeerConnection: the session runs over WebSocket end to end', async function () {
    // A start that loads the WebSocket adapter's code, then a spoken reply played in real time: past
    // the default 20 s in a loaded Firefox (ci21), with no step named. Each step is bounded on its own.
    this.timeout(45_000);
    await withoutWebRTC(async () => {
      const { el, remove } = await mountSession({ adapter: 'openai-agents-webrtc', 'fallback-adapter': 'openai-websocket' });
      try {
        expect(el.adapter, 'the asked-for adapter is kept').to.equal('openai-agents-webrtc');
        expect(el.activeAdapter).to.equal('openai-websocket');
        await within(el.start(), 20_000, 'the start over the fallback');
        expect(el.getAttribute('connection')).to.equal('connected');
        const done = awaitedEvent<{ status: string; text: string }>(el, 'charivo-assistant-done');
        await el.send('hello over the fallback');
        const reply = await done.within(20_000, 'after the message was sent');
        expect(reply.status).to.equal('completed');
        expect(reply.text).to.equal('You said "hello over the fallback". This is the emulator speaking.');
      } finally {
        await remove();
      }
    });
  });

  describe('with WebRTC', () => {
    requires('RTCPeerConnection');

    it('the fallback is not used where the asked-for adapter runs', async () => {
      const { el, remove } = await mountSession({ adapter: 'openai-webrtc', 'fallback-adapter': 'openai-websocket' });
      try {
        expect(el.activeAdapter).to.equal('openai-webrtc');
      } finally {
        await remove();
      }
    });
  });
});
