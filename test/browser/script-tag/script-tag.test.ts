// End to end with nothing but the script-tag bundle (dist/charivo-elements.js, built by `npm test`
// before the browser tests) and the tags, in a page of its own: the real route at /api/realtime in
// front of the emulator, real WebRTC, or the WebSocket adapter the page names as its fallback in an
// engine without WebRTC (WebKitGTK here). The session code (manager, validator, transports) is not part
// of the first load: the page fetches it on the first start(), which these tests check from the files
// the page loaded against the build's manifest (dist/.vite/script-manifest.json).
import { expect } from '@open-wc/testing';
import { nextEvent } from './events.js';
// @ts-expect-error virtual module served by the test server
import { emulatorUrl } from '/__charivo/emulator.js';

const PAGE = `<!doctype html>
<html lang="en">
  <body>
    <charivo-realtime id="session" voice="marin" fallback-adapter="openai-websocket">
      <charivo-avatar avatar-tools></charivo-avatar>
      <charivo-mic-meter></charivo-mic-meter>
      <charivo-transcript></charivo-transcript>
      <charivo-controls></charivo-controls>
    </charivo-realtime>
    <script type="module" src="/dist/charivo-elements.js"></script>
  </body>
</html>`;

/** Resolves when `predicate` holds, checked every animation frame; fails after `ms` with `what`. */
function until(win: Window, predicate: () => boolean, what: string, ms = 15_000): Promise<void> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const check = () => {
      if (predicate()) return resolve();
      if (performance.now() - started > ms) return reject(new Error(`timed out waiting for ${what}`));
      win.requestAnimationFrame(check);
    };
    check();
  });
}

interface ManifestChunk {
  file: string;
  imports?: string[];
  isEntry?: boolean;
  isDynamicEntry?: boolean;
}

/** Files (paths under /dist/) reachable from `keys` by static imports. */
function closure(manifest: Record<string, ManifestChunk>, keys: string[]): Set<string> {
  const files = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key]!;
    if (files.has(`/dist/${chunk.file}`)) return;
    files.add(`/dist/${chunk.file}`);
    chunk.imports?.forEach(visit);
  };
  keys.forEach(visit);
  return files;
}

/** The source module of the adapter a session uses (the WebSocket fallback's in an engine without WebRTC). */
const adapterModuleOf = (adapter: string) =>
  adapter === 'openai-websocket' ? 'src/transports/openai-websocket/index.ts' : 'src/transports/openai-webrtc/agents-adapter.ts';

/** The scripts a window loaded (paths). */
const loadedScripts = (win: Window) =>
  win.performance.getEntriesByType('resource').map((entry) => new URL(entry.name).pathname).filter((path) => path.endsWith('.js'));

