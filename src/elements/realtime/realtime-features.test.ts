// <charivo-realtime>'s session features: the rollover, wake lock and price settings reach the manager
// (and bad values are refused like every input), the microphone is reflected for CSS and fired as
// charivo-microphone, images and the microphone retry go through, the metrics are a property, and a
// rollover is a charivo-session-rollover event with the state never leaving connected.
import { expect, fixture, html } from '@open-wc/testing';
import { FakeRealtimeTransport } from '../../testing/index.js';
import './define.js';
import type { CharivoRealtime } from './define.js';

async function setup(markup = '<charivo-realtime no-wake-lock></charivo-realtime>') {
  const host = await fixture<HTMLDivElement>(html`<div></div>`);
  host.innerHTML = markup;
  const el = host.firstElementChild as CharivoRealtime;
  const transport = new FakeRealtimeTransport();
  el.transport = transport;
  await el.updateComplete;
  const errors: Array<{ code: string; source: string }> = [];
  el.addEventListener('charivo-error', (e) => errors.push(e.detail));
  return { el, transport, errors };
}

describe('<charivo-realtime> session features', () => {
  it('rollover-after reaches the manager: a rollover is charivo-session-rollover, with no gap in the state', async () => {
    const { el, transport } = await setup('<charivo-realtime no-wake-lock rollover-after="1"></charivo-realtime>');
    await el.start();
    const states: string[] = [];
    el.addEventListener('charivo-state', (e) => states.push(`${e.detail.state.connection}/${e.detail.state.session.status}`));
    const rolled = await new Promise<CustomEvent>((resolve) => el.addEventListener('charivo-session-rollover', (e) => resolve(e), { once: true }));
    expect(rolled.detail).to.deep.include({ reason: 'scheduled', replayedTurns: 0 });
    expect(rolled.bubbles && rolled.composed).to.equal(true);
    expect(transport.callsOf('rollover')).to.have.length(1);
    expect(states.filter((s) => s !== 'connected/active')).to.deep.equal([]);
    await el.stop();
  });

  it('rollover-after="0" turns it off; bad values are refused with charivo-error and the previous one kept', async () => {
    const { el, errors } = await setup('<charivo-realtime no-wake-lock rollover-after="0"></charivo-realtime>');
    expect(el.rolloverAfter).to.equal(0);
    el.setAttribute('rollover-after', '-5');
    await el.updateComplete;
    expect(el.rolloverAfter).to.equal(0);
    el.setAttribute('rollover-after', 'soon');
    await el.updateComplete;
    expect(errors.map((e) => [e.code, e.source])).to.deep.equal([
      ['invalid_attribute', 'rollover-after'],
      ['invalid_attribute', 'rollover-after'],
    ]);
    el.prices = { gpt: { textInput: -1 } } as never;
    await el.updateComplete;
    expect(el.prices).to.equal(null);
    expect(errors.at(-1)).to.deep.include({ code: 'invalid_property', source: 'prices' });
  });

  it('prices and metrics: the cost follows the page’s table', async () => {
    const { el, transport } = await setup();
    el.prices = { '*': { textInput: 1, textOutput: 1, audioInput: 1, audioOutput: 1 } };
    await el.updateComplete;
    await el.start();
    transport.respond({ responseId: 'r1', usage: { inputTokens: 2_000_000, outputTokens: 0 } });
    expect(el.metrics.last!.costUsd).to.equal(2);
    await el.stop();
  });

  it('reflects the microphone for CSS and fires charivo-microphone; retryMicrophone goes to the transport', async () => {
    const { el, transport } = await setup();
    const seen: string[] = [];
    el.addEventListener('charivo-microphone', (e) => seen.push(e.detail.status));
    expect(el.getAttribute('microphone')).to.equal('off');
    await el.start();
    transport.emit('microphone', { status: 'denied' });
    expect(el.getAttribute('microphone')).to.equal('denied');
    transport.microphoneOnRetry = 'live';
    expect(await el.retryMicrophone()).to.equal('live');
    el.muted = true;
    await el.updateComplete;
    expect(el.getAttribute('microphone')).to.equal('muted');
    expect(seen).to.deep.equal(['denied', 'live', 'muted']);
    await el.stop();
  });

  it('sendImage sends a picture and fires charivo-user-image', async () => {
    const { el, transport } = await setup();
    await el.start();
    const canvas = Object.assign(document.createElement('canvas'), { width: 64, height: 32 });
    canvas.getContext('2d')!.fillRect(0, 0, 64, 32);
    const fired = new Promise<CustomEvent>((resolve) => el.addEventListener('charivo-user-image', (e) => resolve(e), { once: true }));
    const info = await el.sendImage(canvas, 'a black box?');
    expect((await fired).detail).to.deep.include({ text: 'a black box?', image: info });
    expect(transport.callsOf('sendImage')[0]).to.deep.include({ text: 'a black box?' });
    await el.stop();
  });

  it('the wake lock follows no-wake-lock (on by default)', async () => {
    const { el } = await setup('<charivo-realtime></charivo-realtime>');
    const calls: boolean[] = [];
    const original = el.manager.setWakeLock.bind(el.manager);
    el.manager.setWakeLock = (enabled) => {
      calls.push(enabled);
      original(enabled);
    };
    el.noWakeLock = true;
    await el.updateComplete;
    el.removeAttribute('no-wake-lock');
    el.noWakeLock = false;
    await el.updateComplete;
    expect(calls).to.deep.equal([false, true]);
  });
});
