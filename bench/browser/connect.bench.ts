// Connect overhead: `start()` → connected through our whole stack (a fresh <charivo-realtime>, adapter
// openai-agents-webrtc: remote client → the real route → the emulator) against agents-realtime's
// OpenAIRealtimeWebRTC alone on the same emulator, given the same kind of `ek_` secret from the same route
// (POSTed by the bench, inside the timed span: an app has to fetch it too) with baseUrl = callsUrl.
// Runs interleave (ours, theirs, ours, …) after one warm-up of each; medians and their ratio. Both open
// the fake microphone themselves. fetch is wrapped to time the route POST and the SDP POST of each run.
// @ts-expect-error virtual module served by test/wtr-emulator-plugin.mjs
import { routePath } from '/__charivo/emulator.js';
import { OpenAIRealtimeWebRTC } from '@openai/agents-realtime';
import '../../src/elements/realtime/define.js';
import type { CharivoRealtime } from '../../src/elements/realtime/realtime.js';
import { median, ms, ratio, report, sleep, spread } from './support.js';

const RUNS = 10;

interface Timing {
  totalMs: number;
  routeMs: number;
  sdpMs: number;
  micMs: number;
  contexts: number;
}

/** getUserMedia durations and AudioContexts created during one run. */
const mic: number[] = [];
let contexts = 0;
const devices = navigator.mediaDevices;
const getUserMedia = devices.getUserMedia.bind(devices);
devices.getUserMedia = async (constraints?: MediaStreamConstraints) => {
  const t0 = performance.now();
  try {
    return await getUserMedia(constraints);
  } finally {
    mic.push(performance.now() - t0);
  }
};
window.AudioContext = new Proxy(AudioContext, {
  construct(target, args, newTarget) {
    contexts += 1;
    return Reflect.construct(target, args, newTarget) as AudioContext;
  },
});

function resetProbes(): void {
  posts.length = 0;
  mic.length = 0;
  contexts = 0;
}

/** Durations of the POSTs made during one run: to the route, and the SDP offer to the calls URL. */
const posts: Array<{ url: string; ms: number }> = [];
const originalFetch = window.fetch.bind(window);
window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  const t0 = performance.now();
  try {
    return await originalFetch(input, init);
  } finally {
    if ((init?.method ?? 'GET').toUpperCase() === 'POST') posts.push({ url, ms: performance.now() - t0 });
  }
};

function probes(): Omit<Timing, 'totalMs'> {
  const route = posts.find((p) => new URL(p.url, location.href).pathname === routePath);
  const sdp = posts.find((p) => p.url.includes('/realtime/calls'));
  return { routeMs: route?.ms ?? Number.NaN, sdpMs: sdp?.ms ?? Number.NaN, micMs: mic[0] ?? Number.NaN, contexts };
}

async function ours(): Promise<Timing> {
  const host = document.createElement('charivo-realtime') as CharivoRealtime;
  host.endpoint = routePath;
  host.adapter = 'openai-agents-webrtc';
  document.body.append(host);
  await host.updateComplete;
  resetProbes();
  const t0 = performance.now();
  await host.start();
  const totalMs = performance.now() - t0;
  if (host.state.connection !== 'connected') throw new Error(`ours: not connected (${host.state.connection})`);
  const timing = { totalMs, ...probes() };
  await host.stop();
  host.remove();
  return timing;
}

async function theirs(): Promise<Timing> {
  resetProbes();
  const t0 = performance.now();
  const response = await fetch(routePath, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ adapter: 'openai-agents-webrtc', transport: 'webrtc', session: {} }),
  });
  const bootstrap = (await response.json()) as { clientSecret: { value: string }; callsUrl: string };
  if (!bootstrap.clientSecret?.value?.startsWith('ek_')) throw new Error(`theirs: no ek_ secret from the route (${response.status})`);
  const sdk = new OpenAIRealtimeWebRTC({ baseUrl: bootstrap.callsUrl });
  await sdk.connect({ apiKey: bootstrap.clientSecret.value });
  const totalMs = performance.now() - t0;
  if (sdk.status !== 'connected') throw new Error(`theirs: not connected (${sdk.status})`);
  const timing = { totalMs, ...probes() };
  sdk.close();
  return timing;
}

describe('bench: connect overhead', () => {
  it(`start() → connected: <charivo-realtime> vs OpenAIRealtimeWebRTC alone (${RUNS} interleaved runs each)`, async () => {
    await ours();
    await sleep(200);
    await theirs();
    await sleep(200);
    const a: Timing[] = [];
    const b: Timing[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      a.push(await ours());
      await sleep(200);
      b.push(await theirs());
      await sleep(200);
    }
    const med = (list: Timing[], key: keyof Timing) => median(list.map((t) => t[key]));
    const rest = (list: Timing[]) => list.map((t) => t.totalMs - t.routeMs - t.sdpMs - t.micMs);
    const rows = [
      ['start() → connected', ms(med(a, 'totalMs')), ms(med(b, 'totalMs')), ratio(med(a, 'totalMs'), med(b, 'totalMs'))],
      ['  of which the route POST (bootstrap, ek_ secret)', ms(med(a, 'routeMs')), ms(med(b, 'routeMs')), ratio(med(a, 'routeMs'), med(b, 'routeMs'))],
      ['  of which the SDP offer POST to the emulator', ms(med(a, 'sdpMs')), ms(med(b, 'sdpMs')), ratio(med(a, 'sdpMs'), med(b, 'sdpMs'))],
      ['  of which getUserMedia', ms(med(a, 'micMs')), ms(med(b, 'micMs')), ratio(med(a, 'micMs'), med(b, 'micMs'))],
      ['  the rest (peer, audio graph, ICE/DTLS, data channel, session ack)', ms(median(rest(a))), ms(median(rest(b))), ratio(median(rest(a)), median(rest(b)))],
    ];
    await report(
      'connect',
      {
        title: `Connect overhead (agents-realtime WebRTC against the local emulator, ${RUNS} interleaved runs each; median)`,
        headers: ['figure', 'ours (<charivo-realtime>)', 'OpenAIRealtimeWebRTC alone', 'ratio'],
        rows,
        notes: [
          `ours: fresh <charivo-realtime adapter="openai-agents-webrtc">, start() until it resolves (state connected, session acked); total ${spread(a.map((t) => t.totalMs), (v) => v.toFixed(0))} ms`,
          `AudioContexts created per start: ours ${med(a, 'contexts')}, theirs ${med(b, 'contexts')}`,
          `theirs: POST the route for an ek_ secret, new OpenAIRealtimeWebRTC({ baseUrl: callsUrl }).connect({ apiKey }) until it resolves (first session.updated); total ${spread(b.map((t) => t.totalMs), (v) => v.toFixed(0))} ms`,
        ],
      },
      { unit: 'ms', runs: RUNS, headline: [rows[0]], ours: a, theirs: b, figureMs: med(a, 'totalMs'), comparisonMs: med(b, 'totalMs') },
    );
  });
});
