// The path the assistant's audio takes, on every adapter: it plays through a media element (so the
// chosen speaker applies, and the browser treats it as media playback, not Web Audio output), and on
// WebSocket it leaves Web Audio through a MediaStreamAudioDestinationNode, never straight to the
// AudioContext's destination, while the lip-sync level and the truncation stay right.
import { expect } from '@open-wc/testing';
import { AudioDevices } from '../../../src/transports/audio/audio-devices.js';
import { installFakeDevices, type FakeDevicesControl } from '../../helpers/fake-devices.js';
import { ADAPTERS, deviceHarness, newSession, next, sessionIds, sessionLog, untilFrames, type DeviceHarness } from './helpers.js';
import { need, needsOf, requires } from '../../helpers/engine.js';
import { within } from '../../helpers/within.js';

/** Every AudioNode.connect() the page makes, as [source, destination]. */
const connections: Array<[AudioNode, AudioNode | AudioParam]> = [];
const nativeConnect = AudioNode.prototype.connect;
AudioNode.prototype.connect = function connect(this: AudioNode, destination: AudioNode | AudioParam, ...rest: number[]) {
  connections.push([this, destination]);
  return (nativeConnect as (...args: unknown[]) => unknown).call(this, destination, ...rest);
} as typeof AudioNode.prototype.connect;

const outgoing = (node: AudioNode) => connections.filter(([source]) => source === node).map(([, destination]) => destination);

for (const adapter of ADAPTERS) {
  describe(`e2e audio path (${adapter})`, () => {
    requires(...needsOf(adapter));
    let fake: FakeDevicesControl;
    let devices: AudioDevices;
    let h: DeviceHarness;

    beforeEach(async () => {
      fake = await installFakeDevices();
      devices = new AudioDevices({ storageKey: null });
      h = deviceHarness(adapter, devices);
      await h.client.prepareAudio();
      // Typed turns: the fake microphone's speech would barge in on the replies.
      h.manager.setMuted(true);
      connections.length = 0;
    });

    afterEach(async () => {
      await h.dispose();
      fake.restore();
    });

    it('the assistant plays through the media element, on the speaker chosen before and during the call', async function () {
      await need(this, 'setSinkId');
      this.timeout(60_000);
      const [first, second] = fake.outputs;
      await devices.refresh();
      await devices.select('output', first!.deviceId);
      await h.manager.startSession();
      const stream = h.element.srcObject as MediaStream;
      expect(stream, 'the element plays a MediaStream').to.be.instanceOf(MediaStream);
      expect(stream.getAudioTracks()).to.have.length(1);
      await untilFrames(() => h.element.sinkId === first!.deviceId, 'the chosen speaker applied at connect');
      await devices.select('output', second!.deviceId);
      expect(h.element.sinkId).to.equal(second!.deviceId);
      // GPT-Live with client delegation takes no typed turns: the path, not a reply, is what it checks.
      if (adapter === 'openai-live-webrtc') return;
      const level = { peak: 0 };
      const off = h.manager.on('tts:lipsync:update', () => (level.peak = Math.max(level.peak, h.manager.levels.output?.read() ?? 0)));
      // Caught from the send, bounded from the reply's audio start (within()): it plays in real time.
      const started = next(h.manager, 'tts:audio:start', () => true, 40_000);
      const ended = next(h.manager, 'tts:audio:end', () => true, 50_000);
      await h.manager.sendMessage('hello there');
      await within(started, 15_000, 'the reply’s audio start after the message');
      await within(ended, 15_000, 'the reply’s audio end after its start');
      off();
      expect(level.peak, 'the voice level moved while the element played').to.be.greaterThan(0.05);
      expect(h.element.paused).to.equal(false);
      await devices.select('output', undefined);
      expect(h.element.sinkId).to.equal('');
      await h.manager.stopSession();
      expect(h.element.srcObject).to.equal(null);
    });

    if (adapter === 'openai-websocket') {
      it('WebSocket: playback → level analyser → MediaStreamAudioDestinationNode → the element; nothing reaches AudioContext.destination', async () => {
        await h.manager.startSession();
        const playback = connections.map(([source]) => source).find((node) => node instanceof AudioWorkletNode && node.numberOfInputs === 0);
        expect(playback, 'the playback worklet').to.be.instanceOf(AudioWorkletNode);
        const [analyser] = outgoing(playback!);
        expect(analyser).to.be.instanceOf(AnalyserNode);
        const [destination] = outgoing(analyser as AudioNode);
        expect(destination).to.be.instanceOf(MediaStreamAudioDestinationNode);
        expect(h.element.srcObject).to.equal((destination as MediaStreamAudioDestinationNode).stream);
        expect(connections.filter(([, to]) => to instanceof AudioDestinationNode), 'connections to the speakers’ Web Audio destination').to.deep.equal([]);
      });

      it('WebSocket: an interrupt truncates to what left the playback, never more than could have played', async () => {
        const before = await sessionIds();
        await h.manager.startSession();
        const id = await newSession(before);
        const started = next(h.manager, 'tts:audio:start');
        // Nothing can have played before the request: the bound counts from it. (Counted from the
        // tts:audio:start event instead, a loaded engine's worklet had already played a few ms more.)
        const startedAt = performance.now();
        await h.manager.sendMessage('please tell me a long story about a lighthouse keeper and the sea at night');
        await started;
        for (let i = 0; i < 20; i += 1) await next(h.manager, 'tts:lipsync:update');
        await h.manager.interrupt();
        const elapsed = performance.now() - startedAt;
        let truncate: any;
        for (let i = 0; i < 300 && !truncate; i += 1) {
          truncate = (await sessionLog(id)).events.find((e) => e.direction === 'client' && e.type === 'conversation.item.truncate')?.event;
          if (!truncate) await new Promise((resolve) => requestAnimationFrame(resolve));
        }
        expect(truncate, 'conversation.item.truncate').to.not.equal(undefined);
        // Counted in samples that left the worklet: some audio (how much depends on the engine's load),
        // and no more than real time allowed.
        expect(truncate.audio_end_ms).to.be.greaterThan(0);
        expect(truncate.audio_end_ms).to.be.at.most(Math.ceil(elapsed));
      });
    } else {
      it('WebRTC: the element plays the peer’s remote stream (the track the provider sends)', async () => {
        const peers: RTCPeerConnection[] = [];
        const Native = window.RTCPeerConnection;
        window.RTCPeerConnection = class extends Native {
          constructor(configuration?: RTCConfiguration) {
            super(configuration);
            peers.push(this);
          }
        };
        try {
          await h.manager.startSession();
        } finally {
          window.RTCPeerConnection = Native;
        }
        const received = peers.at(-1)!.getReceivers().map((r) => r.track);
        const [track] = (h.element.srcObject as MediaStream).getAudioTracks();
        expect(received).to.include(track);
      });
    }
  });
}
