// Connect: `start()` → connected through the shipped stack (dist/: a fresh <charivo-realtime
// adapter="openai-agents-webrtc">, remote client → the real route → the emulator) against the SDK's
// OpenAIRealtimeWebRTC alone (built with the same Vite settings: bench/.build/compare/agents-webrtc.js)
// on the same emulator, given the same kind of `ek_` secret from the same route (POSTed by the bench
// inside the timed span: an app has to fetch it too) with baseUrl = callsUrl.
//   warm   the code is loaded (any start after the first): RUNS interleaved runs after a
//          warm-up of each; medians and their ratio;
//   cold   the first start of a fresh page (an iframe that loaded the script or nothing): ours includes
//          fetching the session code, theirs the SDK's import; COLD_RUNS interleaved runs each.
// Both open the fake microphone themselves. fetch and getUserMedia are wrapped (warm runs) to time the
// route POST, the SDP POST and the microphone.
// @ts-expect-error virtual module served by test/wtr-emulator-plugin.mjs
import { routePath } from '/__charivo/emulator.js';
import type { CharivoRealtime } from '../../src/elements/realtime/realtime.js';
import { create, loadShipped } from './shipped.js';
import { framePage, median, ms, ratio, report, sleep, spread } from './support.js';

const RUNS = 10;
const COLD_RUNS = 4;
const SDK_URL = '/bench/.build/compare/agents-webrtc.js';

interface SdkModule {
  OpenAIRealtimeWebRTC: new (options: { baseUrl: string }) => {
    connect(options: { apiKey: string }): Promise<void>;
    close(): void;
    status: string;
  };
}

interface Timing {
  totalMs: number;
  routeMs: number;
  sdpMs: number;
  micMs: number;
  /** From the start to the SDP POST: what each side does before it can offer. */
  beforeSdpMs: number;
  /** From the start to the route POST and to the microphone's request: what comes before either. */
  routeSentMs: number;
  micAskedMs: number;
  /** From the SDP answer to the resolved start: the data channel, the session's ack, the state. */
  afterSdpMs: number;
  contexts: number;
  /** The main-thread time of the AudioContexts made by the start (0 where none is made). */
  contextMs: number;
}

/** getUserMedia durations, POSTs and AudioContexts of one run (this page's). */
const mic: Array<{ started: number; ms: number }> = [];
let contexts = 0;
/** How long each `new AudioContext()` held the main thread (Chromium starts the output there). */
const contextMs: number[] = [];
const posts: Array<{ url: string; started: number; ms: number }> = [];
let runStarted = 0;
const devices = navigator.mediaDevices;
const getUserMedia = devices.getUserMedia.bind(devices);
devices.getUserMedia = async (constraints?: MediaStreamConstraints) => {
  const t0 = performance.now();
  try {
    return await getUserMedia(constraints);
  } finally {
    mic.push({ started: t0, ms: performance.now() - t0 });
  }
};
window.AudioContext = new Proxy(AudioContext, {
  construct(target, args, newTarget) {
    contexts += 1;
    const t0 = performance.now();
    try {
      return Reflect.construct(target, args, newTarget) as AudioContext;
    } finally {
      contextMs.push(performance.now() - t0);
    }
  },
});
const originalFetch = window.fetch.bind(window);
window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  const t0 = performance.now();
  try {
    return await originalFetch(input, init);
  } finally {
    if ((init?.method ?? 'GET').toUpperCase() === 'POST') posts.push({ url, started: t0, ms: performance.now() - t0 });
  }
};

function resetProbes(): void {
  posts.length = 0;
  mic.length = 0;
  contexts = 0;
  contextMs.length = 0;
  runStarted = performance.now();
}

function probes(totalMs: number): Timing {
  const route = posts.find((p) => new URL(p.url, location.href).pathname === routePath);
  const sdp = posts.find((p) => p.url.includes('/realtime/calls'));
  return {
    totalMs,
    routeMs: route?.ms ?? Number.NaN,
    sdpMs: sdp?.ms ?? Number.NaN,
    micMs: mic[0]?.ms ?? Number.NaN,
    beforeSdpMs: sdp ? sdp.started - runStarted : Number.NaN,
    routeSentMs: route ? route.started - runStarted : Number.NaN,
    micAskedMs: mic[0] ? mic[0].started - runStarted : Number.NaN,
    afterSdpMs: sdp ? totalMs - (sdp.started - runStarted) - sdp.ms : Number.NaN,
    contexts,
    contextMs: contextMs.reduce((sum, each) => sum + each, 0),
  };
}

