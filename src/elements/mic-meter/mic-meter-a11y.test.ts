// <charivo-mic-meter> in every session state, light and dark: no axe violations (the meter's name,
// value text and bar contrast). Live is checked with the microphone at a middle level.
import { fixture, html } from '@open-wc/testing';
import { describeA11yStates } from '../../../test/helpers/a11y.js';
import { createTestSession, provideSession } from '../../../test/helpers/session.js';
import './define.js';

describeA11yStates(
  'charivo-mic-meter',
  async (session, state) => {
    if (state === 'live') session.transport.levels.input.set(0.5);
    const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
    provideSession(wrapper, session);
    wrapper.innerHTML = '<charivo-mic-meter></charivo-mic-meter>';
    const el = wrapper.firstElementChild as HTMLElement & { updateComplete: Promise<unknown> };
    await el.updateComplete;
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    return el;
  },
  () => createTestSession(),
);
