// End to end with <charivo-realtime>, per adapter: the Realtime API's newer session fields. Page →
// element → manager → remote client → the real route (SURFACE_ROUTE in test/wtr-realtime-server.mjs:
// one stored prompt allowed, reasoning effort up to `high`) → the emulator, over real WebRTC or
// WebSocket. Each session ends with the emulator's violation list empty (both schemas, the `openai`
// package's types closed for what the page sent) and no error event.
//   - reasoning, truncation with a retention ratio, a stored prompt, a custom voice and the newer
//     transcription options run in the live session as the page asked, change live, and what the
//     policy forbids (a higher effort, another prompt) is refused before anything is sent;
//   - server VAD's idle timeout: after the reply has played, the muted page stays silent for
//     `idleTimeoutMs`; `charivo-idle-timeout` reaches the page and the model answers the silence.
import { expect, fixture, html } from '@open-wc/testing';
// @ts-expect-error virtual module served by test/wtr-realtime-server.mjs
import { surfaceRoute } from '/__charivo/policy-routes.js';
import '../../../src/elements/realtime/define.js';
import type { CharivoRealtime } from '../../../src/elements/realtime/define.js';
import type { RealtimeSessionConfig } from '../../../src/session/session-config.js';
import { emulatorLog, expectNoViolations, newestSessionId } from './wire-capture.js';
import { needsOf, requires } from '../../helpers/engine.js';

const ROUTE: { path: string } = surfaceRoute;
const ADAPTERS = ['openai-agents-webrtc', 'openai-webrtc', 'openai-websocket'] as const;

interface Page {
  el: CharivoRealtime;
  /** Every charivo-* event so far, in order. */
  events: Array<{ type: string; detail: any }>;
  /** Resolves with the first `type` event (from index `from`) whose detail passes; bounded. */
  next(type: string, from?: number, predicate?: (detail: any) => boolean, timeoutMs?: number): Promise<any>;
  emulatorId(): Promise<string>;
}

const CHARIVO_EVENTS = ['charivo-session-start', 'charivo-assistant-start', 'charivo-assistant-done', 'charivo-audio-end', 'charivo-idle-timeout', 'charivo-error'];

async function open(adapter: (typeof ADAPTERS)[number], sessionConfig: RealtimeSessionConfig): Promise<Page> {
  const el = (await fixture(html`<charivo-realtime .endpoint=${ROUTE.path} .adapter=${adapter} muted></charivo-realtime>`)) as CharivoRealtime;
  el.sessionConfig = sessionConfig;
  const events: Page['events'] = [];
  const waiters = new Set<() => void>();
  for (const type of CHARIVO_EVENTS) {
    el.addEventListener(type, (event) => {
      events.push({ type, detail: (event as CustomEvent).detail });
      for (const wake of [...waiters]) wake();
    });
  }
  const next: Page['next'] = (type, from = 0, predicate = () => true, timeoutMs = 10_000) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = events.slice(from).find((e) => e.type === type && predicate(e.detail));
        if (!found) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(found.detail);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no ${type} within ${timeoutMs} ms; saw ${events.slice(from).map((e) => e.type).join(', ')}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  await el.start();
  return { el, events, next, emulatorId: () => newestSessionId(adapter === 'openai-websocket' ? 'websocket' : 'webrtc') };
}

/** The client `session.update` events the emulator has seen for `id`. */
async function updatesSeen(id: string): Promise<number> {
  const log = await emulatorLog(id);
  return log.events.filter((e: any) => e.direction === 'client' && e.type === 'session.update').length;
}

