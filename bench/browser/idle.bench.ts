// Idle cost: what <charivo-avatar> and <charivo-mic-meter> do per second in an active session while nothing
// plays, against the same span while the assistant speaks and the user talks. Session: <charivo-realtime>
// with `.transport` = a FakeRealtimeTransport whose level sources the bench sets (0 = silent and inactive,
// as a transport reports them between replies; speaking = levels moving every frame). Counted: Lit
// `updated()` calls of each element (prototype wrapped), the avatar renderer's setMouthOpen calls (its
// mouth is written outside Lit), and requestAnimationFrame calls from the page's code (window.rAF wrapped;
// the bench's own frames use the original). A third column does the silent span in a real session
// (adapter openai-agents-webrtc → route → emulator, no reply requested): there the microphone is open, so
// its level source stays active and the meter samples it (getUserMedia answers digital silence there:
// Chromium's fake microphone beeps twice a second).
// @ts-expect-error virtual module served by test/wtr-emulator-plugin.mjs
import { routePath } from '/__charivo/emulator.js';
import '../../src/elements/avatar/define.js';
import '../../src/elements/mic-meter/define.js';
import '../../src/elements/realtime/define.js';
import { CharivoAvatar } from '../../src/elements/avatar/avatar.js';
import { CharivoMicMeter } from '../../src/elements/mic-meter/mic-meter.js';
import type { CharivoRealtime } from '../../src/elements/realtime/realtime.js';
import { FakeRealtimeTransport } from '../../src/testing/index.js';
import { everyFrame, nextFrame, ratio, report, sleep } from './support.js';

const SPAN_MS = 5000;

const counts = { rafs: 0, avatarUpdates: 0, meterUpdates: 0, mouth: 0, frames: 0 };
type Counts = typeof counts;

const originalRaf = window.requestAnimationFrame;
window.requestAnimationFrame = function (callback: FrameRequestCallback): number {
  counts.rafs += 1;
  return originalRaf.call(window, callback);
};
function countUpdates(proto: object, key: 'avatarUpdates' | 'meterUpdates'): void {
  const target = proto as { updated: (...args: unknown[]) => void };
  const original = target.updated;
  target.updated = function (this: unknown, ...args: unknown[]) {
    counts[key] += 1;
    return original.apply(this, args);
  };
}
countUpdates(CharivoAvatar.prototype, 'avatarUpdates');
countUpdates(CharivoMicMeter.prototype, 'meterUpdates');

/** <charivo-realtime> holding an avatar (mouth calls counted) and a mic meter. */
async function mount(configure: (host: CharivoRealtime) => void): Promise<CharivoRealtime> {
  const host = document.createElement('charivo-realtime') as CharivoRealtime;
  configure(host);
  const avatar = document.createElement('charivo-avatar') as CharivoAvatar;
  const renderer = avatar.renderer;
  const setMouthOpen = renderer.setMouthOpen.bind(renderer);
  renderer.setMouthOpen = (value: number) => {
    counts.mouth += 1;
    setMouthOpen(value);
  };
  const meter = document.createElement('charivo-mic-meter') as CharivoMicMeter;
  host.append(avatar, meter);
  document.body.append(host);
  await host.start();
  await Promise.all([host.updateComplete, avatar.updateComplete, meter.updateComplete]);
  return host;
}

/** Counts per second over SPAN_MS, after a settling second. */
async function span(during?: (time: number) => void): Promise<Counts> {
  // The bench's own frames (original rAF, not counted as the kit's) tell the frame rate reached.
  const stop = everyFrame((time) => {
    counts.frames += 1;
    during?.(time);
  });
  await sleep(1000);
  await nextFrame();
  const start = { ...counts };
  const t0 = performance.now();
  await sleep(SPAN_MS);
  const seconds = (performance.now() - t0) / 1000;
  const end = { ...counts };
  stop();
  await nextFrame();
  const perSecond = {} as Counts;
  for (const key of Object.keys(counts) as Array<keyof Counts>) perSecond[key] = (end[key] - start[key]) / seconds;
  return perSecond;
}

describe('bench: idle cost', () => {
  it(`renders and frames per second of <charivo-avatar> and <charivo-mic-meter>: silence vs speaking (${SPAN_MS / 1000} s each)`, async () => {
    const fake = new FakeRealtimeTransport();
    const host = await mount((h) => (h.transport = fake));
    fake.levels.output.set(0);
    fake.levels.input.set(0);
    const silence = await span();
    const speaking = await span((time) => {
      // Speech-like: syllables at ~4 Hz on the voice, a slower swell on the microphone.
      fake.levels.output.set(0.15 + 0.6 * Math.abs(Math.sin((2 * Math.PI * 2 * time) / 1000)));
      fake.levels.input.set(0.1 + 0.5 * Math.abs(Math.sin((2 * Math.PI * 0.7 * time) / 1000)));
    });
    fake.levels.output.set(0);
    fake.levels.input.set(0);
    await host.stop();
    host.remove();

    // Chromium's fake microphone beeps twice a second; a silent room is digital silence from Web Audio.
    const silentRoom = new AudioContext();
    const room = silentRoom.createMediaStreamDestination();
    const devices = navigator.mediaDevices;
    const getUserMedia = devices.getUserMedia;
    devices.getUserMedia = async () => new MediaStream(room.stream.getAudioTracks().map((track) => track.clone()));
    const real = await mount((h) => {
      h.endpoint = routePath;
      h.adapter = 'openai-agents-webrtc';
      h.sessionConfig = { turnDetection: null, outputModalities: ['text'] };
    });
    const realSilence = await span();
    const micActive = real.session.levels.input.active;
    await real.stop();
    real.remove();
    devices.getUserMedia = getUserMedia;
    await silentRoom.close();

    const f = (value: number) => value.toFixed(1);
    const renders = (c: Counts) => c.avatarUpdates + c.mouth + c.meterUpdates;
    const row = (label: string, key: keyof Counts) => [label, f(silence[key]), f(speaking[key]), speaking[key] > 0 ? ratio(silence[key], speaking[key]) : 'n/a', f(realSilence[key])];
    await report(
      'idle',
      {
        title: `Idle cost (per second, ${SPAN_MS / 1000} s spans, 60 Hz frames)`,
        headers: ['figure (per second)', 'silence', 'speaking', 'ratio', 'real session, silent mic'],
        rows: [
          row('requestAnimationFrame calls (kit)', 'rafs'),
          row('<charivo-avatar> updated()', 'avatarUpdates'),
          row('<charivo-avatar> renderer.setMouthOpen', 'mouth'),
          row('<charivo-mic-meter> updated()', 'meterUpdates'),
          row('frames reached (for scale)', 'frames'),
        ],
        notes: [
          'silence / speaking: fake transport, levels set to 0 (inactive) / moving every frame; ratio = silence ÷ speaking.',
          `real session: <charivo-realtime adapter="openai-agents-webrtc"> on the emulator, no reply, a silent microphone; its level source active: ${micActive} ` +
            '(the meter samples an open, unmuted mic every frame; it re-renders only when the level moves a 1/20 step)',
        ],
      },
      {
        spanMs: SPAN_MS,
        headline: [
          ['kit rAF calls/s, silence vs speaking', f(silence.rafs), f(speaking.rafs), speaking.rafs > 0 ? ratio(silence.rafs, speaking.rafs) : 'n/a'],
          ['renders/s (avatar + mouth + meter)', f(renders(silence)), f(renders(speaking)), renders(speaking) > 0 ? ratio(renders(silence), renders(speaking)) : 'n/a'],
        ],
        silence, speaking, realSilence, realMicActive: micActive },
    );
  });
});
