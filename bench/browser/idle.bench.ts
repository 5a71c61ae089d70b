// Idle cost: main-thread CPU time per second (DevTools protocol Performance.getMetrics, TaskDuration in
// thread time) of the shipped elements (dist/) while nothing happens, against the same span of an empty
// page (nothing mounted), interleaved. The spans, 5 s each after a settling second:
//   elements     the five tags, no session (a page that has not started);
//   silent       the five tags over a FakeRealtimeTransport session whose levels are 0 (inactive, as a
//                transport reports them between replies);
//   full stack   the five tags in a real session (openai-webrtc through the route to the emulator, no
//                reply) with a microphone that hears silence: the meter samples the open microphone;
//   speaking     the silent session with both levels moving every frame (for scale, not a goal).
// Also counted: layouts and style recalcs per second, frames the page produced (PerformanceObserver
// 'long-animation-frame' is not needed: frames are counted by Chrome's FrameCount metric when present).
// @ts-expect-error virtual module served by test/wtr-emulator-plugin.mjs
import { routePath } from '/__charivo/emulator.js';
import type { CharivoRealtime } from '../../src/elements/realtime/realtime.js';
import { FakeRealtimeTransport } from '../../src/testing/index.js';
import { create, loadShipped } from './shipped.js';
import { everyFrame, median, metricsDelta, nextFrame, pageMetrics, ratio, report, sleep, spread, type PageMetrics } from './support.js';

const SPAN_MS = 5000;
const RUNS = 3;

interface Span {
  seconds: number;
  metrics: PageMetrics;
}

/** Metrics over SPAN_MS after a settling second; `during` runs every frame (speaking levels). */
async function span(during?: (time: number) => void): Promise<Span> {
  const stop = during ? everyFrame(during) : () => {};
  await sleep(1000);
  const before = await pageMetrics();
  const t0 = performance.now();
  await sleep(SPAN_MS);
  const after = await pageMetrics();
  const seconds = (performance.now() - t0) / 1000;
  stop();
  await nextFrame();
  return { seconds, metrics: metricsDelta(before, after) };
}

/** The five tags in a <charivo-realtime>, configured by `configure`. */
async function mountAll(configure: (host: CharivoRealtime) => void): Promise<CharivoRealtime> {
  const host = create<CharivoRealtime>('charivo-realtime');
  configure(host);
  for (const tag of ['charivo-avatar', 'charivo-mic-meter', 'charivo-transcript', 'charivo-controls']) host.append(create(tag));
  document.body.append(host);
  await host.updateComplete;
  for (const child of host.children) await (child as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
  return host;
}

async function emptyPage(): Promise<Span> {
  return span();
}

async function elementsOnly(): Promise<Span> {
  const host = await mountAll(() => {});
  const result = await span();
  host.remove();
  return result;
}

async function silentSession(): Promise<Span> {
  const fake = new FakeRealtimeTransport();
  const host = await mountAll((h) => (h.transport = fake));
  await host.start();
  fake.levels.output.set(0);
  fake.levels.input.set(0);
  const result = await span();
  await host.stop();
  host.remove();
  return result;
}

async function speaking(): Promise<Span> {
  const fake = new FakeRealtimeTransport();
  const host = await mountAll((h) => (h.transport = fake));
  await host.start();
  const result = await span((time) => {
    fake.levels.output.set(0.15 + 0.6 * Math.abs(Math.sin((2 * Math.PI * 2 * time) / 1000)));
    fake.levels.input.set(0.1 + 0.5 * Math.abs(Math.sin((2 * Math.PI * 0.7 * time) / 1000)));
  });
  fake.levels.output.set(0);
  fake.levels.input.set(0);
  await host.stop();
  host.remove();
  return result;
}

/** A real session with a silent microphone (getUserMedia answers digital silence from Web Audio). */
async function fullStack(): Promise<Span & { micActive: boolean }> {
  const room = new AudioContext();
  const silence = room.createMediaStreamDestination();
  const devices = navigator.mediaDevices;
  const getUserMedia = devices.getUserMedia;
  devices.getUserMedia = async () => new MediaStream(silence.stream.getAudioTracks().map((track) => track.clone()));
  try {
    const host = await mountAll((h) => {
      h.endpoint = routePath;
      h.adapter = 'openai-webrtc';
      h.sessionConfig = { turnDetection: null, outputModalities: ['text'] };
    });
    await host.start();
    const micActive = host.session.levels.input.active;
    const result = await span();
    await host.stop();
    host.remove();
    return { ...result, micActive };
  } finally {
    devices.getUserMedia = getUserMedia;
    await room.close();
  }
}

describe('bench: idle cost', () => {
  before(async () => {
    await loadShipped();
  });

  it(`main-thread time per second while idle: the shipped elements vs an empty page (${RUNS} interleaved runs of ${SPAN_MS / 1000} s)`, async function () {
    this.timeout(600_000);
    const runs = { empty: [] as Span[], elements: [] as Span[], silent: [] as Span[], full: [] as Span[], speaking: [] as Span[] };
    let micActive = false;
    for (let run = 0; run < RUNS; run += 1) {
      runs.empty.push(await emptyPage());
      runs.elements.push(await elementsOnly());
      runs.silent.push(await silentSession());
      const full = await fullStack();
      micActive = full.micActive;
      runs.full.push(full);
      runs.speaking.push(await speaking());
    }
    const perSecond = (list: Span[], metric: string) => median(list.map((s) => s.metrics[metric]! / s.seconds));
    const task = (list: Span[]) => perSecond(list, 'TaskDuration');
    const empty = task(runs.empty);
    const over = (list: Span[]) => task(list) - empty;
    const f = (value: number) => `${value >= 0 ? '+' : ''}${value.toFixed(1)} ms/s`;
    const row = (label: string, list: Span[]) => [label, f(over(list)), `${empty.toFixed(1)} ms/s`, ratio(task(list), empty)];
    const rows = [
      row('full stack idle (real session, silent microphone): main thread over an empty page', runs.full),
      row('  five elements, no session', runs.elements),
      row('  five elements, session with silent levels (fake transport)', runs.silent),
      row('  five elements while speaking (levels move every frame; for scale)', runs.speaking),
    ];
    const detail = (label: string, list: Span[]) =>
      `${label}: TaskDuration ${spread(list.map((s) => s.metrics.TaskDuration / s.seconds))} ms/s, script ${perSecond(list, 'ScriptDuration').toFixed(1)}, ` +
      `layout ${perSecond(list, 'LayoutDuration').toFixed(1)} ms/s; layouts ${perSecond(list, 'LayoutCount').toFixed(1)}/s, style recalcs ${perSecond(list, 'RecalcStyleCount').toFixed(1)}/s`;
    await report(
      'idle',
      {
        title: `Idle cost (shipped dist/, main-thread CPU time per second from Chrome's TaskDuration; median of ${RUNS} interleaved runs of ${SPAN_MS / 1000} s)`,
        headers: ['figure', 'ours (over the empty page)', 'empty page', 'ratio'],
        rows,
        notes: [
          detail('empty page', runs.empty),
          detail('five elements, no session', runs.elements),
          detail('silent session (fake)', runs.silent),
          detail('full stack (real session)', runs.full),
          detail('speaking', runs.speaking),
          `full stack: <charivo-realtime adapter="openai-webrtc"> on the emulator, no reply, microphone digital silence; its level source active: ${micActive}`,
        ],
      },
      { spanMs: SPAN_MS, runs: RUNS, headline: [rows[0]], emptyPageMsPerSecond: empty, results: runs },
    );
  });
});
