// @web/test-runner plugin: a plain static web server (node:http, no bundler, no transform) that serves
// the script-tag files the way someone who copies them would: one HTML page and one file beside it, plus
// the real realtime route at /api/realtime in front of the emulator (which listens on its own port).
//
//   /standalone/                            a page with the tags and dist/charivo-elements.standalone.js
//   /standalone/charivo-elements.standalone.js
//   /lazy/                                  the same page with dist/charivo-elements.js alone: its
//   /lazy/charivo-elements.js               chunks/ folder is not served (every /lazy/chunks/… is a 404)
//   /lazy-no-check/                         dist/charivo-elements.js with its chunks/, all but the
//   /lazy-no-check/chunks/…                 session-config check's (one missing chunk among those a start loads)
//   /api/realtime                           createRealtimeRoute() → the emulator
//
// Anything else is a 404, so a page that needs more than its one file fails. Browser tests open a page
// in a cross-origin iframe and drive it through the small harness inside the page (postMessage; see
// HARNESS), and learn the server's address from the virtual module STATIC_SITE_MODULE.
import { createReadStream, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createOpenAIRealtimeProvider, createRealtimeRoute, toNodeHandler } from '../src/server/index.ts';

/** Virtual module: `import { staticSiteUrl, built } from '/__charivo/static-site.js'` (`built`: which dist files exist). */
export const STATIC_SITE_MODULE = '/__charivo/static-site.js';

const dist = (file) => fileURLToPath(new URL(`../dist/${file}`, import.meta.url));

/** The script file each page loads, and which of its chunks/ are served (none unless said). */
const SITES = {
  standalone: { script: 'charivo-elements.standalone.js' },
  lazy: { script: 'charivo-elements.js' },
  'lazy-no-check': { script: 'charivo-elements.js', chunk: (/** @type {string} */ name) => !name.startsWith('session-config-check-') },
};

/**
 * The page's own test harness, an inline classic script that runs before the kit's module. It records
 * what a person would see or a page would hear (which tags are defined, the transcript's text, how wide
 * the mouth opened, `charivo-*` events, console errors, every resource the page fetched) and answers the
 * parent frame's requests: `{ id, op, arg }` → `{ id, ok, value | error }`.
 */
const HARNESS = String.raw`
(() => {
  const seen = { events: [], consoleErrors: [], widestMouth: 0 };
  const consoleError = console.error.bind(console);
  console.error = (...args) => {
    seen.consoleErrors.push(args.map((a) => (a instanceof Error ? a.message : String(a))).join(' '));
    consoleError(...args);
  };
  addEventListener('error', (event) => seen.consoleErrors.push('uncaught: ' + (event.message || event.type)));
  addEventListener('unhandledrejection', (event) => seen.consoleErrors.push('unhandled rejection: ' + (event.reason && event.reason.message || event.reason)));
  for (const type of ['charivo-session-start', 'charivo-assistant-done', 'charivo-error', 'charivo-session-end']) {
    document.addEventListener(type, (event) => {
      const d = event.detail || {};
      seen.events.push({ type, code: d.code, causeCode: d.error && d.error.cause && d.error.cause.code, message: d.message, status: d.status });
    });
  }
  const session = () => document.querySelector('charivo-realtime');
  const watchMouth = async () => {
    await customElements.whenDefined('charivo-avatar');
    const renderer = document.querySelector('charivo-avatar').renderer;
    const setMouthOpen = renderer.setMouthOpen.bind(renderer);
    renderer.setMouthOpen = (value) => {
      seen.widestMouth = Math.max(seen.widestMouth, value);
      setMouthOpen(value);
    };
  };
  watchMouth();
  const ops = {
    snapshot: () => ({
      defined: ['charivo-realtime', 'charivo-avatar', 'charivo-mic-meter', 'charivo-transcript', 'charivo-controls'].filter((t) => customElements.get(t)),
      controlsRendered: Boolean(document.querySelector('charivo-controls')?.shadowRoot?.querySelector('button')),
      transcript: document.querySelector('charivo-transcript')?.shadowRoot?.textContent ?? '',
      meter: Number(document.querySelector('charivo-mic-meter')?.shadowRoot?.querySelector('[role="meter"]')?.getAttribute('aria-valuenow') ?? 0),
      connection: session()?.state?.connection ?? null,
      settled: Boolean(session()?.state && !session().state.awaitingResponse && session().state.response.status !== 'responding'),
      widestMouth: seen.widestMouth,
      events: seen.events,
      consoleErrors: seen.consoleErrors,
      // Paths on this server; anything fetched elsewhere (the emulator's WebRTC calls URL) in full.
      resources: performance.getEntriesByType('resource').map((entry) => {
        const url = new URL(entry.name);
        return url.origin === location.origin ? url.pathname : url.href;
      }),
    }),
    configure: ({ adapter }) => {
      session().setAttribute('push-to-talk', '');
      if (adapter) session().setAttribute('adapter', adapter);
      return true;
    },
    start: () => session().start().then(() => true),
    preload: () => session().preload().then(() => true),
    send: (text) => session().send(text).then(() => true),
    stop: () => session().stop().then(() => true),
  };
  addEventListener('message', async (event) => {
    if (event.source !== parent || !event.data || typeof event.data.op !== 'string') return;
    const { id, op, arg } = event.data;
    try {
      const value = await ops[op](arg);
      parent.postMessage({ id, ok: true, value }, '*');
    } catch (error) {
      parent.postMessage({ id, ok: false, error: { message: String(error && error.message || error), code: error && error.code } }, '*');
    }
  });
  addEventListener('load', () => parent.postMessage({ ready: true }, '*'));
})();
`;

