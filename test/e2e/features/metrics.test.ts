// Latency and cost, measured in the kit (issue 14, item 6), end to end on every adapter and checked
// against the emulator's own timings: the emulator records when each event arrived and left, so the
// kit's "text sent → first text / first audio / done" must be at least the emulator's interval
// between receiving the text and sending that event (the page's interval also spans the network)
// and not much more. Tokens by kind are the emulator's usage exactly; the cost is the page's prices
// applied to them; the connect time spans at least the provider session's own setup. <charivo-metrics>
// shows the same numbers.
import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/elements/index.js';
import { formatMs } from '../../../src/elements/metrics/metrics.js';
import type { CharivoMetrics } from '../../../src/elements/metrics/metrics.js';
import type { CharivoRealtime } from '../../../src/elements/realtime/realtime.js';
import type { RealtimeTurnMetrics } from '../../../src/manager/index.js';
import { ADAPTERS, emulator, harness, logEvents, ROUTE_PATH, until, waitFor, type Harness } from './helpers.js';
import { needsOf, requires } from '../../helpers/engine.js';
import { within } from '../../helpers/within.js';

const PRICES = { '*': { textInput: 4, cachedTextInput: 0.4, textOutput: 16, audioInput: 32, cachedAudioInput: 0.4, audioOutput: 64, imageInput: 5 } };
/** Both clocks count whole milliseconds here and there. */
const CLOCK_MS = 2;
/**
 * What the page's interval may add to the emulator's: loopback, event loops, a loaded machine (three
 * engines' shards on two cores added 1.5 s once). The lower bound is the one that says the kit does
 * not invent time; this one only says it is the same turn.
 */
const SLACK_MS = 4000;

function expectSpans(kit: number | undefined, provider: number, what: string): void {
  expect(kit, what).to.be.a('number');
  expect(kit!, `${what}: the kit's ${kit} ms vs the emulator's ${provider} ms`).to.be.at.least(provider - CLOCK_MS).and.at.most(provider + SLACK_MS);
}

for (const adapter of ADAPTERS) {
  describe(`e2e metrics: ${adapter}`, function () {
    requires(...needsOf(adapter));
    this.timeout(30_000);
    let h: Harness | undefined;
    afterEach(async () => {
      await h?.dispose();
      h = undefined;
    });

    it("a typed turn's latencies span the emulator's own, its tokens are the emulator's usage, its cost the page's prices", async () => {
      const since = Date.now();
      h = harness(adapter, { prices: PRICES, rollover: false });
      await h.client.prepareAudio();
      h.manager.setMuted(true);
      await h.manager.startSession({ instructions: 'Metrics test.' });
      const measured = waitFor(h.manager, 'realtime:metrics', (e) => e.turn !== undefined);
      // Caught now, bounded from the turn's metrics (within()): the reply's audio plays in real time
      // after them, and a loaded Firefox (ci22) passed a bound taken before the message was sent.
      const audioEnded = waitFor(h.manager, 'tts:audio:end', () => true, 60_000);
      await h.manager.sendMessage('measure this turn');
      const turn = (await measured).turn as RealtimeTurnMetrics;
      await within(audioEnded, 15_000, 'the end of the reply audio after the turn metrics');
      const [session] = await emulator.sessionsSince(since);
      const log = await emulator.log(session!.id);
      const sent = logEvents(log, 'client', 'conversation.item.create').at(-1)!.at as number;
      const firstText = logEvents(log, 'server', 'response.output_audio_transcript.delta')[0]!.at as number;
      const done = logEvents(log, 'server', 'response.done').at(-1)!;
      // Heard: over WebRTC when the provider starts its output buffer, over WebSocket after the first audio arrives.
      const audioType = adapter === 'openai-websocket' ? 'response.output_audio.delta' : 'output_audio_buffer.started';
      const firstAudio = logEvents(log, 'server', audioType)[0]!.at as number;

      expect(turn).to.deep.include({ trigger: 'text', status: 'completed' });
      expectSpans(turn.firstTextMs, firstText - sent, 'to the first text');
      expectSpans(turn.firstAudioMs, firstAudio - sent, 'to the first audio');
      expectSpans(turn.doneMs, (done.at as number) - sent, 'to the end');

      const usage = done.event.response.usage;
      expect(turn.tokens).to.deep.equal({
        inputText: usage.input_token_details.text_tokens,
        inputAudio: usage.input_token_details.audio_tokens,
        inputImage: usage.input_token_details.image_tokens,
        cachedText: usage.input_token_details.cached_tokens_details.text_tokens,
        cachedAudio: usage.input_token_details.cached_tokens_details.audio_tokens,
        cachedImage: usage.input_token_details.cached_tokens_details.image_tokens,
        outputText: usage.output_token_details.text_tokens,
        outputAudio: usage.output_token_details.audio_tokens,
        input: usage.input_tokens,
        output: usage.output_tokens,
        total: usage.total_tokens,
      });
      const p = PRICES['*'];
      const expected =
        (usage.input_token_details.text_tokens * p.textInput +
          usage.input_token_details.audio_tokens * p.audioInput +
          usage.input_token_details.image_tokens * p.imageInput +
          usage.output_token_details.text_tokens * p.textOutput +
          usage.output_token_details.audio_tokens * p.audioOutput) /
        1e6;
      expect(turn.costUsd).to.be.closeTo(expected, 1e-12);
      expect(h.manager.getMetrics().totals.costUsd).to.be.closeTo(expected, 1e-12);

      // The connect spans at least the provider session's setup (created → the configuration acked).
      const configured = logEvents(log, 'server', 'session.updated')[0]!.at as number;
      const connect = h.manager.getMetrics().connects[0]!;
      expect(connect.reason).to.equal('start');
      expect(connect.ms).to.be.at.least(configured - CLOCK_MS);
    });
  });
}

