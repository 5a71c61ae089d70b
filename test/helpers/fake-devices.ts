// Devices for tests, on top of the engine's fake ones (Chromium's --use-fake-device-for-media-stream
// gives three microphones and three outputs: "Fake Default Audio Input", "Fake Audio Input 1" and "… 2";
// WebKit's mock capture devices three microphones and no outputs; Firefox's fake streams one microphone
// and two outputs). Every engine shows tests the same two microphones beside the `default` alias: where
// it has fewer, the helper adds test microphones ("Test Microphone 2") that enumerateDevices() lists and
// getUserMedia() opens (a new track of the engine's own device reporting the test microphone's id);
// where it has more, the others are hidden as if unplugged. Outputs are the engine's own (none in WebKit,
// which cannot choose one: tests that need them say so with need(this, 'setSinkId')).
// Every fake microphone plays the same sound, so a test that must tell them apart
// makes one of them silent; and since nothing is ever plugged in or out here, `unplug()` hides a
// device from enumerateDevices() (getUserMedia for it then fails as for a missing device) and fires
// `devicechange`, as the browser does. Installed on `navigator.mediaDevices` itself, so the kit's own
// code paths (the Microphone, AudioDevices) see it exactly as a real page would.

export interface FakeDevicesControl {
  /** The engine's fake microphones and outputs (without the `default` aliases), as listed at install. */
  inputs: MediaDeviceInfo[];
  /** The deviceId a track of the default device reports (`default` in Chromium, the device's id elsewhere). */
  defaultDeviceId: string;
  outputs: MediaDeviceInfo[];
  /** Every getUserMedia call, with the device it asked for (`undefined`: the default). */
  requests: Array<string | undefined>;
  /** The audio track each successful getUserMedia call returned, in order. */
  opened: MediaStreamTrack[];
  /** Hides a device and fires `devicechange`. */
  unplug(deviceId: string): void;
  /** Shows it again and fires `devicechange`. */
  plug(deviceId: string): void;
  /** From now on, opening `deviceId` gives a silent track (a MediaStream the helper makes). */
  silence(deviceId: string): void;
  /**
   * From now on, opening `deviceId` gives a copy of `stream`'s track (a speaking microphone's, from
   * test/helpers/speaking-microphone.ts): speech the test controls, the same in every engine.
   */
  speakThrough(deviceId: string, stream: MediaStream): void;
  /** Puts navigator.mediaDevices back and stops what the helper made. */
  restore(): void;
}

function requestedDevice(constraints: MediaStreamConstraints | undefined): string | undefined {
  const audio = constraints?.audio;
  if (typeof audio !== 'object' || audio === null) return undefined;
  const id = audio.deviceId;
  if (typeof id === 'string') return id;
  if (id && typeof id === 'object' && !Array.isArray(id)) {
    const exact = (id as ConstrainDOMStringParameters).exact ?? (id as ConstrainDOMStringParameters).ideal;
    return typeof exact === 'string' ? exact : undefined;
  }
  return undefined;
}

