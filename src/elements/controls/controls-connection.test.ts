// A lost connection is visible in <charivo-controls>: "Reconnecting…" as visible text in a live region
// while the manager recovers, and after it gives up an error with a Retry button that starts again.
// The drop is FakeRealtimeTransport.loseConnection (the e2e suite drops a real one).
import { expect, fixture, html } from '@open-wc/testing';
import { sendMouse } from '@web/test-runner-commands';
import { settle } from '../../../test/helpers/a11y.js';
import { createTestSession, provideSession, type TestSession } from '../../../test/helpers/session.js';
import './define.js';
import type { CharivoControls } from './controls.js';

async function inContext(session: TestSession): Promise<CharivoControls> {
  const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
  provideSession(wrapper, session);
  wrapper.innerHTML = '<charivo-controls></charivo-controls>';
  const el = wrapper.firstElementChild as CharivoControls;
  await el.updateComplete;
  return el;
}

const part = (el: CharivoControls, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);

/** The element's text that a sighted user sees: rendered, not visually hidden, not display:none. */
function visibleText(element: HTMLElement | null): string {
  if (!element) return '';
  const rect = element.getBoundingClientRect();
  const style = getComputedStyle(element);
  if (rect.width <= 1 || rect.height <= 1 || style.visibility === 'hidden' || style.display === 'none' || style.clipPath === 'inset(50%)') return '';
  return element.textContent?.trim() ?? '';
}

function nextEvent(session: TestSession, name: 'realtime:reconnect:exhausted' | 'realtime:reconnect:success' | 'realtime:error'): Promise<void> {
  return new Promise((resolve) => {
    const off = session.manager.on(name, () => {
      off();
      resolve();
    });
  });
}

function untilState(session: TestSession, predicate: (state: TestSession['state']) => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (predicate(session.manager.getState())) return resolve();
    const off = session.manager.on('realtime:state', ({ state }) => {
      if (!predicate(state)) return;
      off();
      resolve();
    });
  });
}

/** Re-checks once per frame (bounded) until `predicate` holds; fails naming `what`. */
async function until(predicate: () => boolean, what: string, maxFrames = 120): Promise<void> {
  for (let i = 0; i < maxFrames && !predicate(); i += 1) await new Promise((r) => requestAnimationFrame(r));
  if (!predicate()) throw new Error(`${what}: not true after ${maxFrames} frames`);
}

function center(element: Element): [number, number] {
  const rect = element.getBoundingClientRect();
  return [Math.round(rect.left + rect.width / 2), Math.round(rect.top + rect.height / 2)];
}

describe('<charivo-controls> connection', () => {
  let session: TestSession;

  beforeEach(async () => {
    session = createTestSession();
    await session.start();
  });

  afterEach(() => session.manager.dispose());

  it('shows "Reconnecting…" as visible text in a live region while the connection is recovered, then clears it', async () => {
    const el = await inContext(session);
    const held = session.transport.hold('connect');
    session.transport.loseConnection('ice-failed');
    await held.reached;
    await el.updateComplete;
    const region = el.shadowRoot!.querySelector<HTMLElement>('[role="status"]');
    expect(region, 'a status region').to.not.equal(null);
    expect(visibleText(region)).to.equal('Reconnecting…');
    // The state change starts colour transitions: axe measures the colours they end on.
    await settle();
    await expect(el).to.be.accessible();

    const back = nextEvent(session, 'realtime:reconnect:success');
    held.resolve();
    await back;
    await el.updateComplete;
    expect(visibleText(region)).to.equal('');
    expect(part(el, 'retry')).to.equal(null);
  });

  it('after reconnecting gives up, shows the error and a Retry button that starts the session again', async () => {
    const el = await inContext(session);
    session.transport.failNext('connect', new Error('still down'));
    session.transport.failNext('connect', new Error('still down'));
    const exhausted = nextEvent(session, 'realtime:reconnect:exhausted');
    session.transport.loseConnection('socket-closed');
    await exhausted;
    const region = el.shadowRoot!.querySelector<HTMLElement>('[role="status"], [role="alert"]');
    await until(() => visibleText(region).startsWith('Connection lost'), 'the status shows the lost connection');
    expect(visibleText(region)).to.match(/^Connection lost\b/);
    expect(visibleText(region)).to.contain('still down');
    const retry = part(el, 'retry');
    expect(retry, 'a Retry button').to.not.equal(null);
    expect(retry!.tagName).to.equal('BUTTON');
    expect(visibleText(retry)).to.equal('Retry');
    expect(retry!.getAttribute('aria-disabled')).to.not.equal('true');
    // Start is not quietly back to "Start" as if nothing happened: the error stays until an action.
    expect(part(el, 'start')!.textContent).to.equal('Start');
    // The state change starts colour transitions: axe measures the colours they end on.
    await settle();
    await expect(el).to.be.accessible();

    const connects = session.transport.callsOf('connect').length;
    await sendMouse({ type: 'click', position: center(retry!) });
    await untilState(session, (state) => state.connection === 'connected');
    await el.updateComplete;
    expect(session.transport.callsOf('connect').length).to.equal(connects + 1);
    expect(session.manager.getState().session.status).to.equal('active');
    expect(part(el, 'retry')).to.equal(null);
    expect(visibleText(region)).to.equal('');
  });

  it('a start that fails offers Retry as well, and a retry that fails again says so', async () => {
    await session.stop();
    const el = await inContext(session);
    session.transport.failNext('connect', new Error('no route'));
    part(el, 'start')!.click();
    const region = el.shadowRoot!.querySelector<HTMLElement>('[role="status"], [role="alert"]');
    await until(() => visibleText(region).includes('no route'), 'the status shows why the start failed');
    const retry = part(el, 'retry');
    expect(retry).to.not.equal(null);
    session.transport.failNext('connect', new Error('no route, again'));
    retry!.click();
    await until(() => visibleText(region).includes('no route, again'), 'the status shows why the retry failed');
    expect(part(el, 'retry')).to.not.equal(null);
  });
});
