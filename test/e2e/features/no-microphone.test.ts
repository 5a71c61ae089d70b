// No microphone, still a conversation (issue 14, item 4), end to end on every adapter. getUserMedia
// refuses as Chromium does when the microphone is blocked (NotAllowedError) or there is none
// (NotFoundError): the session starts anyway, the state and an event say why, typed turns get spoken
// or text replies, and nothing is captured (no track on the call, no audio on the socket); a retry
// puts the microphone on the same provider session. <charivo-controls> shows the notice in a live
// region with a retry button that works from a real click; `require-microphone` keeps the old strict
// start.
import { expect, fixture, html } from '@open-wc/testing';
import { sendMouse } from '@web/test-runner-commands';
import '../../../src/elements/index.js';
import type { CharivoControls } from '../../../src/elements/controls/controls.js';
import type { CharivoRealtime } from '../../../src/elements/realtime/realtime.js';
import {
  ADAPTERS,
  audioPacketsSent,
  EMULATOR_URL,
  emulator,
  harness,
  recordPeerConnections,
  refuseMicrophone,
  ROUTE_PATH,
  until,
  waitFor,
  type Harness,
} from './helpers.js';
import { needsOf, requires } from '../../helpers/engine.js';
import { within } from '../../helpers/within.js';

/** Text replies and no turn detection: nothing but typed turns. */
const TYPED = { instructions: 'Typed turns only.', turnDetection: null } as const;

function center(element: Element): [number, number] {
  const rect = element.getBoundingClientRect();
  return [Math.round(rect.left + rect.width / 2), Math.round(rect.top + rect.height / 2)];
}

for (const adapter of ADAPTERS) {
  describe(`e2e no microphone: ${adapter}`, function () {
    requires(...needsOf(adapter));
    this.timeout(30_000);
    let h: Harness | undefined;
    let refusal: ReturnType<typeof refuseMicrophone> | undefined;
    let peers: ReturnType<typeof recordPeerConnections> | undefined;
    const webrtc = adapter !== 'openai-websocket';

    /**
     * Microphone audio the provider got so far: RTP packets the call sent (WebRTC), or audio the
     * socket appended (WebSocket, as the emulator counts it).
     */
    async function heard(sessionId: string): Promise<number> {
      if (webrtc) return audioPacketsSent(peers!.live()!);
      return (await emulator.session(sessionId)).inputAudio.receivedMs;
    }

    beforeEach(() => {
      peers = recordPeerConnections();
    });

    afterEach(async () => {
      peers?.stop();
      refusal?.restore();
      refusal = undefined;
      await h?.dispose();
      h = undefined;
    });

    it('denied: the session runs, typed turns get spoken replies, nothing is captured; a retry brings the microphone in', async () => {
      refusal = refuseMicrophone('NotAllowedError');
      const since = Date.now();
      h = harness(adapter);
      await h.client.prepareAudio();
      // Caught before the start, bounded after it: the notice comes during the start, whose connect a
      // loaded machine can stretch past a bound set before it (Firefox, eight runners on 2 cores: 10 s).
      const told = waitFor(h.manager, 'realtime:microphone', (e) => e.status === 'denied', 60_000);
      await h.manager.startSession({ instructions: 'No microphone.' });
      const event = await within(told, 5_000, 'the microphone notice once the start resolved');
      expect(event.error?.code).to.equal('microphone_permission_denied');
      expect(h.manager.getState()).to.deep.include({ microphone: 'denied', connection: 'connected' });
      expect(refusal.calls).to.equal(1);

      const audio = waitFor(h.manager, 'tts:audio:start');
      const reply = waitFor(h.manager, 'realtime:assistant:done');
      await h.manager.sendMessage('typing works');
      expect((await reply).text).to.equal('You said "typing works". This is the emulator speaking.');
      await audio;
      const [session] = await emulator.sessionsSince(since);
      expect(await heard(session!.id), 'no microphone audio was sent').to.equal(0);
      if (webrtc) {
        // The call still has its audio line (a sendrecv transceiver), without a track: the microphone can join later.
        const transceivers = peers!.live()!.getTransceivers().filter((t) => t.receiver.track.kind === 'audio');
        expect(transceivers.map((t) => [t.currentDirection, t.sender.track])).to.deep.equal([['sendrecv', null]]);
      }

      // The user allows the microphone and tries again: the same provider session starts hearing it.
      const before = await emulator.sessionsSince(since);
      refusal.restore();
      h.manager.setMuted(true);
      expect(await h.manager.retryMicrophone()).to.equal('muted');
      await until(async () => (await heard(session!.id)) > 10, 'microphone audio reaches the same session');
      const after = await emulator.sessionsSince(since);
      const events = h.events.map((e) => e.event).filter((e) => !/state|delta|lipsync/.test(e));
      expect(after.map((s) => s.id), `no new provider session (events: ${events.join(', ')})`).to.deep.equal(before.map((s) => s.id));
      expect(h.named('realtime:microphone').map((e) => e.status)).to.deep.equal(['denied', 'muted']);
      expect(await emulator.violationsOf([session!.id])).to.deep.equal([]);
    });

    it('absent: typed turns with text replies; a reconnect does not ask for the microphone again', async () => {
      refusal = refuseMicrophone('NotFoundError');
      const since = Date.now();
      h = harness(adapter);
      await h.client.prepareAudio();
      await h.manager.startSession({ ...TYPED, outputModalities: ['text'] });
      expect(h.manager.getState().microphone).to.equal('absent');
      const reply = waitFor(h.manager, 'realtime:assistant:done');
      await h.manager.sendMessage('no microphone here');
      expect((await reply).text).to.equal('You said "no microphone here". This is the emulator speaking.');

      const [session] = await emulator.sessionsSince(since);
      const back = waitFor(h.manager, 'realtime:reconnect:success');
      await fetch(`${EMULATOR_URL}/_emulator/sessions/${session!.id}/close`, { method: 'POST' });
      await back;
      expect(refusal.calls, 'asked once per session, not per connection').to.equal(1);
      expect(h.manager.getState().microphone).to.equal('absent');
      const again = waitFor(h.manager, 'realtime:assistant:done');
      await h.manager.sendMessage('still typing');
      expect((await again).text).to.equal('You said "still typing". This is the emulator speaking.');
    });

    it('required: a refused microphone fails the start with its code, as before', async () => {
      refusal = refuseMicrophone('NotAllowedError');
      h = harness(adapter, {}, { microphone: { required: true } });
      await h.client.prepareAudio();
      const error = await h.manager.startSession(TYPED).then(
        () => null,
        (e: Error & { code?: string; cause?: { code?: string } }) => e,
      );
      expect(error?.code).to.equal('start_failed');
      expect(error?.cause?.code).to.equal('microphone_permission_denied');
      expect(h.manager.getState().microphone).to.equal('off');
    });
  });
}

