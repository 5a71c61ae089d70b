// Bytes a page loads, as shipped: the script build in dist/ (`vite build --mode script`, minified), loaded
// by pages of their own (iframes) from the test server, every JavaScript file the page fetched counted
// (PerformanceResourceTiming), sized as gzip -9 by Node. Scenarios:
//   first load      a page with the tags and one <script type="module">: charivo-elements.js (it defines every tag:
//                   the five on the page and <charivo-metrics>, <charivo-device-picker>), or
//                   a tag's own entry (charivo-realtime.js, …); counted once every tag is defined and has
//                   rendered, plus a settling second (anything loaded eagerly after render counts too);
//   start()         the same page after `start()` resolved through the real route to the emulator, per
//                   adapter: what the start loaded beyond the first load.
// Comparisons, built by the same Vite settings (`vite build --mode bench-compare`, bench/compare/) and
// loaded the same way: lit + @lit/context alone, and the SDK's OpenAIRealtimeWebRTC alone.
// @ts-expect-error virtual module served by test/wtr-emulator-plugin.mjs
import { routePath } from '/__charivo/emulator.js';
import { fileSizes, framePage, kb, loadedScripts, ratio, report, sleep, sum } from './support.js';

const TAGS = ['charivo-realtime', 'charivo-avatar', 'charivo-mic-meter', 'charivo-transcript', 'charivo-controls'] as const;
const ALL = `<charivo-realtime endpoint="${routePath}">
  <charivo-avatar avatar-tools></charivo-avatar>
  <charivo-mic-meter></charivo-mic-meter>
  <charivo-transcript></charivo-transcript>
  <charivo-controls></charivo-controls>
</charivo-realtime>`;

const page = (body: string, script: string) =>
  `<!doctype html><html lang="en"><body>${body}<script type="module" src="${script}"></script></body></html>`;

interface Loaded {
  files: string[];
  gzip: number;
  bytes: number;
}

async function sized(files: string[]): Promise<Loaded> {
  const sizes = await fileSizes(files);
  return { files, gzip: sum(sizes.map((s) => s.gzip)), bytes: sum(sizes.map((s) => s.bytes)) };
}

/** Loads `script` with `tags` in a fresh page; resolves once each tag is defined and rendered, after a settling second. */
async function firstLoad(tags: readonly string[], body: string, script: string) {
  const { frame, win } = await framePage(page(body, script));
  await Promise.all(tags.map((tag) => win.customElements.whenDefined(tag)));
  await Promise.all(tags.map((tag) => (win.document.querySelector(tag) as HTMLElement & { updateComplete?: Promise<unknown> })?.updateComplete));
  await sleep(1000);
  return { frame, win, files: loadedScripts(win) };
}

/** Only what the page's own code loaded (dist/ or the comparison build), never the test runner's files. */
const shipped = (files: string[]) => files.filter((file) => file.startsWith('/dist/') || file.startsWith('/bench/.build/'));

async function startLoads(adapter: string): Promise<{ before: string[]; added: string[] }> {
  const { frame, win, files } = await firstLoad(TAGS, ALL, '/dist/charivo-elements.js');
  const host = win.document.querySelector('charivo-realtime') as HTMLElement & { adapter: string; start(): Promise<void>; stop(): Promise<void>; state: { connection: string } };
  host.adapter = adapter;
  host.setAttribute('push-to-talk', '');
  try {
    await host.start();
    if (host.state.connection !== 'connected') throw new Error(`${adapter}: not connected (${host.state.connection})`);
    await sleep(500);
    const before = shipped(files);
    const added = shipped(loadedScripts(win)).filter((file) => !before.includes(file));
    return { before, added };
  } finally {
    await host.stop();
    frame.remove();
  }
}

describe('bench: bytes as shipped', () => {
  it('counts every script a page loads: first load, per tag, on start() per adapter, and the comparisons', async () => {
    const all = await firstLoad(TAGS, ALL, '/dist/charivo-elements.js');
    const allFiles = await sized(shipped(all.files));
    all.frame.remove();
    const perTag: Record<string, Loaded> = {};
    for (const tag of TAGS) {
      const one = await firstLoad([tag], tag === 'charivo-realtime' ? `<${tag} endpoint="${routePath}"></${tag}>` : `<${tag}></${tag}>`, `/dist/${tag}.js`);
      perTag[tag] = await sized(shipped(one.files));
      one.frame.remove();
    }
    const starts: Record<string, Loaded> = {};
    for (const adapter of ['openai-webrtc', 'openai-websocket', 'openai-agents-webrtc']) {
      const { added } = await startLoads(adapter);
      starts[adapter] = await sized(added);
    }
    const lit = await firstLoad([], '', '/bench/.build/compare/lit.js');
    const litFiles = await sized(shipped(lit.files));
    lit.frame.remove();
    const sdk = await firstLoad([], '', '/bench/.build/compare/agents-webrtc.js');
    const sdkFiles = await sized(shipped(sdk.files));
    sdk.frame.remove();

    const row = (label: string, ours: Loaded, comparison: Loaded) => [label, kb(ours.gzip), kb(comparison.gzip), ratio(ours.gzip, comparison.gzip)];
    const rows = [
      row('first load, all five elements (charivo-elements.js, which also defines <charivo-metrics> and <charivo-device-picker>; goal ≤ 22 KB)', allFiles, litFiles),
      row('first load, <charivo-realtime> alone (charivo-realtime.js; goal ≤ 12 KB)', perTag['charivo-realtime']!, litFiles),
      row('code loaded on start(), openai-webrtc (goal ≤ 15 KB)', starts['openai-webrtc']!, sdkFiles),
      row('code loaded on start(), openai-websocket (goal ≤ 15 KB)', starts['openai-websocket']!, sdkFiles),
      row('code loaded on start(), openai-agents-webrtc (default adapter)', starts['openai-agents-webrtc']!, sdkFiles),
      ...TAGS.slice(1).map((tag) => row(`first load, <${tag}> alone (${tag}.js)`, perTag[tag]!, litFiles)),
    ];
    const list = (loaded: Loaded) => loaded.files.map((file) => file.replace(/^\/dist\//, '')).join(', ');
    await report(
      'bytes',
      {
        title: 'Bytes as shipped (gzip -9 of every script the page loaded: dist/ from `vite build --mode script`)',
        headers: ['figure', 'ours', 'comparison', 'ratio'],
        rows,
        notes: [
          'comparison: first loads vs lit + @lit/context alone; start() vs OpenAIRealtimeWebRTC alone — both built with the same Vite settings and loaded the same way',
          `first load, all five: ${list(allFiles)}`,
          `start(), openai-webrtc: ${list(starts['openai-webrtc']!)}`,
          `start(), openai-websocket: ${list(starts['openai-websocket']!)}`,
          `uncompressed: all five ${kb(allFiles.bytes)}, lit + @lit/context ${kb(litFiles.bytes)}, OpenAIRealtimeWebRTC alone ${kb(sdkFiles.bytes)}`,
        ],
      },
      {
        unit: 'bytes (gzip -9)',
        headline: rows.slice(0, 4),
        firstLoad: allFiles,
        perTag,
        starts,
        litAndContext: litFiles,
        openAIRealtimeWebRTC: sdkFiles,
      },
    );
  });
});