for (const adapter of ADAPTERS) {
  describe(`${adapter}: the newer session fields, end to end`, () => {
    requires(...needsOf(adapter));
    let page: Page | undefined;
    afterEach(async () => {
      await page?.el.stop();
      page = undefined;
    });

    it('reasoning, truncation, a stored prompt, a custom voice and the newer transcription options run as asked, change live, and the policy holds', async function () {
      this.timeout(40_000);
      page = await open(adapter, {
        model: 'gpt-realtime-2',
        reasoning: { effort: 'high' },
        truncation: { type: 'retention_ratio', retentionRatio: 0.6, tokenLimits: { postInstructions: 3000 } },
        prompt: { id: 'pmpt_e2e', version: '1', variables: { city: 'Lyon' } },
        voice: { id: 'voice_e2e' },
        inputTranscription: { model: 'gpt-transcribe', languages: ['en'], keywords: ['Charivo'] },
      });
      const id = await page.emulatorId();
      let live = (await emulatorLog(id)).session;
      expect(live.model).to.equal('gpt-realtime-2');
      expect(live.reasoning).to.deep.equal({ effort: 'high' });
      expect(live.truncation).to.deep.equal({ type: 'retention_ratio', retention_ratio: 0.6, token_limits: { post_instructions: 3000 } });
      expect(live.prompt).to.deep.equal({ id: 'pmpt_e2e', version: '1', variables: { city: 'Lyon' } });
      expect(live.audio.output.voice).to.deep.equal({ id: 'voice_e2e' });
      expect(live.audio.input.transcription).to.deep.equal({ model: 'gpt-transcribe', languages: ['en'], keywords: ['Charivo'] });

      // A reply speaks with the custom voice.
      const from = page.events.length;
      await page.el.send('Hello there.');
      await page.next('charivo-assistant-done', from);
      const done = (await emulatorLog(id)).events.filter((e: any) => e.direction === 'server' && e.type === 'response.done').at(-1);
      expect(done.event.response.audio.output.voice).to.equal('voice_e2e');

      // Live: less effort, truncation off, the prompt removed; the rest stays.
      await page.el.updateSession({ reasoning: { effort: 'low' }, truncation: 'disabled', prompt: null });
      live = (await emulatorLog(id)).session;
      expect(live.reasoning).to.deep.equal({ effort: 'low' });
      expect(live.truncation).to.equal('disabled');
      expect(live.prompt).to.equal(null);
      expect(live.audio.output.voice).to.deep.equal({ id: 'voice_e2e' });

      // What the route's policy forbids is refused before anything is sent.
      const sent = await updatesSeen(id);
      const errorsBefore = page.events.filter((e) => e.type === 'charivo-error').length;
      for (const [patch, field] of [
        [{ reasoning: { effort: 'xhigh' } }, 'reasoning.effort'],
        [{ prompt: { id: 'pmpt_other' } }, 'prompt.id'],
      ] as const) {
        const error = await page.el.updateSession(patch).then(
          () => undefined,
          (e: any) => e,
        );
        expect(error?.code, JSON.stringify(patch)).to.equal('policy_locked');
        expect(error.field).to.equal(field);
      }
      expect(page.events.filter((e) => e.type === 'charivo-error').slice(errorsBefore).map((e) => e.detail.field)).to.deep.equal(['reasoning.effort', 'prompt.id']);
      expect(await updatesSeen(id), 'nothing sent for the refused changes').to.equal(sent);
      await expectNoViolations(id);
    });

    it('idle timeout: after the reply has played, idleTimeoutMs of silence fires charivo-idle-timeout and the model answers it', async function () {
      this.timeout(45_000);
      page = await open(adapter, { turnDetection: { type: 'server_vad', idleTimeoutMs: 5000, silenceDurationMs: 300 } });
      const id = await page.emulatorId();
      const sessionId = (await page.next('charivo-session-start')).sessionId;
      await page.el.send('Hello there.');
      const replied = page.events.length;
      await page.next('charivo-assistant-done');
      expect(page.events.slice(0, replied).some((e) => e.type === 'charivo-idle-timeout'), 'no timeout before the reply').to.equal(false);

      const timeout = await page.next('charivo-idle-timeout', 0, () => true, 20_000);
      expect(timeout.sessionId).to.equal(sessionId);
      expect(timeout.itemId).to.be.a('string');
      expect(timeout.silenceMs).to.be.within(5000, 5200);
      const at = page.events.findIndex((e) => e.type === 'charivo-idle-timeout');
      // The model answers the silence on its own: a second reply, after the event.
      await page.next('charivo-assistant-done', at + 1);
      expect(page.events.filter((e) => e.type === 'charivo-assistant-start')).to.have.length.greaterThanOrEqual(2);

      const log = await expectNoViolations(id);
      const server = log.events.filter((e: any) => e.direction === 'server');
      const triggered = server.find((e: any) => e.type === 'input_audio_buffer.timeout_triggered');
      expect(triggered.event.item_id).to.equal(timeout.itemId);
      expect(triggered.event.audio_end_ms - triggered.event.audio_start_ms).to.equal(timeout.silenceMs);
      expect(server.some((e: any) => e.type === 'input_audio_buffer.committed' && e.event.item_id === timeout.itemId)).to.equal(true);
      // Muted the whole time: the VAD never heard speech.
      expect(server.filter((e: any) => e.type === 'input_audio_buffer.speech_started')).to.have.length(0);
    });
  });
}
