// <charivo-avatar> in every session state, light and dark: no axe violations (its image role and the
// name that says reconnecting or lost). Live is checked while it speaks.
import { fixture, html } from '@open-wc/testing';
import { describeA11yStates } from '../../../test/helpers/a11y.js';
import { createTestSession, provideSession } from '../../../test/helpers/session.js';
import './define.js';

describeA11yStates(
  'charivo-avatar',
  async (session, state) => {
    if (state === 'live') session.transport.levels.output.set(0.6);
    const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
    provideSession(wrapper, session);
    wrapper.innerHTML = '<charivo-avatar label="Hiyori, the assistant"></charivo-avatar>';
    const el = wrapper.firstElementChild as HTMLElement & { updateComplete: Promise<unknown> };
    await el.updateComplete;
    return el;
  },
  () => createTestSession(),
);
