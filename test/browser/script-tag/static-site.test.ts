// The script tag as people copy it: a page on a plain static server (test/wtr-static-site.mjs: node:http,
// no bundler) with nothing but the HTML and one file from dist/, the realtime route on the same server at
// /api/realtime, the emulator on a port of its own. The page is cross-origin to the test page, so the test
// drives it through the harness inside it (postMessage).
//
//   standalone  dist/charivo-elements.standalone.js alone runs a session end to end and fetches no chunk.
//   lazy        dist/charivo-elements.js without its chunks/ folder still renders its tags, and a session
//               start fails loudly: a `charivo-error` and a console error that name the missing file and
//               the two ways out, never a blank page or a silent hang.
import { expect } from '@open-wc/testing';
// @ts-expect-error virtual module served by the test server
import { built, staticSiteUrl } from '/__charivo/static-site.js';

interface Snapshot {
  defined: string[];
  controlsRendered: boolean;
  transcript: string;
  meter: number;
  connection: string | null;
  settled: boolean;
  widestMouth: number;
  events: Array<{ type: string; code?: string; causeCode?: string; message?: string; status?: string }>;
  consoleErrors: string[];
  resources: string[];
}

/** A page of the static site in a cross-origin iframe, driven through its harness. */
class StaticPage {
  #frame: HTMLIFrameElement;
  #next = 0;

  private constructor(frame: HTMLIFrameElement) {
    this.#frame = frame;
  }

  static async open(site: 'standalone' | 'lazy' | 'lazy-no-check'): Promise<StaticPage> {
    const frame = document.createElement('iframe');
    // Cross-origin frames get the microphone and autoplay only when the embedding page delegates them.
    frame.allow = 'microphone; autoplay';
    frame.style.width = '900px';
    frame.style.height = '700px';
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the ${site} page did not load within 20 s`)), 20_000);
      window.addEventListener('message', function listener(event) {
        if (event.source === frame.contentWindow && event.data?.ready) {
          clearTimeout(timer);
          window.removeEventListener('message', listener);
          resolve();
        }
      });
    });
    frame.src = `${staticSiteUrl}/${site}/`;
    document.body.append(frame);
    await ready;
    return new StaticPage(frame);
  }

  call<T = unknown>(op: string, arg?: unknown, ms = 20_000): Promise<T> {
    const id = ++this.#next;
    const frame = this.#frame;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        window.removeEventListener('message', listener);
        reject(new Error(`${op}: no answer from the page within ${ms} ms`));
      }, ms);
      function listener(event: MessageEvent) {
        if (event.source !== frame.contentWindow || event.data?.id !== id) return;
        clearTimeout(timer);
        window.removeEventListener('message', listener);
        if (event.data.ok) resolve(event.data.value as T);
        else reject(Object.assign(new Error(event.data.error.message), { code: event.data.error.code }));
      }
      window.addEventListener('message', listener);
      frame.contentWindow!.postMessage({ id, op, arg }, '*');
    });
  }

  snapshot(): Promise<Snapshot> {
    return this.call<Snapshot>('snapshot');
  }

  /** Resolves with the first snapshot `predicate` accepts, polled every 50 ms; fails after `ms` naming `what`. */
  async until(predicate: (s: Snapshot) => boolean, what: string, ms = 20_000): Promise<Snapshot> {
    const started = performance.now();
    for (;;) {
      const snapshot = await this.snapshot();
      if (predicate(snapshot)) return snapshot;
      if (performance.now() - started > ms) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(snapshot)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  close(): void {
    this.#frame.remove();
  }
}

const TAGS = ['charivo-realtime', 'charivo-avatar', 'charivo-mic-meter', 'charivo-transcript', 'charivo-controls'];
/** The WebSocket adapter where the engine has no WebRTC; the default (WebRTC) everywhere else. */
const adapter = typeof RTCPeerConnection === 'function' ? undefined : 'openai-websocket';

/**
 * Opens the static site's page `name` before the suite's tests (failing at once when its script file
 * was not built) and stops and closes it after them; the returned function gives the open page.
 */
function pageOf(name: 'standalone' | 'lazy' | 'lazy-no-check'): () => StaticPage {
  let site: StaticPage | undefined;
  before(async () => {
    const [builtKey, file] = name === 'standalone' ? (['standalone', 'charivo-elements.standalone.js'] as const) : (['lazy', 'charivo-elements.js'] as const);
    if (!built[builtKey]) throw new Error(`dist/${file} is missing: run \`npm run build:script\` first`);
    site = await StaticPage.open(name);
  });
  after(async () => {
    await site?.call('stop').catch(() => {});
    site?.close();
  });
  return () => site!;
}

/**
 * Starts the page's session, which must fail because code is missing: checks the rejection and the
 * `charivo-error` the page saw (start_failed, caused by adapter_load_failed, the same message, both
 * ways out named) and returns them with the snapshot.
 */
