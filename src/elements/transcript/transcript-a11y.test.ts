// <charivo-transcript> in every session state, light and dark: no axe violations and a visible focus
// on the scrollable log. Live is checked with both sides of a conversation in it (and a user turn still arriving).
import { fixture, html } from '@open-wc/testing';
import { describeA11yStates } from '../../../test/helpers/a11y.js';
import { createTestSession, provideSession } from '../../../test/helpers/session.js';
import './define.js';

describeA11yStates(
  'charivo-transcript',
  async (session, state) => {
    const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
    provideSession(wrapper, session);
    wrapper.innerHTML = '<charivo-transcript></charivo-transcript>';
    const el = wrapper.firstElementChild as HTMLElement & { updateComplete: Promise<unknown> };
    if (state === 'live') {
      session.transport.emit('user:transcript', { itemId: 'item_1', text: 'Hello, who are you?', final: true });
      session.transport.play(session.transport.script({ text: 'I am the assistant, here to help.' }).events);
      session.transport.emit('user:transcript', { itemId: 'item_2', text: 'And what can you do', final: false });
    }
    await el.updateComplete;
    return el;
  },
  () => createTestSession(),
);