async function ours(): Promise<Timing> {
  const host = create<CharivoRealtime>('charivo-realtime');
  host.endpoint = routePath;
  host.adapter = 'openai-agents-webrtc';
  document.body.append(host);
  await host.updateComplete;
  resetProbes();
  const t0 = performance.now();
  await host.start();
  const totalMs = performance.now() - t0;
  if (host.state.connection !== 'connected') throw new Error(`ours: not connected (${host.state.connection})`);
  const timing = probes(totalMs);
  await host.stop();
  host.remove();
  return timing;
}

async function secret(fetcher: typeof fetch): Promise<{ clientSecret: { value: string }; callsUrl: string }> {
  const response = await fetcher(routePath, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ adapter: 'openai-agents-webrtc', transport: 'webrtc', session: {} }),
  });
  const bootstrap = (await response.json()) as { clientSecret: { value: string }; callsUrl: string };
  if (!bootstrap.clientSecret?.value?.startsWith('ek_')) throw new Error(`theirs: no ek_ secret from the route (${response.status})`);
  return bootstrap;
}

async function theirs(sdk: SdkModule): Promise<Timing> {
  resetProbes();
  const t0 = performance.now();
  const bootstrap = await secret(fetch);
  const transport = new sdk.OpenAIRealtimeWebRTC({ baseUrl: bootstrap.callsUrl });
  await transport.connect({ apiKey: bootstrap.clientSecret.value });
  const totalMs = performance.now() - t0;
  if (transport.status !== 'connected') throw new Error(`theirs: not connected (${transport.status})`);
  const timing = probes(totalMs);
  transport.close();
  return timing;
}

/**
 * The first start of a fresh page that loaded dist/charivo-elements.js with the tag; with `preloaded`,
 * after `preload()` resolved (what <charivo-controls> starts when the pointer reaches Start).
 */
async function oursCold(preloaded = false): Promise<number> {
  const { frame, win } = await framePage(
    `<!doctype html><body><charivo-realtime endpoint="${routePath}" adapter="openai-agents-webrtc"></charivo-realtime><script type="module" src="/dist/charivo-elements.js"></script></body>`,
  );
  await win.customElements.whenDefined('charivo-realtime');
  const host = win.document.querySelector('charivo-realtime') as CharivoRealtime;
  await host.updateComplete;
  if (preloaded) await host.preload();
  const t0 = performance.now();
  await host.start();
  const total = performance.now() - t0;
  if (host.state.connection !== 'connected') throw new Error(`ours cold: not connected (${host.state.connection})`);
  await host.stop();
  frame.remove();
  return total;
}

/** The first connect of a fresh page: the SDK's import (before the timed span with `preloaded`), the route POST, connect(). */
async function theirsCold(preloaded = false): Promise<number> {
  const { frame, win } = await framePage('<!doctype html><body></body>');
  const load = (win as unknown as { eval(code: string): Promise<SdkModule> }).eval(`import(${JSON.stringify(SDK_URL)})`);
  if (preloaded) await load;
  const t0 = performance.now();
  const sdk = await load;
  const bootstrap = await secret(win.fetch.bind(win));
  const transport = new sdk.OpenAIRealtimeWebRTC({ baseUrl: bootstrap.callsUrl });
  await transport.connect({ apiKey: bootstrap.clientSecret.value });
  const total = performance.now() - t0;
  if (transport.status !== 'connected') throw new Error(`theirs cold: not connected (${transport.status})`);
  transport.close();
  frame.remove();
  return total;
}

