// Devices for tests, on top of Chromium's fake ones (--use-fake-device-for-media-stream gives three
// microphones and three outputs: "Fake Default Audio Input", "Fake Audio Input 1" and "… 2", and the
// same for outputs). Every fake microphone plays the same file, so a test that must tell them apart
// makes one of them silent; and since nothing is ever plugged in or out here, `unplug()` hides a
// device from enumerateDevices() (getUserMedia for it then fails as for a missing device) and fires
// `devicechange`, as the browser does. Installed on `navigator.mediaDevices` itself, so the kit's own
// code paths (the Microphone, AudioDevices) see it exactly as a real page would.

export interface FakeDevicesControl {
  /** Chromium's fake microphones and outputs (without the `default` aliases), as listed at install. */
  inputs: MediaDeviceInfo[];
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
  warmup.getTracks().forEach((track) => track.stop());
  const all = await enumerate();
  const hidden = new Set<string>();
  const silent = new Set<string>();
  let context: AudioContext | null = null;
  const made: MediaStreamTrack[] = [];
  const control: FakeDevicesControl = {
    inputs: all.filter((d) => d.kind === 'audioinput' && d.deviceId !== 'default'),
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
    restore() {
      devices.enumerateDevices = originalEnumerate;
      devices.getUserMedia = originalGetUserMedia;
      made.forEach((track) => track.stop());
      void context?.close();
    },
  };
  devices.enumerateDevices = async () => (await enumerate()).filter((d) => !hidden.has(d.deviceId));
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
    const stream = await getUserMedia(constraints);
    control.opened.push(...stream.getAudioTracks());
    return stream;
  };
  return control;
}
