// <charivo-controls> without a microphone: the notice lives in a polite live region that exists
// before it speaks, says that typing works and how to get the microphone back, offers a retry that
// reports a retry that changed nothing, and disappears once the microphone is live.
import { expect, fixture, html } from '@open-wc/testing';
import { createTestSession, provideSession, type TestSession } from '../../../test/helpers/session.js';
import { AudioDeviceError } from '../../transports/audio/errors.js';
import './define.js';
import type { CharivoControls } from './controls.js';

const part = (el: CharivoControls, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const settle = async (el: CharivoControls) => {
  for (let i = 0; i < 3; i += 1) await new Promise<void>((r) => queueMicrotask(r));
  await el.updateComplete;
};

describe('<charivo-controls> without a microphone', () => {
  let session: TestSession;
  let el: CharivoControls;
  beforeEach(async () => {
    session = createTestSession({ wakeLock: false });
    const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
    provideSession(wrapper, session);
    wrapper.innerHTML = '<charivo-controls></charivo-controls>';
    el = wrapper.firstElementChild as CharivoControls;
    await el.updateComplete;
  });
  afterEach(() => session.manager.dispose());

  it('has an empty live region until the microphone is missing, then says so and is accessible', async () => {
    expect(part(el, 'mic-notice')!.getAttribute('role')).to.equal('status');
    expect(part(el, 'mic-notice')!.textContent!.trim()).to.equal('');
    await session.start();
    session.transport.emit('microphone', { status: 'denied', error: new AudioDeviceError('microphone_permission_denied', 'denied') });
    await settle(el);
    expect(part(el, 'mic-notice')!.textContent!.trim()).to.match(/^Microphone blocked: you can type your messages/);
    expect(part(el, 'mic-retry')!.textContent!.trim()).to.equal('Try the microphone again');
    await expect(el).to.be.accessible();
    for (const [status, text] of [
      ['absent', /^No microphone found/],
      ['unavailable', /^The microphone could not be started/],
    ] as const) {
      session.transport.emit('microphone', { status });
      await settle(el);
      expect(part(el, 'mic-notice')!.textContent!.trim()).to.match(text);
    }
  });

  it('the retry asks again; one that changed nothing says so; a live microphone clears the notice', async () => {
    await session.start();
    session.transport.emit('microphone', { status: 'denied' });
    await settle(el);
    session.transport.microphoneOnRetry = 'denied';
    part(el, 'mic-retry')!.click();
    await settle(el);
    expect(session.actions).to.include('retryMicrophone');
    expect(part(el, 'status')!.textContent!.trim()).to.equal('Microphone failed: still blocked');
    session.transport.microphoneOnRetry = 'live';
    part(el, 'mic-retry')!.click();
    await settle(el);
    expect(part(el, 'mic-notice')!.textContent!.trim()).to.equal('');
    expect(part(el, 'mic-retry')).to.equal(null);
    expect(part(el, 'status')!.textContent!.trim()).to.equal('');
  });

  it('typing stays available; push-to-talk is unavailable without a microphone', async () => {
    session.setPushToTalk(true);
    await session.start();
    session.transport.emit('microphone', { status: 'absent' });
    await settle(el);
    expect(part(el, 'send')!.getAttribute('aria-disabled')).to.equal('false');
    expect(part(el, 'talk')!.getAttribute('aria-disabled')).to.equal('true');
  });

  it('says nothing once the session stopped', async () => {
    await session.start();
    session.transport.emit('microphone', { status: 'denied' });
    await session.stop();
    await settle(el);
    expect(part(el, 'mic-notice')!.textContent!.trim()).to.equal('');
  });
});
