// End to end with nothing but the script-tag bundle (dist/charivo-elements.js, built by `npm test`
// before the browser tests) and the tags, in a page of its own: the real route at /api/realtime in
// front of the emulator, real WebRTC, or the WebSocket adapter the page names as its fallback in an
// engine without WebRTC (WebKitGTK here).
import { expect } from '@open-wc/testing';
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

function nextEvent(target: EventTarget, type: string, ms = 15_000): Promise<CustomEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} within ${ms} ms`)), ms);
    target.addEventListener(type, (event) => {
      clearTimeout(timer);
      resolve(event as CustomEvent);
    }, { once: true });
  });
}

describe('script-tag bundle', () => {
  let frame: HTMLIFrameElement;
  let win: Window & typeof globalThis;
  let session: HTMLElement & Record<string, any>;

  before(async () => {
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

    const started = nextEvent(session, 'charivo-session-start');
    await session.start();
    const { sessionId } = (await started).detail;
    expect(sessionId).to.be.a('string');

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
  });
});