export async function installFakeDevices(): Promise<FakeDevicesControl> {
  const devices = navigator.mediaDevices;
  const originalEnumerate = devices.enumerateDevices;
  const originalGetUserMedia = devices.getUserMedia;
  const enumerate = originalEnumerate.bind(devices);
  const getUserMedia = originalGetUserMedia.bind(devices);
  // Names are listed only once the page may use the microphone.
  const warmup = await getUserMedia({ audio: true });
  // What a track of the default device reports: Chromium's alias `default`, elsewhere the device's own id
  // (read while it is live: Firefox reports no settings for a stopped track).
  const defaultDeviceId = warmup.getAudioTracks()[0]?.getSettings().deviceId || 'default';
  warmup.getTracks().forEach((track) => track.stop());
  const all = await enumerate();
  const added = addedMicrophones(all);
  // The default device (where it is listed under its own id) comes last: tests unplug the first
  // microphone and expect the default to take over, which must then be another device.
  const isDefault = (d: MediaDeviceInfo) => d.deviceId === defaultDeviceId;
  const candidates = [...all, ...added.map(({ info }) => info)].filter((d) => d.kind === 'audioinput' && d.deviceId !== 'default');
  const microphones = [...candidates.filter((d) => !isDefault(d)), ...candidates.filter(isDefault)].slice(0, MICROPHONES);
  const surplus = new Set(candidates.filter((d) => !microphones.includes(d)).map((d) => d.deviceId));
  // The engine's list with the microphones in the order above, the surplus left out.
  const list = async () => {
    const current = (await enumerate()).filter((d) => !surplus.has(d.deviceId));
    const order = (d: MediaDeviceInfo) => (d.kind === 'audioinput' ? microphones.findIndex((m) => m.deviceId === d.deviceId) : -1);
    return [...current.filter((d) => order(d) < 0), ...microphones.filter((m) => m.kind === 'audioinput' && (added.some(({ info }) => info === m) || current.some((d) => d.deviceId === m.deviceId)))];
  };
  const hidden = new Set<string>(surplus);
  const silent = new Set<string>();
  const voices = new Map<string, MediaStream>();
  let context: AudioContext | null = null;
  const made: MediaStreamTrack[] = [];
  const control: FakeDevicesControl = {
    inputs: microphones,
    defaultDeviceId,
    outputs: all.filter((d) => d.kind === 'audiooutput' && d.deviceId !== 'default'),
    requests: [],
    opened: [],
    unplug(deviceId) {
      hidden.add(deviceId);
      devices.dispatchEvent(new Event('devicechange'));
    },
    plug(deviceId) {
      hidden.delete(deviceId);
      devices.dispatchEvent(new Event('devicechange'));
    },
    silence(deviceId) {
      silent.add(deviceId);
    },
    speakThrough(deviceId, stream) {
      voices.set(deviceId, stream);
    },
    restore() {
      devices.enumerateDevices = originalEnumerate;
      devices.getUserMedia = originalGetUserMedia;
      made.forEach((track) => track.stop());
      void context?.close();
    },
  };
  devices.enumerateDevices = async () => (await list()).filter((d) => !hidden.has(d.deviceId));
  devices.getUserMedia = async (constraints) => {
    const deviceId = requestedDevice(constraints);
    control.requests.push(deviceId);
    if (deviceId && hidden.has(deviceId)) throw new DOMException('The device is not connected.', 'OverconstrainedError');
    if (deviceId && silent.has(deviceId)) {
      context ??= new AudioContext();
      if (context.state === 'suspended') await context.resume();
      const destination = context.createMediaStreamDestination();
      const source = new ConstantSourceNode(context, { offset: 0 });
      source.connect(destination);
      source.start();
      const track = destination.stream.getAudioTracks()[0]!;
      made.push(track);
      control.opened.push(track);
      return new MediaStream([track]);
    }
    const voice = deviceId ? voices.get(deviceId) : undefined;
    if (deviceId && voice) {
      // A clone, so the kit stopping it leaves the speaking microphone's own track running.
      const track = voice.getAudioTracks()[0]!.clone();
      const settings = track.getSettings.bind(track);
      Object.defineProperty(track, 'getSettings', { value: () => ({ ...settings(), deviceId }) });
      made.push(track);
      control.opened.push(track);
      return new MediaStream([track]);
    }
    const extra = added.find(({ info }) => info.deviceId === deviceId);
    const stream = extra ? await extra.open(getUserMedia, constraints) : await getUserMedia(constraints);
    control.opened.push(...stream.getAudioTracks());
    return stream;
  };
  return control;
}

/** The microphones every engine shows tests, beside the `default` alias (Chromium's count). */
const MICROPHONES = 2;

/** Microphones added so that the engine has two: listed like real ones, opened as its own device. */
function addedMicrophones(all: MediaDeviceInfo[]) {
  const real = all.filter((d) => d.kind === 'audioinput' && d.deviceId !== 'default');
  const groupId = real[0]?.groupId ?? '';
  return Array.from({ length: Math.max(0, MICROPHONES - real.length) }, (_, i) => {
    const deviceId = `charivo-test-microphone-${real.length + i + 1}`;
    const label = `Test Microphone ${real.length + i + 1}`;
    const info = { deviceId, kind: 'audioinput', label, groupId, toJSON: () => ({ deviceId, kind: 'audioinput', label, groupId }) } as MediaDeviceInfo;
    return {
      info,
      /** The engine's default device under this id: its track says it is this microphone. */
      async open(getUserMedia: (c: MediaStreamConstraints) => Promise<MediaStream>, constraints: MediaStreamConstraints | undefined) {
        const audio = typeof constraints?.audio === 'object' ? { ...constraints.audio } : {};
        delete audio.deviceId;
        const stream = await getUserMedia({ audio });
        for (const track of stream.getAudioTracks()) {
          const settings = track.getSettings.bind(track);
          Object.defineProperty(track, 'getSettings', { value: () => ({ ...settings(), deviceId, groupId }) });
          Object.defineProperty(track, 'label', { value: label });
        }
        return stream;
      },
    };
  });
}
