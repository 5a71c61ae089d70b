// <charivo-metrics>: accessible, shows "—" for what was not measured, the last turn's latencies, the
// last connect, the session's tokens and (only with prices) the cost; follows `for`; rejects bad input.
import { expect, fixture, html } from '@open-wc/testing';
import { createTestSession, provideSession, type TestSession } from '../../../test/helpers/session.js';
import './define.js';
import { CharivoMetrics, formatMs, formatUsd } from './metrics.js';

const value = (el: CharivoMetrics, name: string) => el.shadowRoot!.querySelector(`[part~="${name}"] [part="value"]`)?.textContent?.trim();

describe('<charivo-metrics>', () => {
  let session: TestSession;
  let now = 0;
  beforeEach(() => {
    now = 0;
    session = createTestSession({ wakeLock: false, now: () => now });
  });
  afterEach(() => session.manager.dispose());

  async function inContext(): Promise<CharivoMetrics> {
    const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
    provideSession(wrapper, session);
    wrapper.innerHTML = '<charivo-metrics></charivo-metrics>';
    const el = wrapper.firstElementChild as CharivoMetrics;
    await el.updateComplete;
    return el;
  }

  it('is accessible, and shows nothing measured before a session', async () => {
    const el = await inContext();
    await expect(el).to.be.accessible();
    for (const name of ['connect', 'first-audio', 'first-text', 'done', 'tokens']) expect(value(el, name), name).to.equal('—');
    expect(value(el, 'cost')).to.equal(undefined);
  });

  it('shows the last turn and the session totals, updating after each turn', async () => {
    const el = await inContext();
    await session.start();
    await session.send('hi');
    now += 450;
    session.transport.emit('assistant:start', { responseId: 'r1' });
    session.transport.emit('audio:start', { responseId: 'r1' });
    now += 30;
    session.transport.emit('assistant:delta', { responseId: 'r1', delta: 'Hello' });
    now += 2000;
    session.transport.emit('usage', { responseId: 'r1', usage: { inputTokens: 1200, outputTokens: 300 } });
    session.transport.emit('assistant:done', { responseId: 'r1', text: 'Hello', status: 'completed' });
    await el.updateComplete;
    expect(value(el, 'connect')).to.equal('0 ms');
    expect(value(el, 'first-audio')).to.equal('450 ms');
    expect(value(el, 'first-text')).to.equal('480 ms');
    expect(value(el, 'done')).to.equal('2.5 s');
    expect(value(el, 'tokens')).to.equal('1,500');
    expect(value(el, 'cost'), 'no prices, no cost').to.equal(undefined);
    session.manager.setPrices({ '*': { textInput: 10, textOutput: 10, audioInput: 10, audioOutput: 10 } });
    session.transport.respond({ responseId: 'r2', usage: { inputTokens: 1000, outputTokens: 0 } });
    await el.updateComplete;
    expect(value(el, 'cost')).to.equal(formatUsd(0.01));
    await expect(el).to.be.accessible();
  });

  it('formats milliseconds and dollars as people read them', () => {
    expect([formatMs(undefined), formatMs(12.4), formatMs(999), formatMs(1500), formatMs(12_345)]).to.deep.equal(['—', '12 ms', '999 ms', '1.5 s', '12 s']);
    expect([formatUsd(0.00012), formatUsd(1.5)]).to.deep.equal(['$0.0001', '$1.50']);
  });

  it('an invalid label is refused with charivo-error and the previous one kept', async () => {
    const el = await inContext();
    const errors: string[] = [];
    el.addEventListener('charivo-error', (e) => errors.push(e.detail.code));
    el.label = '   ';
    await el.updateComplete;
    expect(el.label).to.equal('Session metrics');
    expect(errors).to.deep.equal(['invalid_property']);
  });
});
