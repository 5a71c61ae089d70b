// <charivo-device-picker> in every session state, light and dark: no axe violations (labelled
// selects, hint and status contrast) and a visible focus on each select; on Chromium's fake devices.
import { fixture, html } from '@open-wc/testing';
import { AudioDevices } from '../../transports/audio/audio-devices.js';
import { describeA11yStates } from '../../../test/helpers/a11y.js';
import { createTestSession, provideSession } from '../../../test/helpers/session.js';
import './define.js';

describeA11yStates(
  'charivo-device-picker',
  async (session) => {
    await session.devices!.refresh();
    const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
    provideSession(wrapper, session);
    wrapper.innerHTML = '<charivo-device-picker></charivo-device-picker>';
    const el = wrapper.firstElementChild as HTMLElement & { updateComplete: Promise<unknown> };
    await el.updateComplete;
    return el;
  },
  () => createTestSession({}, { devices: new AudioDevices({ storageKey: null }) }),
);