describe('script-tag bundle', () => {
  let manifest: Record<string, ManifestChunk>;
  /** What the page's script loads by itself, and each file of session code (reached only by dynamic imports). */
  let firstLoad: Set<string>;
  let sessionCode: (key: string) => string[];
  /** The file (path under /dist/) that holds a source module. */
  let fileOf: (module: string) => string;

  let frame: HTMLIFrameElement;
  let win: Window & typeof globalThis;
  let session: HTMLElement & Record<string, any>;

  before(async () => {
    manifest = await (await fetch('/dist/.vite/script-manifest.json')).json();
    // Which file holds each source module (scripts/module-map.mjs): the manifest names only modules
    // that are a chunk's own, not those grouped into the session and adapter chunks.
    const modules: Record<string, string> = await (await fetch('/dist/.vite/script-modules.json')).json();
    const keyOfFile = new Map(Object.entries(manifest).map(([key, chunk]) => [chunk.file, key]));
    const keyOf = (module: string) => {
      const key = keyOfFile.get(modules[module]!);
      if (!key) throw new Error(`no built file holds ${module}`);
      return key;
    };
    fileOf = (module) => `/dist/${manifest[keyOf(module)]!.file}`;
    firstLoad = closure(manifest, ['src/script-tag.ts']);
    sessionCode = (module) => [...closure(manifest, [keyOf(module)])].filter((file) => !firstLoad.has(file));
    frame = document.createElement('iframe');
    frame.style.width = '900px';
    frame.style.height = '700px';
    frame.srcdoc = PAGE;
    const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
    document.body.append(frame);
    await loaded;
    win = frame.contentWindow as Window & typeof globalThis;
    await win.customElements.whenDefined('charivo-realtime');
    session = win.document.querySelector('charivo-realtime') as HTMLElement & Record<string, any>;
  });

  after(async () => {
    await session?.stop?.();
    frame?.remove();
  });

  it('defines every tag on load from one script', async () => {
    for (const tag of ['charivo-realtime', 'charivo-avatar', 'charivo-mic-meter', 'charivo-transcript', 'charivo-controls']) {
      expect(win.customElements.get(tag), tag).to.be.a('function');
    }
    // The transport is not part of the first load: no peer connection code ran yet.
    expect(session.state.connection).to.equal('idle');
    // WebRTC where the engine has it, else the fallback the page asked for.
    const expected = typeof (win as unknown as { RTCPeerConnection?: unknown }).RTCPeerConnection === 'function' ? 'openai-agents-webrtc' : 'openai-websocket';
    expect(session.activeAdapter).to.equal(expected);
  });

  it('loads no session code before start(): the manager, the validator and the transports are fetched on first need', async () => {
    const sessionModules = ['src/elements/realtime/session-runtime.ts', 'src/transports/remote/index.ts', 'src/manager/realtime-manager.ts'];
    const lazyFiles = new Set([...sessionModules, 'src/elements/realtime/session-config-check.ts'].flatMap(sessionCode));
    // Each is a file of its own, reached only by import(): none of it is in the first load.
    for (const module of sessionModules) expect(sessionCode(module), module).to.not.be.empty;
    const loaded = loadedScripts(win);
    expect(loaded.filter((file) => lazyFiles.has(file)), 'session code in the first load').to.deep.equal([]);
    expect(loaded.filter((file) => file.startsWith('/dist/')).sort()).to.deep.equal([...firstLoad].sort());
    // What is set before the code loads is kept and checked by what is there: tools, the character.
    expect(session.manager.getState().session.status).to.equal('idle');
    expect(() => session.manager.registerTool({ definition: { type: 'function', name: 'bad name' }, handler: () => ({}) })).to.throw(/definition.name/);
    expect(loadedScripts(win).filter((file) => lazyFiles.has(file))).to.deep.equal([]);
  });

  it('checks a sessionConfig set before start() once its validator has loaded: an invalid one goes back, with charivo-error', async () => {
    const errors: CustomEvent[] = [];
    const onError = (event: Event) => errors.push(event as CustomEvent);
    session.addEventListener('charivo-error', onError);
    try {
      session.sessionConfig = { speed: 9 };
      await session.updateComplete;
      expect(errors.map((event) => [event.detail.code, event.detail.source])).to.deep.equal([['invalid_property', 'sessionConfig']]);
      expect(errors[0]!.detail.message).to.match(/speed: must be between 0.25 and 1.5/);
      expect(session.sessionConfig).to.deep.equal({});
      expect(loadedScripts(win)).to.include.members(sessionCode('src/elements/realtime/session-config-check.ts'));
      // The check alone: the manager's code is not fetched for it.
      expect(loadedScripts(win)).to.not.include(fileOf('src/manager/realtime-manager.ts'));
      // Loaded now: the next value is checked at once, and a valid one stays.
      session.sessionConfig = { speed: 1.2 };
      await session.updateComplete;
      expect(session.sessionConfig).to.deep.equal({ speed: 1.2 });
      session.sessionConfig = {};
      await session.updateComplete;
      expect(errors).to.have.length(1);
    } finally {
      session.removeEventListener('charivo-error', onError);
    }
  });

  it('preload() fetches the session code and the adapter\'s, and starts nothing: no route request, no microphone, no AudioContext', async () => {
    const adapterModule = adapterModuleOf(session.activeAdapter);
    const wanted = [
      ...sessionCode('src/elements/realtime/session-runtime.ts'),
      ...sessionCode('src/transports/remote/index.ts'),
      ...sessionCode('src/elements/realtime/session-config-check.ts'),
      ...sessionCode(adapterModule),
    ];
    expect(loadedScripts(win)).to.not.include.members(wanted);
    const requests: string[] = [];
    const pageFetch = win.fetch;
    win.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      requests.push(`${init?.method ?? 'GET'} ${String(input instanceof Request ? input.url : input)}`);
      return pageFetch.call(win, input, init);
    };
    const devices = win.navigator.mediaDevices;
    const getUserMedia = devices.getUserMedia;
    devices.getUserMedia = (constraints) => {
      requests.push('getUserMedia');
      return getUserMedia.call(devices, constraints);
    };
    const PageAudioContext = win.AudioContext;
    win.AudioContext = new Proxy(PageAudioContext, {
      construct(target, args, newTarget) {
        requests.push('new AudioContext');
        return Reflect.construct(target, args, newTarget);
      },
    });
    try {
      // The controls call it when the pointer reaches Start; a page may call it as often as it likes.
      await Promise.all([session.preload(), session.preload()]);
      expect(loadedScripts(win)).to.include.members(wanted);
      expect(requests).to.deep.equal([]);
      expect(session.state.connection).to.equal('idle');
    } finally {
      win.fetch = pageFetch;
      devices.getUserMedia = getUserMedia;
      win.AudioContext = PageAudioContext;
    }
  });

  it('runs a session: a turn streams into the transcript, the mouth opens, a page tool round-trips, the meter moves', async function () {
    // A whole session in a frame (connect, a spoken reply, a tool round trip): past 20 s in WebKit on a
    // loaded 2-core machine, with every wait inside bounded on its own event.
    this.timeout(40_000);
    const toolCalls: unknown[] = [];
    session.addEventListener('charivo-tool-call', (event: Event) => toolCalls.push((event as CustomEvent).detail));
    session.tools = [
      {
        definition: {
          type: 'function',
          name: 'rollDice',
          description: 'Roll a die.',
          parameters: { type: 'object', properties: { sides: { type: 'integer', minimum: 2 } }, required: ['sides'] },
        },
        handler: ({ sides }: { sides: number }) => ({ sides, result: Math.min(sides, 4) }),
      },
    ];
    // Push-to-talk: the fake microphone moves the meter without starting turns of its own.
    session.setAttribute('push-to-talk', '');
    const avatar = win.document.querySelector('charivo-avatar') as HTMLElement & { renderer: { setMouthOpen(v: number): void } };
    let widestMouth = 0;
    const renderer = avatar.renderer;
    const setMouthOpen = renderer.setMouthOpen.bind(renderer);
    renderer.setMouthOpen = (value: number) => {
      widestMouth = Math.max(widestMouth, value);
      setMouthOpen(value);
    };

    const scriptsBefore = loadedScripts(win);
    const started = nextEvent(session, 'charivo-session-start');
    await session.start();
    const { sessionId } = (await started).detail;
    expect(sessionId).to.be.a('string');
    // preload() (the test before) fetched what the start runs: the start fetched no script.
    expect(loadedScripts(win).filter((file) => !scriptsBefore.includes(file))).to.deep.equal([]);
    // The session code is in: the manager's, the remote client's, the adapter's (the WebSocket
    // fallback's in an engine without WebRTC).
    const adapterModule = adapterModuleOf(session.activeAdapter);
    expect(loadedScripts(win)).to.include.members([
      ...sessionCode('src/elements/realtime/session-runtime.ts'),
      ...sessionCode('src/transports/remote/index.ts'),
      ...sessionCode(adapterModule),
    ]);

    const meter = win.document.querySelector('charivo-mic-meter')!.shadowRoot!.querySelector('[role="meter"]')!;
    await until(win, () => Number(meter.getAttribute('aria-valuenow')) > 0, 'the mic meter to move');

    const done = nextEvent(session, 'charivo-assistant-done', 20_000);
    await session.send('Hello from the script tag');
    expect((await done).detail.status).to.equal('completed');
    const transcript = win.document.querySelector('charivo-transcript')!;
    expect(transcript.shadowRoot!.textContent).to.contain('Hello from the script tag');
    expect(transcript.shadowRoot!.textContent).to.contain('This is the emulator speaking');
    await until(win, () => widestMouth > 0.1, 'the mouth to open during the reply');

    await until(win, () => !session.state.awaitingResponse && session.state.response.status !== 'responding', 'the turn to settle');
    const result = nextEvent(session, 'charivo-tool-result', 20_000);
    // The result goes back once the tool-calling response ends; the reply to it comes after.
    const followUp = new Promise<CustomEvent>((resolve) =>
      session.addEventListener('charivo-assistant-done', function listener(event: Event) {
        if ((event as CustomEvent).detail.text) {
          session.removeEventListener('charivo-assistant-done', listener);
          resolve(event as CustomEvent);
        }
      }),
    );
    await session.send('call rollDice {"sides":6}');
    expect((await result).detail.result).to.deep.equal({ sides: 6, result: 4 });
    await followUp;
    expect(toolCalls).to.have.length(1);
    expect(toolCalls[0]).to.deep.include({ name: 'rollDice', args: { sides: 6 } });

    // The page's handler result reached the emulator as a function_call_output.
    const sessions = (await (await fetch(`${emulatorUrl}/_emulator/sessions`)).json()).sessions as Array<{ id: string }>;
    const logs = await Promise.all(sessions.map(async ({ id }) => (await fetch(`${emulatorUrl}/_emulator/sessions/${id}/events`)).json()));
    const outputs = logs.flatMap((log: { events: Array<{ direction: string; type: string; event: any }> }) =>
      log.events.filter((e) => e.direction === 'client' && e.type === 'conversation.item.create' && e.event.item?.type === 'function_call_output'),
    );
    expect(outputs.map((e) => e.event.item.output), JSON.stringify(logs.map((l: any) => l.events.filter((e: any) => e.direction === 'client').map((e: any) => e.type)))).to.include(
      JSON.stringify({ sides: 6, result: 4 }),
    );

    // An image: its encoder loads with the first image sent, not with the session, and the reply comes.
    const encoder = fileOf('src/manager/image-encode.ts');
    expect(sessionCode('src/manager/image-encode.ts'), 'the encoder is a file of its own').to.include(encoder);
    expect(loadedScripts(win)).to.not.include(encoder);
    const picture = win.document.createElement('canvas');
    picture.width = 64;
    picture.height = 48;
    picture.getContext('2d')!.fillRect(0, 0, 64, 48);
    await until(win, () => !session.state.awaitingResponse && session.state.response.status !== 'responding', 'the tool reply to settle');
    const imageReply = nextEvent(session, 'charivo-assistant-done', 20_000);
    const image = await session.sendImage(picture, 'What is this?');
    expect(image).to.deep.include({ width: 64, height: 48, type: 'image/jpeg' });
    expect((await imageReply).detail.status).to.equal('completed');
    expect(loadedScripts(win)).to.include(encoder);
  });
});