/** @param {string} script */
function page(script) {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>charivo-elements from one file</title>
    <script>${HARNESS}</script>
    <script type="module" src="${script}"></script>
  </head>
  <body>
    <charivo-realtime id="session" voice="marin">
      <charivo-avatar avatar-tools></charivo-avatar>
      <charivo-mic-meter></charivo-mic-meter>
      <charivo-transcript></charivo-transcript>
      <charivo-controls></charivo-controls>
    </charivo-realtime>
  </body>
</html>
`;
}

/** @param {{ emulator(): Promise<import('../src/emulator/process.ts').RealtimeEmulatorAddress> }} emulatorPlugin */
export function staticSitePlugin(emulatorPlugin) {
  /** @type {import('node:http').Server | undefined} */
  let server;
  let url = '';
  return {
    name: 'charivo-static-site',
    async serverStart() {
      const emulator = await emulatorPlugin.emulator();
      const route = toNodeHandler(
        createRealtimeRoute({ provider: createOpenAIRealtimeProvider({ apiKey: emulator.apiKey, baseUrl: emulator.baseUrl }) }),
      );
      server = createServer((req, res) => {
        const path = new URL(req.url ?? '/', 'http://localhost').pathname;
        if (path === '/api/realtime') return route(req, res);
        const [, site, file, ...rest] = path.split('/');
        const entry = SITES[/** @type {keyof typeof SITES} */ (site)];
        const script = entry?.script;
        const chunk = rest[0];
        if (entry && 'chunk' in entry && file === 'chunks' && rest.length === 1 && chunk && /^[\w.-]+\.js$/.test(chunk) && entry.chunk(chunk) && existsSync(dist(`chunks/${chunk}`)) && req.method === 'GET') {
          res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' });
          return createReadStream(dist(`chunks/${chunk}`)).pipe(res);
        }
        if (script && rest.length === 0 && req.method === 'GET') {
          if (file === '') {
            res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
            return res.end(page(script));
          }
          if (file === script && existsSync(dist(script))) {
            res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' });
            return createReadStream(dist(script)).pipe(res);
          }
        }
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        res.end('not found');
      });
      await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
      const address = /** @type {import('node:net').AddressInfo} */ (server.address());
      url = `http://127.0.0.1:${address.port}`;
    },
    async serverStop() {
      server?.closeAllConnections();
      await new Promise((resolve) => (server ? server.close(() => resolve(undefined)) : resolve(undefined)));
    },
    serve(context) {
      if (context.path !== STATIC_SITE_MODULE) return undefined;
      const built = Object.fromEntries(Object.entries(SITES).map(([site, { script }]) => [site, existsSync(dist(script))]));
      const body = [`export const staticSiteUrl = ${JSON.stringify(url)};`, `export const built = ${JSON.stringify(built)};`].join('\n');
      return { body, type: 'js', headers: { 'Cache-Control': 'no-store' } };
    },
  };
}
