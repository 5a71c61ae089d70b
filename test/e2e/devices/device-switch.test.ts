// Switching the microphone mid-call, over the wire to the emulator, on every adapter: the call stays
// up (same provider session, no reconnect) and the emulator hears the new device. Chromium's fake
// microphones all play the same speech, so the call starts on one made silent: the emulator hears
// nothing said until the switch, then the speech of the new device. And a device unplugged mid-call
// falls back to the default visibly while the audio keeps flowing.
import { expect } from '@open-wc/testing';
import { AudioDevices } from '../../../src/transports/audio/audio-devices.js';
import { installFakeDevices, type FakeDevicesControl } from '../../helpers/fake-devices.js';
import { speakingMicrophone, type SpeakingMicrophone } from '../../helpers/speaking-microphone.js';
import { ADAPTERS, deviceHarness, hearsMore, newSession, next, sessionIds, sessionLog, summary, untilFrames, type DeviceHarness } from './helpers.js';
import { needsOf, requires } from '../../helpers/engine.js';
import { within } from '../../helpers/within.js';

const peers: RTCPeerConnection[] = [];
const NativePeerConnection = window.RTCPeerConnection;
// Not where the engine has no WebRTC (WebKitGTK here): its WebRTC suites say so, the WebSocket one runs.
if (typeof NativePeerConnection === 'function') {
  window.RTCPeerConnection = class TrackedPeerConnection extends NativePeerConnection {
    constructor(configuration?: RTCConfiguration) {
      super(configuration);
      peers.push(this);
    }
  };
}

const SPOKEN = { inputTranscription: { model: 'whisper-1' }, turnDetection: { type: 'server_vad' as const, silenceDurationMs: 200 } };

for (const adapter of ADAPTERS) {
  describe(`e2e devices (${adapter}): microphone switch mid-call`, () => {
    requires(...needsOf(adapter));
    let fake: FakeDevicesControl;
    let devices: AudioDevices;
    let h: DeviceHarness;

    beforeEach(async () => {
      fake = await installFakeDevices();
      devices = new AudioDevices({ storageKey: null });
      h = deviceHarness(adapter, devices);
      await h.client.prepareAudio();
    });

    let mic: SpeakingMicrophone | undefined;
    afterEach(async () => {
      await h.dispose();
      fake.restore();
      await mic?.close();
      mic = undefined;
    });

    it('the new device’s audio reaches the provider; the call never drops', async function () {
      this.timeout(45_000);
      const [silent, speaking] = fake.inputs;
      fake.silence(silent!.deviceId);
      // The second device speaks one utterance when the test says so, the same in every engine.
      mic = await speakingMicrophone();
      fake.speakThrough(speaking!.deviceId, mic.stream);
      await devices.refresh();
      await devices.select('input', silent!.deviceId);
      const before = await sessionIds();
      await h.manager.startSession(SPOKEN);
      const id = await newSession(before);
      const firstTrack = fake.opened.at(-1)!;
      // The silent device streams: the emulator receives audio, and hears no speech in it.
      await hearsMore(id, 1500);
      expect(h.events.filter((e) => e.event === 'realtime:user:transcript')).to.have.length(0);
      expect((await sessionLog(id)).events.filter((e) => e.type === 'input_audio_buffer.speech_started')).to.have.length(0);

      // Caught before the switch, bounded from the end of the utterance (within()): it plays in real time.
      const heard = next(h.manager, 'realtime:user:transcript', (t: any) => t.final, 40_000);
      await devices.select('input', speaking!.deviceId);
      const secondTrack = fake.opened.at(-1)!;
      expect(secondTrack).to.not.equal(firstTrack);
      expect(secondTrack.getSettings().deviceId).to.equal(speaking!.deviceId);
      expect(firstTrack.readyState).to.equal('ended');
      if (adapter !== 'openai-websocket') {
        // WebRTC: the same sender now carries the new track (replaceTrack, no renegotiation).
        const sender = peers.at(-1)!.getSenders().find((s) => s.track?.kind === 'audio');
        expect(sender?.track).to.equal(secondTrack);
      }
      await mic.say();
      expect((await within(heard, 15_000, 'the final transcript after the utterance')).text).to.match(/heard \d+\.\d s of speech/);

      // One provider session throughout: no loss, no reconnect.
      expect((await summary(id)).state).to.equal('open');
      const names = h.events.map((e) => e.event);
      expect(names).to.not.include('realtime:reconnect:attempt');
      expect(h.manager.getState().connection).to.equal('connected');
      expect(devices.input).to.equal(speaking!.deviceId);
    });

    it('the chosen microphone unplugged mid-call: the default takes over visibly and the audio keeps flowing', async () => {
      const [chosen] = fake.inputs;
      await devices.refresh();
      await devices.select('input', chosen!.deviceId);
      const before = await sessionIds();
      h.manager.setMuted(true);
      await h.manager.startSession();
      const id = await newSession(before);
      const notices: string[] = [];
      const off = devices.subscribe(() => notices.push(devices.state.notice));
      fake.unplug(chosen!.deviceId);
      await untilFrames(
        () => devices.input === undefined && fake.opened.at(-1)!.getSettings().deviceId === fake.defaultDeviceId,
        'the fallback to the default microphone',
      ).catch((error: Error) => {
        const last = fake.opened.at(-1)?.getSettings().deviceId;
        throw new Error(`${error.message} (input ${devices.input}, last opened ${last}, default ${fake.defaultDeviceId}, requests ${fake.requests.join(',')})`);
      });
      off();
      expect(notices).to.include(`“${chosen!.label}” was disconnected; using the system default microphone.`);
      // The microphone's track was replaced by the default device's, and it still reaches the provider.
      await hearsMore(id, 500);
      if (adapter !== 'openai-websocket') {
        const sender = peers.at(-1)!.getSenders().find((s) => s.track?.kind === 'audio');
        expect(sender?.track?.getSettings().deviceId).to.equal(fake.defaultDeviceId);
      }
      expect(h.manager.getState().connection).to.equal('connected');
      expect(h.events.map((e) => e.event)).to.not.include('realtime:reconnect:attempt');
    });
  });
}
