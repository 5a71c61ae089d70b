// End to end with the per-tag script files (dist/charivo-realtime.js, dist/charivo-transcript.js, built by
// `vite build --mode script-tags`) in a page of their own: each file defines its tag only, what the tags
// share loads once, and the session code loads on the first start() (scripts/tag-chunks.mjs). The session
// code imports back from charivo-realtime.js only: a start must not fetch another tag's file (which would
// define that tag as a side effect). Real route, emulator, real WebRTC (WebSocket where the engine has none).
import { expect } from '@open-wc/testing';
import { nextEvent } from './events.js';

const PAGE = `<!doctype html>
<html lang="en">
  <body>
    <charivo-realtime voice="marin" fallback-adapter="openai-websocket" push-to-talk>
      <charivo-transcript></charivo-transcript>
      <charivo-controls></charivo-controls>
    </charivo-realtime>
    <script type="module" src="/dist/charivo-realtime.js"></script>
    <script type="module" src="/dist/charivo-transcript.js"></script>
  </body>
</html>`;

const OTHER_TAGS = ['charivo-avatar', 'charivo-mic-meter', 'charivo-controls', 'charivo-metrics', 'charivo-device-picker'];

/** The scripts a window loaded (paths). */
const loadedScripts = (win: Window) =>
  win.performance.getEntriesByType('resource').map((entry) => new URL(entry.name).pathname).filter((path) => path.endsWith('.js'));

describe('per-tag script files', () => {
  let modules: Record<string, string>;
  let frame: HTMLIFrameElement;
  let win: Window & typeof globalThis;
  let session: HTMLElement & Record<string, any>;

  before(async () => {
    modules = await (await fetch('/dist/.vite/script-tags-modules.json')).json();
    frame = document.createElement('iframe');
    frame.srcdoc = PAGE;
    const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
    document.body.append(frame);
    await loaded;
    win = frame.contentWindow as Window & typeof globalThis;
    await Promise.all(['charivo-realtime', 'charivo-transcript'].map((tag) => win.customElements.whenDefined(tag)));
    session = win.document.querySelector('charivo-realtime') as HTMLElement & Record<string, any>;
  });

  after(async () => {
    await session?.stop?.();
    frame?.remove();
  });

  it('each file defines its own tag only, and no session code loads before start()', async () => {
    await session.updateComplete;
    for (const tag of OTHER_TAGS) expect(win.customElements.get(tag), tag).to.equal(undefined);
    const manager = `/dist/${modules['src/manager/realtime-manager.ts']}`;
    expect(manager).to.match(/^\/dist\/chunks\//);
    expect(loadedScripts(win)).to.not.include(manager);
    // What both tags need (lit) is one file, loaded once.
    const lit = `/dist/${modules['node_modules/lit-html/lit-html.js']}`;
    expect(loadedScripts(win).filter((file) => file === lit)).to.have.length(1);
  });

  it('runs a session: the session code loads on start(), a reply streams into the transcript, no other tag gets defined', async function () {
    this.timeout(40_000);
    const started = nextEvent(session, 'charivo-session-start', 20_000);
    await session.start();
    expect((await started).detail.sessionId).to.be.a('string');
    expect(loadedScripts(win)).to.include(`/dist/${modules['src/manager/realtime-manager.ts']}`);

    const done = nextEvent(session, 'charivo-assistant-done', 20_000);
    await session.send('Hello from a per-tag page');
    expect((await done).detail.status).to.equal('completed');
    const transcript = win.document.querySelector('charivo-transcript')!;
    expect(transcript.shadowRoot!.textContent).to.contain('Hello from a per-tag page');
    expect(transcript.shadowRoot!.textContent).to.contain('This is the emulator speaking');

    // The session code imported nothing from another tag's file: those tags are still undefined.
    for (const tag of OTHER_TAGS) expect(win.customElements.get(tag), tag).to.equal(undefined);
    const tagFiles = loadedScripts(win).filter((file) => /^\/dist\/charivo-[a-z-]+\.js$/.test(file));
    expect([...new Set(tagFiles)].sort()).to.deep.equal(['/dist/charivo-realtime.js', '/dist/charivo-transcript.js']);
  });
});
