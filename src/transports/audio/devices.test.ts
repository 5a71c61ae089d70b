// Device choice: the microphone's switches (coalesced, last wins, a failed one keeps the call), the
// AudioDevices list/choice/memory/hot-plug, and the link that applies both to a live microphone and
// output element. On Chromium's fake devices (three microphones, three outputs), with unplugging
// simulated by test/helpers/fake-devices.ts.
import { expect } from '@open-wc/testing';
import { need } from '../../../test/helpers/engine.js';
import { installFakeDevices, type FakeDevicesControl } from '../../../test/helpers/fake-devices.js';
import { AudioDevices } from './audio-devices.js';
import type { AudioDeviceChange } from './device-choice.js';
import { linkAudioDevices, microphoneOptionsFor } from './device-link.js';
import { DeviceMemory } from './device-memory.js';
import { Microphone } from './microphone.js';

/** A Storage of our own, so tests neither read nor leave anything in the page's localStorage. */
function memoryStorage(): Storage {
  const map = new Map<string, string>();
  return {
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    getItem: (key) => map.get(key) ?? null,
    key: (index) => [...map.keys()][index] ?? null,
    removeItem: (key) => void map.delete(key),
    setItem: (key, value) => void map.set(key, String(value)),
  };
}

/** Resolves when `devices` has changed so that `predicate` holds (checked on every change). */
function until(devices: AudioDevices, predicate: () => boolean, what: string): Promise<void> {
  if (predicate()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for ${what}`));
    }, 5000);
    const off = devices.subscribe(() => {
      if (!predicate()) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

async function untilFrames(predicate: () => boolean, maxFrames = 120): Promise<void> {
  for (let i = 0; i < maxFrames && !predicate(); i += 1) await new Promise((resolve) => requestAnimationFrame(resolve));
}

function nextTrack(mic: Microphone): Promise<MediaStreamTrack> {
  return new Promise((resolve) => {
    const off = mic.onTrackChange((track) => {
      off();
      resolve(track);
    });
  });
}

describe('audio devices', () => {
  let fake: FakeDevicesControl;
  let mic: Microphone | undefined;
  let storage: Storage;
  const cleanups: Array<() => void> = [];

  beforeEach(async () => {
    fake = await installFakeDevices();
    storage = memoryStorage();
  });
  afterEach(() => {
    cleanups.splice(0).forEach((cleanup) => cleanup());
    mic?.release();
    mic = undefined;
    fake.restore();
  });

  describe('Microphone switches', () => {
    it('asking for the device in use opens nothing; two requests for one device share one getUserMedia', async () => {
      const [one] = fake.inputs;
      mic = new Microphone({ deviceId: one!.deviceId });
      await mic.open();
      const before = fake.requests.length;
      await mic.setDevice(one!.deviceId);
      expect(fake.requests.length).to.equal(before);
      await Promise.all([mic.setDevice(undefined), mic.setDevice(undefined)]);
      expect(fake.requests.length).to.equal(before + 1);
    });

    it('overlapping switches: the last one asked for wins and the overtaken stream is stopped', async () => {
      const [one, two] = fake.inputs;
      mic = new Microphone();
      await mic.open();
      const tracks: MediaStreamTrack[] = [];
      mic.onTrackChange((track) => tracks.push(track));
      const first = mic.setDevice(one!.deviceId);
      const second = mic.setDevice(two!.deviceId);
      await Promise.all([first, second]);
      expect(mic.requestedDeviceId).to.equal(two!.deviceId);
      expect(mic.track!.getSettings().deviceId).to.equal(two!.deviceId);
      expect(mic.track!.readyState).to.equal('live');
      // The first switch's stream never became the microphone (or was replaced): nothing of it stays live.
      for (const track of tracks.slice(0, -1)) expect(track.readyState).to.equal('ended');
    });

    it('a switch that fails keeps the call on the old track and rejects with a stable code', async () => {
      const [one, two] = fake.inputs;
      mic = new Microphone({ deviceId: one!.deviceId });
      const track = await mic.open();
      fake.unplug(two!.deviceId);
      const error = await mic.setDevice(two!.deviceId).catch((e: unknown) => e);
      expect((error as { code?: string }).code).to.equal('microphone_not_found');
      expect(mic.track).to.equal(track);
      expect(track.readyState).to.equal('live');
    });

    it('a chosen device missing at open falls back to the default and is reported lost', async () => {
      const [one] = fake.inputs;
      fake.unplug(one!.deviceId);
      mic = new Microphone({ deviceId: one!.deviceId });
      const lost: string[] = [];
      mic.onDeviceLost((id) => lost.push(id));
      const track = await mic.open();
      expect(track.readyState).to.equal('live');
      expect(mic.requestedDeviceId).to.equal(undefined);
      expect(lost).to.deep.equal([one!.deviceId]);
    });
  });

  describe('AudioDevices', () => {
    it('lists the microphones and outputs by name, without the browser’s default alias', async function () {
      await need(this, 'setSinkId');
      const devices = new AudioDevices({ storage: () => storage });
      await devices.refresh();
      const { inputs, outputs, labelled, outputSelectable, input, output } = devices.state;
      // The engine's names (Chromium's "Fake Audio Input 1", WebKit's "Mock audio device 1", …), two of each.
      expect(inputs.map((d) => d.label)).to.deep.equal(fake.inputs.map((d) => d.label));
      expect(outputs.map((d) => d.label)).to.deep.equal(fake.outputs.map((d) => d.label));
      expect([inputs.length, outputs.length]).to.deep.equal([2, 2]);
      expect([...inputs, ...outputs].map((d) => d.deviceId)).not.to.include('default');
      expect(labelled).to.equal(true);
      expect(outputSelectable).to.equal(true);
      expect([input, output]).to.deep.equal([undefined, undefined]);
    });

    it('a choice is applied to the attached session, remembered under its key, and restored by the next page', async function () {
      await need(this, 'setSinkId');
      const devices = new AudioDevices({ storage: () => storage, storageKey: 'test:devices' });
      await devices.refresh();
      const changes: AudioDeviceChange[] = [];
      cleanups.push(devices.attach(async (change) => void changes.push(change)));
      const [, two] = fake.inputs;
      const [speaker] = fake.outputs;
      await devices.select('input', two!.deviceId);
      await devices.select('output', speaker!.deviceId);
      expect(changes).to.deep.include({ kind: 'input', deviceId: two!.deviceId });
      expect(changes).to.deep.include({ kind: 'output', deviceId: speaker!.deviceId });
      expect(JSON.parse(storage.getItem('test:devices')!)).to.deep.equal({
        version: 1,
        input: { deviceId: two!.deviceId, label: two!.label },
        output: { deviceId: speaker!.deviceId, label: speaker!.label },
      });
      const later = new AudioDevices({ storage: () => storage, storageKey: 'test:devices' });
      expect([later.input, later.output]).to.deep.equal([two!.deviceId, speaker!.deviceId]);
      // Another key is another page's choice.
      expect(new AudioDevices({ storage: () => storage, storageKey: 'other' }).input).to.equal(undefined);
      // Back to the default forgets the device.
      await devices.select('input', undefined);
      expect(JSON.parse(storage.getItem('test:devices')!).input).to.equal(undefined);
    });

    it('storageKey null remembers nothing and reads nothing', async () => {
      storage.setItem('charivo-elements:devices', JSON.stringify({ version: 1, input: { deviceId: fake.inputs[0]!.deviceId, label: '' } }));
      const devices = new AudioDevices({ storage: () => storage, storageKey: null });
      expect(devices.input).to.equal(undefined);
      await devices.refresh();
      await devices.select('input', fake.inputs[1]!.deviceId);
      expect(JSON.parse(storage.getItem('charivo-elements:devices')!).input.deviceId).to.equal(fake.inputs[0]!.deviceId);
    });

    it('what is stored is untrusted: garbage, wrong shapes and oversized values are ignored', () => {
      for (const junk of ['{', '[]', '{"version":2}', JSON.stringify({ version: 1, input: { deviceId: 5 } }), JSON.stringify({ version: 1, input: { deviceId: 'x'.repeat(600), label: '' } })]) {
        storage.setItem('k', junk);
        expect(new DeviceMemory('k', () => storage).read(), junk).to.deep.equal({});
      }
      const throwing = { getItem: () => { throw new Error('SecurityError'); }, setItem: () => { throw new Error('QuotaExceeded'); } } as unknown as Storage;
      const memory = new DeviceMemory('k', () => throwing);
      expect(memory.read()).to.deep.equal({});
      expect(() => memory.write({ input: { deviceId: 'a', label: 'b' } })).to.not.throw();
    });

    it('a remembered device whose id the browser rotated is found again by its name', async () => {
      const [one] = fake.inputs;
      storage.setItem('charivo-elements:devices', JSON.stringify({ version: 1, input: { deviceId: 'stale-id', label: one!.label } }));
      const devices = new AudioDevices({ storage: () => storage });
      const changes: AudioDeviceChange[] = [];
      cleanups.push(devices.attach(async (change) => void changes.push(change)));
      await until(devices, () => devices.input === one!.deviceId, 'the renamed device');
      expect(changes).to.deep.include({ kind: 'input', deviceId: one!.deviceId });
      expect(JSON.parse(storage.getItem('charivo-elements:devices')!).input.deviceId).to.equal(one!.deviceId);
    });

    it('hot-plug: the chosen device unplugged falls back to the default with a notice; plugged back, it is taken again', async () => {
      const devices = new AudioDevices({ storage: () => storage });
      await devices.refresh();
      const changes: AudioDeviceChange[] = [];
      cleanups.push(devices.attach(async (change) => void changes.push(change)));
      const [one] = fake.inputs;
      await devices.select('input', one!.deviceId);
      changes.length = 0;
      fake.unplug(one!.deviceId);
      await until(devices, () => devices.input === undefined, 'the fallback');
      expect(devices.state.notice).to.equal(`“${one!.label}” was disconnected; using the system default microphone.`);
      expect(devices.state.inputs.map((d) => d.deviceId)).to.not.include(one!.deviceId);
      expect(changes).to.deep.equal([{ kind: 'input', deviceId: undefined }]);
      fake.plug(one!.deviceId);
      await until(devices, () => devices.input === one!.deviceId, 'the device back');
      expect(devices.state.notice).to.equal(`Using “${one!.label}” again.`);
      expect(changes.at(-1)).to.deep.equal({ kind: 'input', deviceId: one!.deviceId });
    });

    it('a choice that is not connected, or that the session cannot apply, is refused and the previous one stays', async () => {
      const devices = new AudioDevices({ storage: () => storage });
      await devices.refresh();
      const refused = await devices.select('input', 'no-such-device').catch((e: unknown) => e);
      expect((refused as { code?: string }).code).to.equal('microphone_not_found');
      cleanups.push(
        devices.attach(async () => {
          throw Object.assign(new Error('busy'), { code: 'microphone_busy' });
        }),
      );
      const failed = await devices.select('input', fake.inputs[0]!.deviceId).catch((e: unknown) => e);
      expect((failed as { code?: string }).code).to.equal('microphone_busy');
      expect(devices.input).to.equal(undefined);
      expect(storage.getItem('charivo-elements:devices')).to.equal(null);
    });

    it('follows devicechange only while someone listens or a session is attached', async () => {
      const target = new EventTarget();
      const listening = new Set<unknown>();
      const stub = Object.assign(target, {
        enumerateDevices: async () => [] as MediaDeviceInfo[],
        addEventListener: (type: string, listener: unknown) => type === 'devicechange' && listening.add(listener),
        removeEventListener: (type: string, listener: unknown) => type === 'devicechange' && listening.delete(listener),
      }) as unknown as MediaDevices;
      const devices = new AudioDevices({ storageKey: null, mediaDevices: stub });
      expect(listening.size).to.equal(0);
      const off = devices.subscribe(() => {});
      const detach = devices.attach(async () => {});
      expect(listening.size).to.equal(1);
      off();
      expect(listening.size, 'a session is still attached').to.equal(1);
      detach();
      expect(listening.size).to.equal(0);
    });

    it('where the browser cannot choose outputs, the speaker choice is refused with speaker_unsupported', async () => {
      const proto = HTMLMediaElement.prototype as { setSinkId?: unknown };
      // Removed where the engine has it (WebKit has none: there it is the engine as it is).
      const setSinkId = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'setSinkId');
      if (setSinkId) delete proto.setSinkId;
      try {
        const devices = new AudioDevices({ storage: () => storage });
        expect(devices.state.outputSelectable).to.equal(false);
        const error = await devices.select('output', fake.outputs[0]?.deviceId ?? 'some-speaker').catch((e: unknown) => e);
        expect((error as { code?: string }).code).to.equal('speaker_unsupported');
      } finally {
        if (setSinkId) Object.defineProperty(HTMLMediaElement.prototype, 'setSinkId', setSinkId);
      }
    });
  });

  describe('linkAudioDevices', () => {
    it('opens the chosen microphone, switches it live, and plays on the chosen speaker', async function () {
      await need(this, 'setSinkId');
      const [one, two] = fake.inputs;
      const [, speaker] = fake.outputs;
      const devices = new AudioDevices({ storage: () => storage });
      await devices.refresh();
      await devices.select('input', one!.deviceId);
      await devices.select('output', speaker!.deviceId);
      mic = new Microphone(microphoneOptionsFor(undefined, devices));
      const element = document.createElement('audio');
      cleanups.push(linkAudioDevices(devices, { microphone: mic, output: element }));
      const track = await mic.open();
      expect(track.getSettings().deviceId).to.equal(one!.deviceId);
      // setSinkId settles on its own: no event says so, so wait a bounded number of frames.
      await untilFrames(() => element.sinkId === speaker!.deviceId);
      expect(element.sinkId).to.equal(speaker!.deviceId);
      const switched = nextTrack(mic);
      await devices.select('input', two!.deviceId);
      expect((await switched).getSettings().deviceId).to.equal(two!.deviceId);
      expect(track.readyState).to.equal('ended');
      await devices.select('output', undefined);
      expect(element.sinkId).to.equal('');
    });

    it('a remembered microphone that is gone when the session opens: the default opens and the choice says so', async () => {
      const [one] = fake.inputs;
      storage.setItem('charivo-elements:devices', JSON.stringify({ version: 1, input: { deviceId: one!.deviceId, label: one!.label } }));
      fake.unplug(one!.deviceId);
      const devices = new AudioDevices({ storage: () => storage });
      mic = new Microphone(microphoneOptionsFor(undefined, devices));
      cleanups.push(linkAudioDevices(devices, { microphone: mic, output: null }));
      const track = await mic.open();
      expect(track.readyState).to.equal('live');
      expect(devices.input).to.equal(undefined);
      expect(devices.state.notice).to.equal(`“${one!.label}” is not available; using the system default microphone.`);
    });

    it('a page’s own stream cannot be switched: the choice is refused and the stream stays', async () => {
      const own = await navigator.mediaDevices.getUserMedia({ audio: true });
      const devices = new AudioDevices({ storage: () => storage });
      await devices.refresh();
      mic = new Microphone(microphoneOptionsFor({ stream: own }, devices));
      cleanups.push(linkAudioDevices(devices, { microphone: mic }));
      await mic.open();
      const error = await devices.select('input', fake.inputs[0]!.deviceId).catch((e: unknown) => e);
      expect((error as { code?: string }).code).to.equal('microphone_unsupported');
      expect(mic.stream).to.equal(own);
      own.getTracks().forEach((t) => t.stop());
    });
  });
});
