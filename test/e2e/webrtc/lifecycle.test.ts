// End to end over real WebRTC: failures, cancellation and resource hygiene of both OpenAI WebRTC
// adapters, driven through the manager, the remote client and the real route to the emulator.
import { expect } from '@open-wc/testing';
import { requires } from '../../helpers/engine.js';
import type { RealtimeSessionConfig } from '../../../src/manager/index.js';
import { AudioDeviceError } from '../../../src/transports/index.js';
import { ADAPTERS, createHarness, currentSession, emulator, setFaults, waitFor, waitForState, type Harness } from './helpers.js';

const QUIET: RealtimeSessionConfig = { instructions: 'Lifecycle test.', turnDetection: null, outputModalities: ['text'] };

/** Counts what the kit opens in this page: peer connections, audio contexts, microphone tracks. */
class ResourceCensus {
  readonly peers: RTCPeerConnection[] = [];
  readonly contexts: AudioContext[] = [];
  readonly tracks: MediaStreamTrack[] = [];
  #restore: Array<() => void> = [];

  install(): void {
    const census = this;
    const OriginalPeer = window.RTCPeerConnection;
    const OriginalContext = window.AudioContext;
    // Engines without WebRTC skip this file's suites (requires below); their census has no peers.
    if (typeof OriginalPeer === 'function') {
      window.RTCPeerConnection = new Proxy(OriginalPeer, {
        construct(target, args, newTarget) {
          const pc = Reflect.construct(target, args, newTarget) as RTCPeerConnection;
          census.peers.push(pc);
          return pc;
        },
      });
    }
    window.AudioContext = new Proxy(OriginalContext, {
      construct(target, args, newTarget) {
        const context = Reflect.construct(target, args, newTarget) as AudioContext;
        census.contexts.push(context);
        return context;
      },
    });
    const devices = navigator.mediaDevices;
    const getUserMedia = devices.getUserMedia;
    devices.getUserMedia = async function (constraints?: MediaStreamConstraints) {
      const stream = await getUserMedia.call(devices, constraints);
      census.tracks.push(...stream.getTracks());
      return stream;
    };
    this.#restore = [
      () => (window.RTCPeerConnection = OriginalPeer),
      () => (window.AudioContext = OriginalContext),
      () => (devices.getUserMedia = getUserMedia),
    ];
  }

  uninstall(): void {
    for (const restore of this.#restore) restore();
    this.#restore = [];
  }

  open(): { peers: number; contexts: number; tracks: number } {
    return {
      peers: this.peers.filter((pc) => pc.connectionState !== 'closed').length,
      contexts: this.contexts.filter((context) => context.state !== 'closed').length,
      tracks: this.tracks.filter((track) => track.readyState !== 'ended').length,
    };
  }
}

/** A MediaDevices whose getUserMedia throws `name` until `heal()`, then uses the real (fake) device. */
function failingMediaDevices(name: string) {
  let failing = true;
  const devices = new EventTarget() as MediaDevices & { heal(): void };
  Object.assign(devices, {
    getUserMedia: (constraints?: MediaStreamConstraints) =>
      failing ? Promise.reject(new DOMException(`fake ${name}`, name)) : navigator.mediaDevices.getUserMedia(constraints),
    enumerateDevices: () => navigator.mediaDevices.enumerateDevices(),
    heal: () => (failing = false),
  });
  return devices;
}

