// <charivo-realtime> in every session state, light and dark, with the kit's elements inside it as a
// page places them: no axe violations in the whole composition, a visible focus on every control.
import { expect, fixture, html } from '@open-wc/testing';
import { FakeRealtimeTransport } from '../../testing/index.js';
import { expectAccessible, focusProblems, SESSION_STATES } from '../../../test/helpers/a11y.js';
import '../index.js';
import type { CharivoRealtime } from './realtime.js';

describe('<charivo-realtime> accessibility (axe, both colour schemes, visible focus)', () => {
  for (const state of SESSION_STATES) {
    it(`has no axe violations and a visible focus on every control: ${state}`, async function () {
      // Two whole-composition axe passes, the first of a fresh page: past 20 s in WebKit under a full
      // run (npm test at 14:23: the idle state, with the engines' shards at 583-691 s).
      this.timeout(45_000);
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
        // axe on the host covers the children (their light and shadow trees) in both looks; the focus
        // check reads one shadow root at a time, so each child's controls are checked on their own.
        // (An axe pass per child on top doubled the time: past the 20 s limit in WebKit under load.)
        await expectAccessible(el, `<charivo-realtime> ${state}`);
        const problems = [...el.children].flatMap((child) => focusProblems(child).map((line) => `${child.localName}: ${line}`));
        expect(problems, `focus inside <charivo-realtime> (${state})`).to.deep.equal([]);
      } finally {
        release();
        await el.stop();
      }
    });
  }
});
