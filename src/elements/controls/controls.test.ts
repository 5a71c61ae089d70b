import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import { emulateColorScheme } from '../../../test/helpers/engine.js';
import { sendKeys } from '../../../test/helpers/keys.js';
import { createTestSession, provideSession, type TestSession } from '../../../test/helpers/session.js';
import './define.js';
import { CharivoControls } from './controls.js';

async function inContext(session: TestSession | undefined, markup = '<charivo-controls></charivo-controls>') {
  const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
  provideSession(wrapper, session);
  wrapper.innerHTML = markup;
  const el = wrapper.firstElementChild as CharivoControls;
  await el.updateComplete;
  return el;
}

const part = (el: CharivoControls, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const disabled = (button: HTMLElement | null) => button!.getAttribute('aria-disabled') === 'true';
const settle = async (el: CharivoControls) => {
  for (let i = 0; i < 3; i += 1) await new Promise<void>((r) => queueMicrotask(r));
  await el.updateComplete;
};
const pointer = (target: HTMLElement, type: string) =>
  target.dispatchEvent(new PointerEvent(type, { bubbles: true, composed: true, button: 0, pointerId: 1, isPrimary: true }));

describe('<charivo-controls>', () => {
  let session: TestSession;
  let unhandled: unknown[];
  const onUnhandled = (event: PromiseRejectionEvent) => {
    unhandled.push(event.reason);
    event.preventDefault();
  };
  beforeEach(() => {
    session = createTestSession();
    unhandled = [];
    window.addEventListener('unhandledrejection', onUnhandled);
  });
  afterEach(async () => {
    window.removeEventListener('unhandledrejection', onUnhandled);
    await session.manager.dispose();
    expect(unhandled).to.deep.equal([]);
  });

  it('is accessible, idle and live with push-to-talk', async () => {
    const el = await inContext(session);
    await expect(el).to.be.accessible();
    session.setPushToTalk(true);
    await session.start();
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });

  it('is accessible in the dark colour scheme', async function () {
    await emulateColorScheme(this, 'dark');
    try {
      session.setPushToTalk(true);
      const el = await inContext(session);
      await expect(el).to.be.accessible();
      await session.start();
      session.setMuted(true);
      await el.updateComplete;
      await expect(el).to.be.accessible();
    } finally {
      await emulateMedia({ colorScheme: 'light' });
    }
  });

  it('renders labelled buttons, all unavailable without a session', async () => {
    const el = await inContext(undefined);
    for (const name of ['start', 'mute', 'interrupt', 'send']) expect(disabled(part(el, name)), name).to.equal(true);
    expect(part(el, 'start')!.textContent).to.equal('Start');
    expect(part(el, 'start')!.getAttribute('aria-label')).to.equal('Start conversation');
    expect((part(el, 'input') as HTMLInputElement).disabled).to.equal(true);
    expect(el.shadowRoot!.querySelector('label[for="message"]')!.textContent).to.equal('Message');
    expect(part(el, 'talk')).to.equal(null);
    part(el, 'start')!.click();
    expect(el.error).to.equal('');
  });

  it('toggles start and stop, labelled by the state', async () => {
    const el = await inContext(session);
    const held = session.transport.hold('connect');
    part(el, 'start')!.click();
    await held.reached;
    await el.updateComplete;
    expect(part(el, 'start')!.textContent).to.equal('Stop');
    expect(part(el, 'start')!.getAttribute('aria-label')).to.equal('Stop conversation');
    held.resolve();
    await settle(el);
    expect(session.state.session.status).to.equal('active');
    expect(part(el, 'start')!.textContent).to.equal('Stop');
    part(el, 'start')!.click();
    await settle(el);
    expect(session.actions).to.deep.equal(['start', 'stop']);
    expect(part(el, 'start')!.textContent).to.equal('Start');
  });

  it('asks the session to fetch its code when the pointer or the focus reaches Start, not while one runs', async () => {
    const el = await inContext(session);
    const start = part(el, 'start')!;
    start.dispatchEvent(new PointerEvent('pointerenter', { pointerId: 1, isPrimary: true }));
    expect(session.preloads).to.equal(1);
    start.focus();
    expect(session.preloads).to.equal(2);
    start.blur();
    start.click();
    await settle(el);
    expect(session.state.session.status).to.equal('active');
    start.dispatchEvent(new PointerEvent('pointerenter', { pointerId: 1, isPrimary: true }));
    start.focus();
    expect(session.preloads).to.equal(2);
    expect(session.actions).to.deep.equal(['start']);
  });

  it('mutes with aria-pressed, from the mouse and the keyboard', async () => {
    const el = await inContext(session);
    const mute = part(el, 'mute')!;
    expect(mute.getAttribute('aria-pressed')).to.equal('false');
    mute.click();
    await el.updateComplete;
    expect(mute.getAttribute('aria-pressed')).to.equal('true');
    mute.focus();
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    expect(mute.getAttribute('aria-pressed')).to.equal('false');
    expect(session.actions).to.deep.equal(['muted:true', 'muted:false']);
  });

  it('enables interrupt only while the assistant responds', async () => {
    const el = await inContext(session);
    await session.start();
    await el.updateComplete;
    const interrupt = part(el, 'interrupt')!;
    expect(disabled(interrupt)).to.equal(true);
    interrupt.click();
    expect(session.actions).to.deep.equal(['start']);
    session.transport.emit('assistant:start', { responseId: 'r1' });
    await el.updateComplete;
    expect(disabled(interrupt)).to.equal(false);
    interrupt.focus();
    await sendKeys({ press: 'Enter' });
    await settle(el);
    expect(session.actions).to.deep.equal(['start', 'interrupt']);
    expect(disabled(interrupt)).to.equal(true);
    // aria-disabled keeps focus on the button instead of dropping it to <body>.
    expect(el.shadowRoot!.activeElement).to.equal(interrupt);
  });

  it('sends with Enter and explains why Send is unavailable', async () => {
    const el = await inContext(session);
    const send = part(el, 'send')!;
    const input = part(el, 'input') as HTMLInputElement;
    expect(disabled(send)).to.equal(true);
    expect(send.title).to.equal('Start the conversation to send a message.');
    expect(input.getAttribute('aria-describedby')).to.equal('send-hint');
    expect(part(el, 'hint')!.textContent).to.equal('Start the conversation to send a message.');
    await session.start();
    await el.updateComplete;
    expect(disabled(send)).to.equal(false);
    expect(send.hasAttribute('title')).to.equal(false);
    expect(input.hasAttribute('aria-describedby')).to.equal(false);
    input.focus();
    await sendKeys({ type: 'Hello there' });
    await sendKeys({ press: 'Enter' });
    await settle(el);
    expect(session.actions).to.deep.equal(['start', 'send:Hello there']);
    expect(input.value).to.equal('');
    // A response is outstanding now.
    expect(disabled(send)).to.equal(true);
    expect(send.title).to.equal('Wait for the reply to finish, or interrupt it.');
    await sendKeys({ type: 'Again' });
    await sendKeys({ press: 'Enter' });
    send.click();
    await settle(el);
    expect(session.actions).to.deep.equal(['start', 'send:Hello there']);
    expect(input.value).to.equal('Again');
    session.transport.respond({ text: 'Hi' });
    await el.updateComplete;
    expect(disabled(send)).to.equal(false);
  });

  it('shows a failed action in the status area without an unhandled rejection', async () => {
    const el = await inContext(session);
    const status = part(el, 'status')!;
    expect(status.getAttribute('role')).to.equal('status');
    session.transport.failNext('connect', new Error('no route'));
    part(el, 'start')!.click();
    await new Promise<void>((resolve) => {
      const off = session.manager.on('realtime:error', () => (off(), resolve()));
    });
    await settle(el);
    expect(status.textContent).to.contain('Start failed:');
    expect(status.textContent).to.contain('no route');
    part(el, 'start')!.click();
    await settle(el);
    expect(status.textContent).to.equal('');
    session.transport.failNext('sendText', new Error('socket gone'));
    (part(el, 'input') as HTMLInputElement).value = 'hi';
    part(el, 'send')!.click();
    await settle(el);
    expect(el.error).to.contain('socket gone');
    expect((part(el, 'input') as HTMLInputElement).value).to.equal('hi');
  });

  it('shows push-to-talk only when the session uses it, and holds with the pointer', async () => {
    const el = await inContext(session);
    await session.start();
    await el.updateComplete;
    expect(part(el, 'talk')).to.equal(null);
    session.setPushToTalk(true);
    await el.updateComplete;
    const talk = part(el, 'talk')!;
    expect(talk.textContent).to.equal('Hold to talk');
    pointer(talk, 'pointerdown');
    await el.updateComplete;
    expect(el.talking).to.equal(true);
    expect(talk.getAttribute('aria-pressed')).to.equal('true');
    pointer(talk, 'pointerdown');
    pointer(talk, 'pointerup');
    await el.updateComplete;
    expect(talk.getAttribute('aria-pressed')).to.equal('false');
    pointer(talk, 'pointerdown');
    pointer(talk, 'pointercancel');
    pointer(talk, 'pointerdown');
    pointer(talk, 'pointerleave');
    await settle(el);
    const talkActions = session.actions.filter((a) => a.endsWith('Talking'));
    expect(talkActions).to.deep.equal(['startTalking', 'stopTalking', 'startTalking', 'stopTalking', 'startTalking', 'stopTalking']);
  });

  it('holds to talk with Space or Enter on the focused button', async () => {
    session.setPushToTalk(true);
    const el = await inContext(session);
    await session.start();
    await el.updateComplete;
    const talk = part(el, 'talk')!;
    talk.focus();
    await sendKeys({ down: 'Space' });
    await el.updateComplete;
    expect(el.talking).to.equal(true);
    talk.dispatchEvent(new KeyboardEvent('keydown', { key: ' ', code: 'Space', repeat: true, bubbles: true, composed: true }));
    await sendKeys({ up: 'Space' });
    await sendKeys({ down: 'Enter' });
    await sendKeys({ up: 'Enter' });
    await settle(el);
    expect(el.talking).to.equal(false);
    expect(session.actions.slice(1)).to.deep.equal(['startTalking', 'stopTalking', 'startTalking', 'stopTalking']);
  });

  it('holds to talk with the talk-key hotkey unless typing in a text field', async () => {
    session.setPushToTalk(true);
    const wrapper = await fixture<HTMLDivElement>(html`<div><input aria-label="Notes" /><button>Other</button></div>`);
    provideSession(wrapper, session);
    wrapper.insertAdjacentHTML('beforeend', '<charivo-controls talk-key="Space"></charivo-controls>');
    const el = wrapper.querySelector('charivo-controls')!;
    await session.start();
    await el.updateComplete;
    expect(part(el, 'talk')!.getAttribute('aria-keyshortcuts')).to.equal('Space');
    const other = wrapper.querySelector('button')!;
    let otherClicks = 0;
    other.addEventListener('click', () => (otherClicks += 1));
    other.focus();
    await sendKeys({ down: 'Space' });
    await el.updateComplete;
    expect(el.talking).to.equal(true);
    await sendKeys({ up: 'Space' });
    expect(el.talking).to.equal(false);
    expect(otherClicks).to.equal(0);

    wrapper.querySelector('input')!.focus();
    await sendKeys({ press: 'Space' });
    (part(el, 'input') as HTMLInputElement).focus();
    await sendKeys({ press: 'Space' });
    expect(session.actions.slice(1)).to.deep.equal(['startTalking', 'stopTalking']);
    expect(wrapper.querySelector('input')!.value).to.equal(' ');
  });

  it('forgets a hold when the session ends', async () => {
    session.setPushToTalk(true);
    const el = await inContext(session);
    await session.start();
    await el.updateComplete;
    pointer(part(el, 'talk')!, 'pointerdown');
    await session.stop();
    await el.updateComplete;
    expect(el.talking).to.equal(false);
    expect(session.actions).to.deep.equal(['start', 'startTalking', 'stop']);
  });

  it('hides the controls listed in hide', async () => {
    session.setPushToTalk(true);
    const el = await inContext(session, '<charivo-controls hide="mute interrupt text talk"></charivo-controls>');
    for (const name of ['mute', 'interrupt', 'talk', 'form']) expect(part(el, name), name).to.equal(null);
    expect(part(el, 'start')).to.not.equal(null);
    el.hide = 'start';
    await el.updateComplete;
    expect(part(el, 'start')).to.equal(null);
    expect(part(el, 'mute')).to.not.equal(null);
  });

  it('binds through for="id"', async () => {
    const root = await fixture<HTMLDivElement>(html`<div><div id="conv"></div></div>`);
    (root.querySelector('#conv') as HTMLElement & { session?: TestSession }).session = session;
    root.insertAdjacentHTML('beforeend', '<charivo-controls for="conv"></charivo-controls>');
    const el = root.querySelector('charivo-controls')!;
    await el.updateComplete;
    part(el, 'start')!.click();
    await settle(el);
    expect(session.actions).to.deep.equal(['start']);
  });

  it('is defined once and survives the define module loading twice', async () => {
    const again = './define.ts?again';
    await import(/* @vite-ignore */ again);
    expect(customElements.get('charivo-controls')).to.equal(CharivoControls);
  });
});