describe('e2e no microphone: what the page shows', function () {
  this.timeout(30_000);

  it('<charivo-controls> says so in a live region, typing works, and its retry button (a real click) brings the microphone in', async () => {
    const refusal = refuseMicrophone('NotAllowedError');
    try {
      const host = await fixture<HTMLDivElement>(html`<div>
        <charivo-realtime .endpoint=${ROUTE_PATH} adapter="openai-websocket" no-wake-lock muted>
          <charivo-mic-meter></charivo-mic-meter>
          <charivo-controls></charivo-controls>
        </charivo-realtime>
      </div>`);
      const realtime = host.querySelector<CharivoRealtime>('charivo-realtime')!;
      const controls = host.querySelector<CharivoControls>('charivo-controls')!;
      const part = (name: string) => controls.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
      const seen: string[] = [];
      realtime.addEventListener('charivo-microphone', (event) => seen.push(event.detail.status));
      expect(part('mic-notice')!.getAttribute('role'), 'the live region exists before it speaks').to.equal('status');
      expect(part('mic-notice')!.textContent!.trim()).to.equal('');

      await realtime.start();
      await controls.updateComplete;
      expect(realtime.getAttribute('microphone')).to.equal('denied');
      expect(part('mic-notice')!.textContent!.trim()).to.match(/^Microphone blocked: you can type your messages/);
      expect(host.querySelector('charivo-mic-meter')!.getAttribute('state'), 'nothing to meter').to.equal('off');

      // Typing works from the controls' own form.
      const input = controls.shadowRoot!.querySelector('input')!;
      input.value = 'typed from the controls';
      const reply = new Promise<string>((resolve) => realtime.addEventListener('charivo-assistant-done', (e) => resolve(e.detail.text), { once: true }));
      controls.shadowRoot!.querySelector('form')!.requestSubmit();
      expect(await reply).to.equal('You said "typed from the controls". This is the emulator speaking.');

      refusal.restore();
      await sendMouse({ type: 'click', position: center(part('mic-retry')!) });
      await until(() => realtime.state.microphone === 'muted', 'the microphone is back (muted, as the page asked)');
      await controls.updateComplete;
      expect(part('mic-notice')!.textContent!.trim()).to.equal('');
      expect(part('mic-retry')).to.equal(null);
      expect(seen).to.deep.equal(['denied', 'muted']);
      await realtime.stop();
      expect(realtime.getAttribute('microphone')).to.equal('off');
    } finally {
      refusal.restore();
    }
  });
});
