// End to end: a real connection drop (the emulator closes the socket and stays down) is visible in the
// kit's own elements. <charivo-controls> reads "Reconnecting…" while the manager retries, then the error
// with a Retry button; <charivo-avatar> wears its reconnecting, then lost look; Retry (a real click)
// starts a new session once the emulator is back, and both elements look normal again.
import { expect, fixture, html } from '@open-wc/testing';
import { sendMouse } from '@web/test-runner-commands';
import '../../../src/elements/index.js';
import type { CharivoAvatar } from '../../../src/elements/avatar/avatar.js';
import type { CharivoControls } from '../../../src/elements/controls/controls.js';
import type { CharivoSession } from '../../../src/elements/session-context.js';
import { provideSession } from '../../helpers/session.js';
import { emulator, harness, installResourceTracking, lastSocket, next, type Harness } from '../websocket/helpers.js';

installResourceTracking();

/** The handle <charivo-realtime> would provide, over the harness's real manager and remote client. */
function handleFor(h: Harness): CharivoSession {
  const listeners = new Set<() => void>();
  h.manager.on('realtime:state', () => listeners.forEach((listener) => listener()));
  return {
    manager: h.manager,
    get state() {
      return h.manager.getState();
    },
    muted: true,
    pushToTalk: false,
    levels: { output: h.client.levels.output, input: h.client.levels.input },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start: () => h.manager.startSession(),
    stop: () => h.manager.stopSession(),
    send: (text) => h.manager.sendMessage(text),
    interrupt: () => h.manager.interrupt(),
    setMuted: (muted) => h.manager.setMuted(muted),
    startTalking: () => h.manager.startTalking(),
    stopTalking: () => h.manager.stopTalking(),
    retryMicrophone: () => h.manager.retryMicrophone(),
    sendImage: (source, text, options) => h.manager.sendImage(source, text, options),
  };
}

const part = (el: HTMLElement, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const statusText = (controls: CharivoControls) => part(controls, 'status')!.textContent!.trim();

async function until(predicate: () => boolean, what: string, maxFrames = 600): Promise<void> {
  for (let i = 0; i < maxFrames && !predicate(); i += 1) await new Promise((r) => requestAnimationFrame(r));
  if (!predicate()) throw new Error(`${what}: not true after ${maxFrames} frames`);
}

function center(element: Element): [number, number] {
  const rect = element.getBoundingClientRect();
  return [Math.round(rect.left + rect.width / 2), Math.round(rect.top + rect.height / 2)];
}

describe('e2e: a lost connection in the elements', () => {
  let h: Harness;

  afterEach(async () => {
    await emulator.faults({});
    await h.manager.dispose();
    await h.audio.close();
  });

  it('controls and avatar show reconnecting, then the loss with Retry, and Retry brings the session back', async function () {
    this.timeout(40_000);
    h = harness({ reconnect: { baseDelayMs: 400, maxDelayMs: 400, maxAttempts: 2, jitter: 0 } });
    await h.client.prepareAudio();
    h.manager.setMuted(true);
    const host = await fixture<HTMLDivElement>(html`<div></div>`);
    provideSession(host, handleFor(h));
    host.innerHTML = '<charivo-avatar></charivo-avatar><charivo-controls></charivo-controls>';
    const avatar = host.querySelector<CharivoAvatar>('charivo-avatar')!;
    const controls = host.querySelector<CharivoControls>('charivo-controls')!;
    await controls.updateComplete;

    await sendMouse({ type: 'click', position: center(part(controls, 'start')!) });
    await until(() => h.manager.getState().connection === 'connected', 'the session started from the Start button');
    expect(statusText(controls)).to.equal('');

    // The provider goes away: the socket is closed and every new connection is refused.
    await emulator.faults({ down: true });
    const attempt = next(h.manager, 'realtime:reconnect:attempt', () => true, 8000);
    await emulator.close(lastSocket().sessionId!);
    await attempt;
    await until(() => statusText(controls) === 'Reconnecting…', 'controls say Reconnecting…');
    expect(part(controls, 'status')!.getAttribute('role')).to.equal('status');
    expect(part(controls, 'status')!.getBoundingClientRect().height).to.be.greaterThan(1);
    expect(avatar.getAttribute('connection')).to.equal('reconnecting');

    await next(h.manager, 'realtime:reconnect:exhausted', () => true, 15_000);
    await until(() => statusText(controls).startsWith('Connection lost'), 'controls say the connection was lost');
    await until(() => avatar.getAttribute('connection') === 'lost', 'the avatar looks lost');
    const retry = part(controls, 'retry');
    expect(retry, 'a Retry button').to.not.equal(null);

    await emulator.faults({});
    await sendMouse({ type: 'click', position: center(retry!) });
    await until(() => h.manager.getState().connection === 'connected', 'Retry started the session again', 900);
    await controls.updateComplete;
    await avatar.updateComplete;
    expect(statusText(controls)).to.equal('');
    expect(part(controls, 'retry')).to.equal(null);
    expect(avatar.hasAttribute('connection')).to.equal(false);

    // The new session works.
    const reply = next(h.manager, 'realtime:assistant:done', () => true, 12_000);
    await h.manager.sendMessage('are you back?');
    expect((await reply).text).to.equal('You said "are you back?". This is the emulator speaking.');
  });
});
