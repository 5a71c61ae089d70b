// <charivo-controls> in every session state, light and dark: no axe violations, a visible focus ring
// on each control. Live is checked with push-to-talk on, so the talk button is there too.
import { fixture, html } from '@open-wc/testing';
import { describeA11yStates } from '../../../test/helpers/a11y.js';
import { createTestSession, provideSession } from '../../../test/helpers/session.js';
import './define.js';

describeA11yStates(
  'charivo-controls',
  async (session, state) => {
    if (state === 'live') session.setPushToTalk(true);
    const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
    provideSession(wrapper, session);
    wrapper.innerHTML = '<charivo-controls talk-key="Space"></charivo-controls>';
    const el = wrapper.firstElementChild as HTMLElement & { updateComplete: Promise<unknown> };
    await el.updateComplete;
    return el;
  },
  () => createTestSession(),
);
