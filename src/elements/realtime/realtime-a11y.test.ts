// <charivo-realtime> in every session state, light and dark, with the kit's elements inside it as a
// page places them: no axe violations in the whole composition, a visible focus on every control.
import { expect, fixture, html } from '@open-wc/testing';
import { FakeRealtimeTransport } from '../../testing/index.js';
import { axeProblems, expectAccessible, SESSION_STATES } from '../../../test/helpers/a11y.js';
import '../index.js';
import type { CharivoRealtime } from './realtime.js';

describe('<charivo-realtime> accessibility (axe, both colour schemes, visible focus)', () => {
  for (const state of SESSION_STATES) {
    it(`has no axe violations and a visible focus on every control: ${state}`, async () => {
      const transport = new FakeRealtimeTransport();
      const el = await fixture<CharivoRealtime>(html`<charivo-realtime forget-devices .transport=${transport}>
        <charivo-avatar label="The assistant"></charivo-avatar>
        <charivo-mic-meter></charivo-mic-meter>
        <charivo-device-picker></charivo-device-picker>
        <charivo-transcript></charivo-transcript>
        <charivo-controls></charivo-controls>
      </charivo-realtime>`);
      let release = () => {};
      if (state === 'live' || state === 'reconnecting') await el.start();
      if (state === 'reconnecting') {
        const held = transport.hold('connect');
        transport.loseConnection('ice-failed');
        await held.reached;
        release = () => held.resolve();
      } else if (state === 'error') {
        // The element's reconnect backoff takes seconds; a start that fails is the same error look.
        transport.failNext('connect', new Error('the provider is down'));
        await el.start().catch(() => undefined);
        expect(el.state.connection).to.equal('error');
      }
      try {
        await el.updateComplete;
        await expectAccessible(el, `<charivo-realtime> ${state}`);
        for (const child of el.children) {
          const problems = await axeProblems(child);
          if (problems.length) throw new Error(`${child.localName} inside <charivo-realtime> (${state}):\n${problems.join('\n')}`);
        }
      } finally {
        release();
        await el.stop();
      }
    });
  }
});