async function expectMissingCodeFailure(site: StaticPage): Promise<{ snapshot: Snapshot; message: string }> {
  await site.call('configure', { adapter });
  const failure = await site.call('start').then(
    () => null,
    (error: Error & { code?: string }) => error,
  );
  expect(failure, 'start() rejects').to.be.an('error');
  expect(failure!.code).to.equal('start_failed');
  const snapshot = await site.until((s) => s.events.some((e) => e.type === 'charivo-error'), 'charivo-error');
  const error = snapshot.events.find((e) => e.type === 'charivo-error')!;
  expect(error).to.include({ code: 'start_failed', causeCode: 'adapter_load_failed', message: failure!.message });
  expect(error.message).to.contain('Could not load the session transport');
  expect(error.message).to.contain('serve the chunks/ folder');
  expect(error.message).to.contain('dist/charivo-elements.standalone.js');
  // The session is not left half-started: nothing connected, the page can still be used.
  expect(snapshot.connection).to.not.equal('connected');
  expect(snapshot.controlsRendered).to.equal(true);
  return { snapshot, message: error.message! };
}

describe('script tag from a static server: the standalone file alone', () => {
  const page = pageOf('standalone');

  it('defines every tag from the one file and has fetched nothing else', async () => {
    const snapshot = await page().until((s) => s.defined.length === TAGS.length && s.controlsRendered, 'every tag to be defined');
    expect(snapshot.defined).to.have.members(TAGS);
    expect(snapshot.consoleErrors).to.deep.equal([]);
    expect(snapshot.resources).to.deep.equal(['/standalone/charivo-elements.standalone.js']);
  });

  it('runs a session end to end: the transcript streams, the mouth opens, no chunk is fetched', async () => {
    const site = page();
    await site.call('configure', { adapter });
    await site.call('start');
    await site.until((s) => s.events.some((e) => e.type === 'charivo-session-start'), 'charivo-session-start');
    await site.until((s) => s.meter > 0, 'the mic meter to move');

    await site.call('send', 'Hello from one file');
    const done = await site.until((s) => s.events.some((e) => e.type === 'charivo-assistant-done'), 'the reply to finish', 30_000);
    expect(done.events.find((e) => e.type === 'charivo-assistant-done')!.status).to.equal('completed');
    const after = await site.until((s) => s.widestMouth > 0.1 && s.settled, 'the mouth to open during the reply');
    expect(after.transcript).to.contain('Hello from one file');
    expect(after.transcript).to.contain('This is the emulator speaking');

    expect(after.events.filter((e) => e.type === 'charivo-error')).to.deep.equal([]);
    expect(after.consoleErrors).to.deep.equal([]);
    // Besides the file, the page asked this server only for the route: no chunk was fetched.
    const fromThisServer = after.resources.filter((path) => path.startsWith('/'));
    expect(fromThisServer).to.include('/api/realtime');
    expect(fromThisServer.filter((path) => path !== '/api/realtime')).to.deep.equal(['/standalone/charivo-elements.standalone.js']);
  });
});

describe('script tag from a static server: the lazy file without its chunks', () => {
  const page = pageOf('lazy');

  it('still renders its tags: the first load is the one file', async () => {
    const snapshot = await page().until((s) => s.defined.length === TAGS.length && s.controlsRendered, 'every tag to be defined');
    expect(snapshot.defined).to.have.members(TAGS);
    expect(snapshot.resources).to.deep.equal(['/lazy/charivo-elements.js']);
  });

  it('preload() resolves quietly: no error event, no console line (the start that follows reports it)', async () => {
    const site = page();
    await site.call('configure', { adapter });
    expect(await site.call('preload')).to.equal(true);
    const snapshot = await site.call<Snapshot>('snapshot');
    expect(snapshot.events.filter((e) => e.type === 'charivo-error')).to.deep.equal([]);
    expect(snapshot.consoleErrors).to.deep.equal([]);
    expect(snapshot.connection).to.equal('idle');
    // It did try: the missing chunks were asked for.
    expect(snapshot.resources.some((path) => path.startsWith('/lazy/chunks/'))).to.equal(true);
  });

  it('fails loudly on start: a charivo-error and a console error naming the missing code and both ways out', async () => {
    const { snapshot, message } = await expectMissingCodeFailure(page());
    // The browser's own reason, naming the file where the engine does (Chromium and Firefox; WebKit says
    // only "Importing a module script failed").
    if (!/Importing a module script failed/.test(message)) expect(message).to.match(/\/lazy\/chunks\/[\w-]+\.js/);
    // A page that listens to nothing still sees it: the same text on the console, once.
    const logged = snapshot.consoleErrors.filter((line) => line.startsWith('[charivo-elements] Could not load the session transport'));
    expect(logged, snapshot.consoleErrors.join('\n')).to.have.length(1);
    expect(message).to.contain(logged[0]!.slice('[charivo-elements] '.length));
  });
});

describe('script tag from a static server: one chunk of the start missing (the session-config check)', () => {
  const page = pageOf('lazy-no-check');

  it('fails the start with the same missing-code error, whichever file is missing', async () => {
    // Before: the two imports of a start raced, and this file's bare import error reached the page
    // without a code or a console line.
    const { snapshot, message } = await expectMissingCodeFailure(page());
    // Chromium names the chunk it imported whose dependency failed; Firefox the missing file itself.
    if (!/Importing a module script failed/.test(message)) expect(message).to.match(/\/lazy-no-check\/chunks\/[\w-]+\.js/);
    const logged = snapshot.consoleErrors.filter((line) => line.startsWith('[charivo-elements] Could not load the session transport'));
    expect(logged, 'one console line for the one failure').to.have.length(1);
  });
});