/** Resolves when a peer connection made after `from` reaches `connected` (checked each frame, bounded). */
async function nextConnectedPeer(from: number, maxFrames = 600): Promise<RTCPeerConnection> {
  for (let frame = 0; frame < maxFrames; frame += 1) {
    const pc = census.peers.slice(from).find((p) => p.connectionState === 'connected');
    if (pc) return pc;
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
  throw new Error(`no peer connection reached "connected" within ${maxFrames} frames`);
}

/** One census for the whole page: every test's leftovers would show in the later checks. */
const census = new ResourceCensus();
before(() => census.install());
after(() => census.uninstall());

for (const adapter of ADAPTERS) {
  describe(`e2e webrtc (${adapter}): lifecycle`, () => {
    requires('RTCPeerConnection');
    let h: Harness;

    afterEach(async () => {
      await h?.manager.dispose();
      await setFaults({});
    });

    it('gives up after the reconnect attempts while the emulator stays down', async () => {
      h = createHarness(adapter);
      await h.manager.startSession(QUIET);
      const sessionId = h.manager.getState().session.id;
      const session = await currentSession(h.client);
      await setFaults({ down: true });
      const exhausted = waitFor(h.manager, 'realtime:reconnect:exhausted', () => true, 10_000);
      const ended = waitFor(h.manager, 'realtime:session:end', () => true, 10_000);
      await emulator(`/_emulator/sessions/${session.id}/close`, { method: 'POST' });
      const result = await exhausted;
      expect(result.attempts).to.equal(3);
      expect(h.named('realtime:reconnect:attempt').map((a) => a.attempt)).to.deep.equal([1, 2, 3]);
      expect((await ended).reason).to.equal('reconnect_exhausted');
      const state = h.manager.getState();
      expect(state.connection).to.equal('error');
      expect(state.session).to.include({ status: 'stopped', id: sessionId });
      expect(h.named('realtime:reconnect:success')).to.deep.equal([]);
    });

    it('stops during connect (waiting for the session ack): start rejects with AbortError, nothing stays open', async () => {
      h = createHarness(adapter);
      await setFaults({ stallSessionUpdated: true });
      const from = census.peers.length;
      const starting = h.manager.startSession(QUIET);
      starting.catch(() => {});
      await nextConnectedPeer(from);
      await h.manager.stopSession();
      const error = await starting.then(
        () => null,
        (e: unknown) => e,
      );
      expect((error as Error)?.name).to.equal('AbortError');
      expect(h.manager.getState().session.status).to.equal('stopped');
      expect(census.peers.slice(from).every((pc) => pc.connectionState === 'closed')).to.equal(true);
      expect(census.open().tracks).to.equal(0);
    });

    it('stops during a reconnect: no success, no further attempt, everything closed', async () => {
      h = createHarness(adapter, { reconnect: { baseDelayMs: 50, maxDelayMs: 100, maxAttempts: 5, jitter: 0 } });
      await h.manager.startSession(QUIET);
      const session = await currentSession(h.client);
      await setFaults({ down: true });
      const attempt = waitFor(h.manager, 'realtime:reconnect:attempt');
      await emulator(`/_emulator/sessions/${session.id}/close`, { method: 'POST' });
      await attempt;
      await h.manager.stopSession();
      const attempts = h.named('realtime:reconnect:attempt').length;
      const end = h.named('realtime:session:end');
      expect(end.map((e) => e.reason)).to.deep.equal(['stopped']);
      expect(h.manager.getState()).to.deep.include({ connection: 'idle', reconnecting: false });
      // Turning the emulator back on must not revive the stopped session.
      await setFaults({});
      expect(h.named('realtime:reconnect:attempt').length).to.equal(attempts);
      expect(h.named('realtime:reconnect:success')).to.deep.equal([]);
      expect(census.open()).to.deep.equal({ peers: 0, contexts: 0, tracks: 0 });
    });

    for (const [name, code] of [
      ['NotAllowedError', 'microphone_permission_denied'],
      ['NotFoundError', 'microphone_not_found'],
    ] as const) {
      it(`a required microphone's ${name} fails the start with ${code}; a retry with a working microphone connects`, async () => {
        const mediaDevices = failingMediaDevices(name);
        h = createHarness(adapter, {}, { microphone: { mediaDevices, required: true } });
        const error = await h.manager.startSession(QUIET).then(
          () => null,
          (e: unknown) => e as Error & { code?: string; cause?: unknown },
        );
        expect(error?.code).to.equal('start_failed');
        expect(error?.cause).to.be.instanceOf(AudioDeviceError);
        expect((error?.cause as AudioDeviceError).code).to.equal(code);
        expect(h.manager.getState().session.status).to.equal('stopped');
        expect(h.manager.getState().lastError?.code).to.equal('start_failed');

        mediaDevices.heal();
        await h.manager.startSession(QUIET);
        await waitForState(h.manager, (s) => s.connection === 'connected', 'connected after the retry');
        const done = waitFor(h.manager, 'realtime:assistant:done');
        await h.manager.sendMessage('Can you hear me now');
        expect((await done).text).to.contain('Can you hear me now');
      });
    }

    it('mute disables the microphone track (the provider hears silence) and the input level reads 0', async () => {
      h = createHarness(adapter);
      await h.manager.startSession(QUIET);
      const live = () => census.tracks.filter((t) => t.readyState === 'live');
      expect(live()).to.have.length(1);
      h.manager.setMuted(true);
      expect(live()[0]!.enabled).to.equal(false);
      expect(h.manager.levels.input!.active).to.equal(false);
      expect(h.manager.levels.input!.read()).to.equal(0);
      h.manager.setMuted(false);
      expect(live()[0]!.enabled).to.equal(true);
      expect(h.manager.levels.input!.active).to.equal(true);
    });

    it('leaves no peer connection, audio context or microphone track open after 10 start/stop cycles', async () => {
      h = createHarness(adapter);
      for (let cycle = 0; cycle < 10; cycle += 1) {
        await h.manager.startSession(QUIET);
        await h.manager.stopSession();
      }
      expect(census.peers.length).to.be.greaterThan(9);
      expect(census.open()).to.deep.equal({ peers: 0, contexts: 0, tracks: 0 });
      expect(h.named('realtime:reconnect:attempt')).to.deep.equal([]);
    });
  });
}

describe('e2e webrtc: after the lifecycle suite', () => {
  requires('RTCPeerConnection');
  it('20 start/stop cycles in all left nothing open, and no test before left anything either', () => {
    expect(census.peers.length).to.be.greaterThan(20);
    expect(census.open()).to.deep.equal({ peers: 0, contexts: 0, tracks: 0 });
  });

  it('every client and server event validated against OpenAI’s schema', async () => {
    const { violations } = await emulator<{ violations: unknown[] }>('/_emulator/violations');
    expect(violations).to.deep.equal([]);
  });
});