describe('e2e metrics: <charivo-metrics>', function () {
  this.timeout(30_000);

  it('shows the last turn, the connect, the tokens and (with prices) the cost', async () => {
    const host = await fixture<HTMLDivElement>(html`<div>
      <charivo-realtime .endpoint=${ROUTE_PATH} adapter="openai-websocket" muted no-wake-lock .prices=${PRICES}>
        <charivo-metrics></charivo-metrics>
      </charivo-realtime>
    </div>`);
    const realtime = host.querySelector<CharivoRealtime>('charivo-realtime')!;
    const element = host.querySelector<CharivoMetrics>('charivo-metrics')!;
    const value = (name: string) => element.shadowRoot!.querySelector(`[part~="${name}"] [part="value"]`)?.textContent?.trim();
    await element.updateComplete;
    expect(value('first-audio')).to.equal('—');
    expect(value('cost'), 'no cost before any turn').to.equal(undefined);
    const events: string[] = [];
    realtime.addEventListener('charivo-metrics', (event) => events.push(event.detail.turn ? 'turn' : 'connect'));
    await realtime.start();
    const done = new Promise((resolve) => realtime.addEventListener('charivo-metrics', (e) => e.detail.turn && resolve(null)));
    await realtime.send('show me the numbers');
    await done;
    await element.updateComplete;
    const { last, connects, totals } = realtime.metrics;
    expect(value('connect')).to.equal(formatMs(connects[0]!.ms));
    expect(value('first-audio')).to.equal(formatMs(last!.firstAudioMs));
    expect(value('first-text')).to.equal(formatMs(last!.firstTextMs));
    expect(value('done')).to.equal(formatMs(last!.doneMs));
    expect(value('tokens')).to.equal(totals.tokens.total.toLocaleString('en-US'));
    expect(value('cost')).to.match(/^\$0\.\d{4}$/);
    expect(events).to.deep.equal(['connect', 'turn']);
    expect(element.shadowRoot!.querySelector('dl')!.getAttribute('aria-label')).to.equal('Session metrics');
    await until(() => realtime.state.audioPlaying === false, 'the reply finished playing');
    await realtime.stop();
  });
});
