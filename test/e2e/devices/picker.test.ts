// The whole stack as a user meets it: <charivo-realtime> with a <charivo-device-picker>, through the
// real route to the emulator. The user picks another microphone in the picker mid-call; the call
// stays up and the emulator hears the new device. Both transports.
import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/elements/index.js';
import type { CharivoRealtime } from '../../../src/elements/index.js';
import type { CharivoDevicePicker } from '../../../src/elements/device-picker/device-picker.js';
import { installFakeDevices, type FakeDevicesControl } from '../../helpers/fake-devices.js';
import { speakingMicrophone, type SpeakingMicrophone } from '../../helpers/speaking-microphone.js';
import { hearsMore, newSession, sessionIds, summary, untilFrames } from './helpers.js';
// @ts-expect-error virtual module served by test/wtr-realtime-server.mjs
import { routePath } from '/__charivo/emulator.js';
import { needsOf, requires } from '../../helpers/engine.js';
import { within } from '../../helpers/within.js';

function finalTranscript(el: CharivoRealtime, timeoutMs = 15_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no final user transcript')), timeoutMs);
    el.addEventListener('charivo-user-transcript', (event) => {
      const detail = (event as CustomEvent<{ text: string; final: boolean }>).detail;
      if (!detail.final) return;
      clearTimeout(timer);
      resolve(detail.text);
    });
  });
}

for (const adapter of ['openai-webrtc', 'openai-websocket'] as const) {
  describe(`e2e devices (${adapter}): <charivo-device-picker> in a live call`, () => {
    requires(...needsOf(adapter));
    let fake: FakeDevicesControl;
    let el: CharivoRealtime;
    let mic: SpeakingMicrophone | undefined;

    beforeEach(async () => {
      fake = await installFakeDevices();
    });
    afterEach(async () => {
      await el?.stop();
      fake.restore();
      await mic?.close();
      mic = undefined;
    });

    it('picking another microphone switches the live call; the emulator hears it', async function () {
      this.timeout(45_000);
      const [silent, speaking] = fake.inputs;
      fake.silence(silent!.deviceId);
      // The picked device speaks when the test says so, the same in every engine.
      mic = await speakingMicrophone();
      fake.speakThrough(speaking!.deviceId, mic.stream);
      el = await fixture<CharivoRealtime>(html`<charivo-realtime adapter=${adapter} endpoint=${routePath} forget-devices
        .sessionConfig=${{ inputTranscription: { model: 'whisper-1' }, turnDetection: { type: 'server_vad', silenceDurationMs: 200 } }}>
        <charivo-device-picker></charivo-device-picker>
      </charivo-realtime>`);
      await el.devices.refresh();
      await el.devices.select('input', silent!.deviceId);
      const before = await sessionIds();
      await el.start();
      const id = await newSession(before);
      await hearsMore(id, 1000);

      const picker = el.querySelector<CharivoDevicePicker>('charivo-device-picker')!;
      await picker.updateComplete;
      const select = picker.shadowRoot!.querySelector<HTMLSelectElement>('#microphone')!;
      expect(select.value).to.equal(silent!.deviceId);
      // Caught before the pick, bounded from the end of the utterance (within()): it plays in real time.
      const heard = finalTranscript(el, 40_000);
      select.value = speaking!.deviceId;
      select.dispatchEvent(new Event('change', { bubbles: true }));
      await untilFrames(() => fake.opened.at(-1)?.getSettings().deviceId === speaking!.deviceId, 'the picked microphone opened');
      await mic.say();
      expect(await within(heard, 15_000, 'the final transcript after the utterance')).to.match(/heard \d+\.\d s of speech/);
      expect(el.devices.input).to.equal(speaking!.deviceId);
      expect(picker.error).to.equal('');
      expect((await summary(id)).state).to.equal('open');
      expect(el.state.connection).to.equal('connected');
    });
  });
}
