import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import { emulateColorScheme } from '../../../test/helpers/engine.js';
import { createTestSession, provideSession, type TestSession } from '../../../test/helpers/session.js';
import './define.js';
import { CharivoMicMeter } from './mic-meter.js';

const frames = () => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())));

async function inContext(session: TestSession | undefined, markup = '<charivo-mic-meter></charivo-mic-meter>') {
  const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
  provideSession(wrapper, session);
  wrapper.innerHTML = markup;
  const el = wrapper.firstElementChild as CharivoMicMeter;
  await el.updateComplete;
  return el;
}

const meterOf = (el: CharivoMicMeter) => el.shadowRoot!.querySelector('[role="meter"]')!;

describe('<charivo-mic-meter>', () => {
  let session: TestSession;
  beforeEach(async () => {
    session = createTestSession();
  });
  afterEach(async () => {
    session.transport.levels.input.set(0);
    await session.manager.dispose();
  });

  it('is accessible', async () => {
    const el = await inContext(session);
    await expect(el).to.be.accessible();
    await session.start();
    session.transport.levels.input.set(0.4);
    await frames();
    await expect(el).to.be.accessible();
  });

  it('is accessible in the dark colour scheme', async function () {
    await emulateColorScheme(this, 'dark');
    try {
      const el = await inContext(session);
      await session.start();
      session.transport.levels.input.set(0.6);
      await frames();
      await expect(el).to.be.accessible();
      session.setMuted(true);
      await el.updateComplete;
      await expect(el).to.be.accessible();
    } finally {
      await emulateMedia({ colorScheme: 'light' });
    }
  });

  it('is a labelled meter from 0 to 100, off without an active session', async () => {
    const el = await inContext(session);
    const meter = meterOf(el);
    expect(meter.getAttribute('aria-label')).to.equal('Microphone level');
    expect(meter.getAttribute('aria-valuemin')).to.equal('0');
    expect(meter.getAttribute('aria-valuemax')).to.equal('100');
    expect(meter.getAttribute('aria-valuenow')).to.equal('0');
    expect(meter.getAttribute('aria-valuetext')).to.equal('Microphone off');
    expect(el.getAttribute('state')).to.equal('off');
  });

  it('is off with no session at all', async () => {
    const el = await inContext(undefined);
    expect(el.state).to.equal('off');
    expect(meterOf(el).getAttribute('aria-valuetext')).to.equal('Microphone off');
  });

  it('follows the input level in 5% steps once the session is active', async () => {
    const el = await inContext(session);
    await session.start();
    session.transport.levels.input.set(0.42);
    await frames();
    await el.updateComplete;
    const meter = meterOf(el);
    expect(el.state).to.equal('live');
    expect(meter.getAttribute('aria-valuenow')).to.equal('40');
    expect(meter.getAttribute('aria-valuetext')).to.equal('Microphone level 40%');
    expect(el.shadowRoot!.querySelectorAll('[part~="lit"]')).to.have.length(4);
    session.transport.levels.input.set(0.9);
    await frames();
    await el.updateComplete;
    expect(meter.getAttribute('aria-valuenow')).to.equal('90');
  });

  it('shows muted distinctly and stops sampling', async () => {
    const el = await inContext(session);
    await session.start();
    session.transport.levels.input.set(0.5);
    await frames();
    session.setMuted(true);
    await el.updateComplete;
    const meter = meterOf(el);
    expect(el.state).to.equal('muted');
    expect(el.getAttribute('state')).to.equal('muted');
    expect(meter.getAttribute('aria-valuetext')).to.equal('Microphone muted');
    expect(meter.getAttribute('aria-valuenow')).to.equal('0');
    expect(meter.classList.contains('muted')).to.equal(true);
    const reads = session.transport.levels.input.reads;
    await frames();
    expect(session.transport.levels.input.reads).to.equal(reads);
    session.setMuted(false);
    await frames();
    await el.updateComplete;
    expect(meter.getAttribute('aria-valuetext')).to.equal('Microphone level 50%');
  });

  it('does not re-render while the level is unchanged', async () => {
    const el = await inContext(session);
    await session.start();
    session.transport.levels.input.set(0.3);
    await frames();
    await el.updateComplete;
    let renders = 0;
    const original = (el as unknown as { render(): unknown }).render.bind(el);
    (el as unknown as { render(): unknown }).render = () => {
      renders += 1;
      return original();
    };
    const reads = session.transport.levels.input.reads;
    for (let i = 0; i < 5; i += 1) await frames();
    expect(session.transport.levels.input.reads - reads).to.be.greaterThan(5);
    // A tiny wobble inside the same 5% step must not render either.
    session.transport.levels.input.set(0.31);
    await frames();
    expect(renders).to.equal(0);
    session.transport.levels.input.set(0.6);
    await frames();
    await el.updateComplete;
    expect(renders).to.equal(1);
  });

  it('samples a quiet open microphone ten times a second, not every frame, and every frame again once it hears something', async () => {
    const el = await inContext(session);
    await session.start();
    const source = session.transport.levels.input;
    /** Reads of the source and frames the page drew over `ms`. */
    const over = async (ms: number) => {
      const reads = source.reads;
      let frames = 0;
      let running = true;
      const count = () => {
        frames += 1;
        if (running) requestAnimationFrame(count);
      };
      requestAnimationFrame(count);
      await new Promise((resolve) => setTimeout(resolve, ms));
      running = false;
      return { reads: source.reads - reads, frames };
    };
    // Active (an open microphone) but below the first 5% step: reads as 0.
    source.set(0.01);
    await new Promise((resolve) => setTimeout(resolve, 700));
    const quiet = await over(1000);
    expect(meterOf(el).getAttribute('aria-valuenow')).to.equal('0');
    expect(quiet.reads, `reads in a quiet second (${quiet.frames} frames)`).to.be.at.most(12);
    expect(quiet.frames, 'the page kept drawing frames').to.be.greaterThan(quiet.reads);
    source.set(0.6);
    // The next quiet poll (100 ms) hears it; counted in frames, so a late timer on a loaded machine only waits longer.
    for (let i = 0; i < 600 && meterOf(el).getAttribute('aria-valuenow') !== '60'; i += 1) await el.updateComplete.then(() => frames());
    expect(meterOf(el).getAttribute('aria-valuenow')).to.equal('60');
    const heard = await over(500);
    expect(heard.reads, `reads while it hears (${heard.frames} frames)`).to.be.at.least(heard.frames - 2);
  });

  it('samples a long silence four times a second, and still shows the first sound after it', async function () {
    this.timeout(15_000);
    const el = await inContext(session);
    await session.start();
    const source = session.transport.levels.input;
    source.set(0.01);
    // Past the three quiet seconds (the level read 0 since the start).
    await new Promise((resolve) => setTimeout(resolve, 3300));
    const reads = source.reads;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const long = source.reads - reads;
    expect(long, 'reads in a quiet second after three (ten before)').to.be.within(1, 5);
    const spoke = performance.now();
    source.set(0.6);
    while (meterOf(el).getAttribute('aria-valuenow') !== '60' && performance.now() - spoke < 2000) await el.updateComplete.then(() => frames());
    expect(meterOf(el).getAttribute('aria-valuenow'), 'the first sound shows').to.equal('60');
    // A timer's bound plus the frame that draws it (loaded machines deliver timers late, never early).
    expect(performance.now() - spoke, 'shown within about a quarter second').to.be.below(1000);
  });

  it('reflects label, orientation and bars', async () => {
    const el = await inContext(session, '<charivo-mic-meter label="Your mic" orientation="vertical" bars="5"></charivo-mic-meter>');
    expect(meterOf(el).getAttribute('aria-label')).to.equal('Your mic');
    expect(el.orientation).to.equal('vertical');
    expect(el.shadowRoot!.querySelectorAll('[part~="bar"]')).to.have.length(5);
    el.bars = 8;
    el.orientation = 'horizontal';
    await el.updateComplete;
    expect(el.shadowRoot!.querySelectorAll('[part~="bar"]')).to.have.length(8);
    expect(el.getAttribute('orientation')).to.equal('horizontal');
  });

  it('binds through for="id" to an element with a session', async () => {
    const root = await fixture<HTMLDivElement>(html`<div><div id="conv"></div></div>`);
    (root.querySelector('#conv') as HTMLElement & { session?: TestSession }).session = session;
    root.insertAdjacentHTML('beforeend', '<charivo-mic-meter for="conv"></charivo-mic-meter>');
    const el = root.querySelector('charivo-mic-meter')!;
    await el.updateComplete;
    await session.start();
    session.transport.levels.input.set(0.2);
    await frames();
    await el.updateComplete;
    expect(meterOf(el).getAttribute('aria-valuenow')).to.equal('20');
  });

  it('stops sampling when removed', async () => {
    const el = await inContext(session);
    await session.start();
    session.transport.levels.input.set(0.2);
    await frames();
    el.remove();
    const reads = session.transport.levels.input.reads;
    await frames();
    expect(session.transport.levels.input.reads).to.equal(reads);
  });

  it('is defined once and survives the define module loading twice', async () => {
    const again = './define.ts?again';
    await import(/* @vite-ignore */ again);
    expect(customElements.get('charivo-mic-meter')).to.equal(CharivoMicMeter);
  });
});