describe('bench: connect', () => {
  let sdk: SdkModule;
  before(async () => {
    await loadShipped();
    sdk = (await import(/* @vite-ignore */ SDK_URL)) as SdkModule;
  });

  it(`start() → connected: <charivo-realtime> vs OpenAIRealtimeWebRTC alone (${RUNS} warm and ${COLD_RUNS} cold interleaved runs each)`, async function () {
    this.timeout(300_000);
    await ours();
    await sleep(200);
    await theirs(sdk);
    await sleep(200);
    const a: Timing[] = [];
    const b: Timing[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      a.push(await ours());
      await sleep(200);
      b.push(await theirs(sdk));
      await sleep(200);
    }
    const coldA: number[] = [];
    const coldB: number[] = [];
    const preA: number[] = [];
    const preB: number[] = [];
    for (let run = 0; run < COLD_RUNS; run += 1) {
      coldA.push(await oursCold());
      await sleep(200);
      coldB.push(await theirsCold());
      await sleep(200);
      preA.push(await oursCold(true));
      await sleep(200);
      preB.push(await theirsCold(true));
      await sleep(200);
    }
    const med = (list: Timing[], key: keyof Timing) => median(list.map((t) => t[key]));
    const rows = [
      ['start() → connected (goal ≤ 1.02×)', ms(med(a, 'totalMs')), ms(med(b, 'totalMs')), ratio(med(a, 'totalMs'), med(b, 'totalMs'))],
      ['first start of a fresh page (cold: code loaded by the start)', ms(median(coldA)), ms(median(coldB)), ratio(median(coldA), median(coldB))],
      ['first start of a fresh page, code loaded before the click (preload() / the import)', ms(median(preA)), ms(median(preB)), ratio(median(preA), median(preB))],
      ['  warm: start → SDP offer POSTed', ms(med(a, 'beforeSdpMs')), ms(med(b, 'beforeSdpMs')), ratio(med(a, 'beforeSdpMs'), med(b, 'beforeSdpMs'))],
      ['  warm: of which the route POST (bootstrap, ek_ secret)', ms(med(a, 'routeMs')), ms(med(b, 'routeMs')), ratio(med(a, 'routeMs'), med(b, 'routeMs'))],
      ['  warm: of which getUserMedia', ms(med(a, 'micMs')), ms(med(b, 'micMs')), ratio(med(a, 'micMs'), med(b, 'micMs'))],
      ['  warm: start → route POST sent', ms(med(a, 'routeSentMs')), ms(med(b, 'routeSentMs')), ratio(med(a, 'routeSentMs'), med(b, 'routeSentMs'))],
      ['  warm: start → microphone asked', ms(med(a, 'micAskedMs')), ms(med(b, 'micAskedMs')), ratio(med(a, 'micAskedMs'), med(b, 'micAskedMs'))],
      ['  warm: the SDP offer POST to the emulator', ms(med(a, 'sdpMs')), ms(med(b, 'sdpMs')), ratio(med(a, 'sdpMs'), med(b, 'sdpMs'))],
      ['  warm: SDP answer → resolved (data channel, session ack)', ms(med(a, 'afterSdpMs')), ms(med(b, 'afterSdpMs')), ratio(med(a, 'afterSdpMs'), med(b, 'afterSdpMs'))],
    ];
    await report(
      'connect',
      {
        title: `Connect (shipped dist/ vs the SDK built the same way, agents-realtime WebRTC against the local emulator; median)`,
        headers: ['figure', 'ours (<charivo-realtime>)', 'OpenAIRealtimeWebRTC alone', 'ratio'],
        rows,
        notes: [
          `ours: <charivo-realtime adapter="openai-agents-webrtc">, start() until it resolves (connected, session acknowledged); warm ${spread(a.map((t) => t.totalMs), (v) => v.toFixed(0))} ms, cold ${spread(coldA, (v) => v.toFixed(0))} ms`,
          `theirs: POST the route for an ek_ secret, new OpenAIRealtimeWebRTC({ baseUrl: callsUrl }).connect({ apiKey }) until it resolves (first session.updated); warm ${spread(b.map((t) => t.totalMs), (v) => v.toFixed(0))} ms, cold (with the import) ${spread(coldB, (v) => v.toFixed(0))} ms`,
          `AudioContexts created per start: ours ${med(a, 'contexts')} (the voice level and lip-sync; made inside the click so autoplay rules let it run, before the route POST: its constructor held the main thread ${ms(med(a, 'contextMs'))}), theirs ${med(b, 'contexts')}`,
          `warm = code already loaded (any start after the first); cold = a fresh page's first start, fetching the session code (ours) or the SDK (theirs) on loopback`,
          `code loaded before the click: ours awaited preload() (what <charivo-controls> starts on hover or focus of Start), theirs the SDK's import, before the timed span; ${spread(preA, (v) => v.toFixed(0))} and ${spread(preB, (v) => v.toFixed(0))} ms`,
        ],
      },
      {
        unit: 'ms',
        runs: RUNS,
        coldRuns: COLD_RUNS,
        headline: rows.slice(0, 3),
        // Unrounded, for the goal verdicts (bench/run.mjs).
        headlineRatios: [med(a, 'totalMs') / med(b, 'totalMs'), median(coldA) / median(coldB), median(preA) / median(preB)],
        ours: a,
        theirs: b,
        cold: { ours: coldA, theirs: coldB },
        preloaded: { ours: preA, theirs: preB },
        figureMs: med(a, 'totalMs'),
        comparisonMs: med(b, 'totalMs'),
      },
    );
  });
});
