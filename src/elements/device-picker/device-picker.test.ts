import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { AudioDevices } from '../../transports/audio/audio-devices.js';
import { FakeRealtimeTransport } from '../../testing/index.js';
import { need } from '../../../test/helpers/engine.js';
import { installFakeDevices, type FakeDevicesControl } from '../../../test/helpers/fake-devices.js';
import { createTestSession, provideSession } from '../../../test/helpers/session.js';
import '../index.js';
import type { CharivoRealtime } from '../realtime/realtime.js';
import type { CharivoDevicePicker } from './device-picker.js';

const select = (el: CharivoDevicePicker, id: 'microphone' | 'speaker') => el.shadowRoot!.querySelector<HTMLSelectElement>(`#${id}`)!;
const options = (el: CharivoDevicePicker, id: 'microphone' | 'speaker') => [...(el.shadowRoot?.querySelector<HTMLSelectElement>(`#${id}`)?.options ?? [])].map((o) => o.textContent!.trim());
const status = (el: CharivoDevicePicker) => el.shadowRoot!.querySelector<HTMLElement>('[role="status"]')!;

/** Picks `value` in a select as a user does: the value changes, then `change` fires. */
function choose(el: CharivoDevicePicker, id: 'microphone' | 'speaker', value: string): void {
  const target = select(el, id);
  target.value = value;
  target.dispatchEvent(new Event('change', { bubbles: true }));
}

/** Re-checks after each render of `el` (bounded) until `predicate` holds. */
async function until(el: CharivoDevicePicker, predicate: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !predicate(); i += 1) {
    await el.updateComplete;
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
  if (!predicate()) throw new Error(`${what}: not true`);
}

describe('<charivo-device-picker>', () => {
  let fake: FakeDevicesControl;
  const key = 'charivo-test:picker';
  beforeEach(async () => {
    fake = await installFakeDevices();
    localStorage.removeItem(key);
  });
  afterEach(() => {
    fake.restore();
    localStorage.removeItem(key);
  });

  it('is accessible: labelled selects, and without a session they are disabled on the system default', async () => {
    const el = await fixture<CharivoDevicePicker>(html`<charivo-device-picker></charivo-device-picker>`);
    await expect(el).to.be.accessible();
    for (const id of ['microphone', 'speaker'] as const) {
      const control = select(el, id);
      expect(control.disabled).to.equal(true);
      expect(options(el, id)).to.deep.equal(['System default']);
      const label = el.shadowRoot!.querySelector(`label[for="${id}"]`)!;
      expect(label.textContent).to.equal(id === 'microphone' ? 'Microphone' : 'Speaker');
    }
  });

  it('inside <charivo-realtime>: lists the devices by name, switches and remembers the choice under devices-key', async function () {
    await need(this, 'setSinkId');
    const realtime = await fixture<CharivoRealtime>(html`<charivo-realtime devices-key=${key} .transport=${new FakeRealtimeTransport()}>
      <charivo-device-picker></charivo-device-picker>
    </charivo-realtime>`);
    const el = realtime.querySelector('charivo-device-picker')!;
    await until(el, () => options(el, 'microphone').length === 3, 'the microphones listed');
    // The engine's own names (test/helpers/fake-devices.ts gives every engine two microphones).
    expect(options(el, 'microphone')).to.deep.equal(['System default', ...fake.inputs.map((d) => d.label)]);
    expect(options(el, 'speaker')).to.deep.equal(['System default', ...fake.outputs.map((d) => d.label)]);
    const [, two] = fake.inputs;
    choose(el, 'microphone', two!.deviceId);
    await until(el, () => realtime.devices.input === two!.deviceId, 'the choice applied');
    expect(select(el, 'microphone').value).to.equal(two!.deviceId);
    expect(JSON.parse(localStorage.getItem(key)!).input).to.deep.equal({ deviceId: two!.deviceId, label: two!.label });
    // Another page load (a new element, same key) starts on it.
    const again = await fixture<CharivoRealtime>(html`<charivo-realtime devices-key=${key}></charivo-realtime>`);
    expect(again.devices.input).to.equal(two!.deviceId);
    const forgetting = await fixture<CharivoRealtime>(html`<charivo-realtime devices-key=${key} forget-devices></charivo-realtime>`);
    expect(forgetting.devices.input).to.equal(undefined);
  });

  it('a switch the session refuses shows why in the status region and the select goes back', async () => {
    const devices = new AudioDevices({ storageKey: null });
    await devices.refresh();
    const detach = devices.attach(async () => {
      throw Object.assign(new Error('The microphone could not be started; another application may be using it.'), { code: 'microphone_busy' });
    });
    const host = await fixture<HTMLDivElement>(html`<div></div>`);
    provideSession(host, createTestSession({}, { devices }));
    host.innerHTML = '<charivo-device-picker></charivo-device-picker>';
    const el = host.firstElementChild as CharivoDevicePicker;
    await until(el, () => options(el, 'microphone').length === 3, 'the microphones listed');
    choose(el, 'microphone', fake.inputs[0]!.deviceId);
    await until(el, () => el.error !== '', 'the failure shown');
    expect(status(el).textContent).to.equal('Could not switch the microphone: The microphone could not be started; another application may be using it.');
    expect(select(el, 'microphone').value).to.equal('');
    expect(devices.input).to.equal(undefined);
    detach();
  });

  it('hot-plug: the chosen microphone unplugged leaves the list, the select shows the default and the status says so', async () => {
    const devices = new AudioDevices({ storageKey: null });
    const host = await fixture<HTMLDivElement>(html`<div></div>`);
    provideSession(host, createTestSession({}, { devices }));
    host.innerHTML = '<charivo-device-picker></charivo-device-picker>';
    const el = host.firstElementChild as CharivoDevicePicker;
    await until(el, () => options(el, 'microphone').length === 3, 'the microphones listed');
    const [one] = fake.inputs;
    choose(el, 'microphone', one!.deviceId);
    await until(el, () => devices.input === one!.deviceId, 'the choice applied');
    fake.unplug(one!.deviceId);
    await until(el, () => options(el, 'microphone').length === 2, 'the device gone from the list');
    expect(options(el, 'microphone')).to.deep.equal(['System default', fake.inputs[1]!.label]);
    expect(select(el, 'microphone').value).to.equal('');
    expect(status(el).textContent).to.equal(`“${one!.label}” was disconnected; using the system default microphone.`);
    fake.plug(one!.deviceId);
    await until(el, () => select(el, 'microphone').value === one!.deviceId, 'the device taken again');
    expect(status(el).textContent).to.equal(`Using “${one!.label}” again.`);
  });

  it('where the browser cannot choose the output, the speaker select stays on the default, disabled, and says why', async () => {
    const proto = HTMLMediaElement.prototype as { setSinkId?: unknown };
    // Removed where the engine has it (WebKit has none: there it is the engine as it is).
    const setSinkId = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'setSinkId');
    if (setSinkId) delete proto.setSinkId;
    try {
      const devices = new AudioDevices({ storageKey: null });
      const host = await fixture<HTMLDivElement>(html`<div></div>`);
      provideSession(host, createTestSession({}, { devices }));
      host.innerHTML = '<charivo-device-picker></charivo-device-picker>';
      const el = host.firstElementChild as CharivoDevicePicker;
      await until(el, () => options(el, 'microphone').length === 3, 'the microphones listed');
      const speaker = select(el, 'speaker');
      expect(speaker.disabled).to.equal(true);
      expect(options(el, 'speaker')).to.deep.equal(['System default']);
      const hint = el.shadowRoot!.getElementById(speaker.getAttribute('aria-describedby')!)!;
      expect(hint.textContent).to.contain('choose the speaker in your system settings');
      await expect(el).to.be.accessible();
    } finally {
      if (setSinkId) Object.defineProperty(HTMLMediaElement.prototype, 'setSinkId', setSinkId);
    }
  });

  it('before the microphone is allowed, devices have no names: numbered options and a hint', async () => {
    const unnamed = Object.assign(new EventTarget(), {
      enumerateDevices: async () => [
        { kind: 'audioinput', deviceId: 'a', label: '', groupId: '' },
        { kind: 'audiooutput', deviceId: 'b', label: '', groupId: '' },
      ],
    }) as unknown as MediaDevices;
    const devices = new AudioDevices({ storageKey: null, mediaDevices: unnamed });
    const host = await fixture<HTMLDivElement>(html`<div></div>`);
    provideSession(host, createTestSession({}, { devices }));
    host.innerHTML = '<charivo-device-picker></charivo-device-picker>';
    const el = host.firstElementChild as CharivoDevicePicker;
    await until(el, () => options(el, 'microphone').length === 2, 'the microphone listed');
    expect(options(el, 'microphone')).to.deep.equal(['System default', 'Microphone 1']);
    // Among the hints (an engine that cannot choose the speaker shows one for it too).
    const hints = [...el.shadowRoot!.querySelectorAll('[part="hint"]')].map((hint) => hint.textContent).join(' ');
    expect(hints).to.contain('Device names appear once the microphone is allowed');
    await expect(el).to.be.accessible();
  });

  it('a picker removed from the page lets go of the device list (no listener left behind)', async () => {
    const devices = new AudioDevices({ storageKey: null });
    let subscribed = 0;
    const counted = {
      get state() {
        return devices.state;
      },
      refresh: () => devices.refresh(),
      select: (kind: 'input' | 'output', id: string | undefined) => devices.select(kind, id),
      subscribe(listener: () => void) {
        subscribed += 1;
        const off = devices.subscribe(listener);
        return () => {
          subscribed -= 1;
          off();
        };
      },
    };
    const host = await fixture<HTMLDivElement>(html`<div></div>`);
    provideSession(host, createTestSession({}, { devices: counted }));
    host.innerHTML = '<charivo-device-picker></charivo-device-picker>';
    const el = host.firstElementChild as CharivoDevicePicker;
    await el.updateComplete;
    expect(subscribed).to.equal(1);
    el.remove();
    expect(subscribed).to.equal(0);
    host.append(el);
    await el.updateComplete;
    expect(subscribed).to.equal(1);
    el.remove();
  });

  it('hide leaves fields out; a bad value is reported and the previous one kept; for binds a sibling session', async () => {
    const host = await fixture<HTMLDivElement>(html`<div>
      <charivo-realtime id="call" forget-devices></charivo-realtime>
      <charivo-device-picker for="call" hide="speaker"></charivo-device-picker>
    </div>`);
    const el = host.querySelector('charivo-device-picker')!;
    await until(el, () => options(el, 'microphone').length === 3, 'the sibling session’s microphones listed');
    expect(el.shadowRoot!.querySelector('#speaker')).to.equal(null);
    const reported = oneEvent(el, 'charivo-error');
    el.setAttribute('hide', 'speaker camera');
    const error = (await reported) as CustomEvent<{ code: string; source: string }>;
    expect(error.detail).to.include({ code: 'invalid_attribute', source: 'hide' });
    await el.updateComplete;
    expect(el.hide).to.equal('speaker');
  });
});
