// End to end over real WebRTC: manager → remote client → the real route → the emulator, for both
// OpenAI WebRTC adapters. Every wait is on an event (or a state) with a bounded timeout.
import { expect } from '@open-wc/testing';
import type { RealtimeSessionConfig, RealtimeToolRegistration } from '../../../src/manager/index.js';
import { requires } from '../../helpers/engine.js';
import { heardRange, speakingMicrophone } from '../../helpers/speaking-microphone.js';
import { within } from '../../helpers/within.js';
import { ADAPTERS, createHarness, currentSession, emulator, sampleUntil, setFaults, waitFor, type Harness } from './helpers.js';

/**
 * The engines' fake microphones make sound (Chromium beeps or plays a file, Firefox a tone, WebKit
 * beeps), loud enough for the emulator's energy VAD. Tests that are not about speech turn VAD off so
 * it cannot barge into their replies; the spoken turn uses a speaking microphone of its own.
 */
const NO_VAD: RealtimeSessionConfig = { instructions: 'You are a test assistant.', turnDetection: null };
/** Text replies stream in ~20 ms steps; spoken ones take 65 ms a character. For tests that need no audio. */
const TEXT_REPLIES: RealtimeSessionConfig = { ...NO_VAD, outputModalities: ['text'] };

const weatherTool: RealtimeToolRegistration<{ city: string }> = {
  definition: {
    type: 'function',
    name: 'get_weather',
    description: 'The weather in a city.',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' } },
      required: ['city'],
      additionalProperties: false,
    },
  },
  handler: ({ city }) => ({ city, forecast: 'sunny' }),
};

type LoggedEvent = { direction: 'client' | 'server'; type: string; event: any };

const clientEvents = (log: { events: LoggedEvent[] }, type: string) =>
  log.events.filter((e) => e.direction === 'client' && e.type === type).map((e) => e.event);
const serverEvents = (log: { events: LoggedEvent[] }, type: string) =>
  log.events.filter((e) => e.direction === 'server' && e.type === type).map((e) => e.event);

for (const adapter of ADAPTERS) {
  describe(`e2e webrtc (${adapter}): conversation`, () => {
    requires('RTCPeerConnection');
    let h: Harness;

    afterEach(async () => {
      await h?.manager.dispose();
      await setFaults({});
    });

    it('starts, streams a text turn and ends it with the final text', async () => {
      h = createHarness(adapter);
      await h.manager.startSession(NO_VAD);
      const state = h.manager.getState();
      expect(state.connection).to.equal('connected');
      expect(state.session.status).to.equal('active');

      const done = waitFor(h.manager, 'realtime:assistant:done');
      await h.manager.sendMessage('Good morning');
      const result = await done;
      expect(result.status).to.equal('completed');
      expect(result.text).to.equal('You said "Good morning". This is the emulator speaking.');
      const deltas = h.named('realtime:assistant:delta').filter((d) => d.responseId === result.responseId);
      expect(deltas.length).to.be.greaterThan(1);
      expect(deltas.map((d) => d.delta).join('')).to.equal(result.text);
      expect(h.named('realtime:usage')[0]?.usage.totalTokens).to.be.greaterThan(0);

      const log = await currentSession(h.client);
      expect(log.session.instructions).to.equal('You are a test assistant.');
      expect(log.session.audio.input.turn_detection).to.equal(null);
      expect(clientEvents(log, 'response.create')).to.have.length(1);
      // One session.update opened the session: the minted one. (The agents SDK's tracing-only restatement
      // is kept off the wire: it cost every start a second round trip, and changed nothing.)
      const updates = clientEvents(log, 'session.update');
      expect(updates, `session.update events: ${JSON.stringify(updates.map((u) => u.session))}`).to.have.length(1);
      expect(updates[0].session.instructions).to.equal('You are a test assistant.');
      expect(serverEvents(log, 'session.updated')).to.have.length(1);
    });

    it('the voice level moves while the reply plays, lip-sync follows, and both read exactly 0 after', async function () {
      this.timeout(45_000);
      h = createHarness(adapter);
      await h.manager.startSession(NO_VAD);
      const audioStart = waitFor(h.manager, 'tts:audio:start');
      // Caught from the send, bounded from the audio's start (within()): it plays in real time.
      const audioEnd = waitFor(h.manager, 'tts:audio:end', () => true, 40_000);
      await h.manager.sendMessage('Say something');
      await audioStart;
      const output = h.manager.levels.output!;
      expect(output.active).to.equal(true);
      const peak = await sampleUntil(() => output.read(), (v) => v > 0.05, 'output level above 0.05 during the reply');
      expect(peak).to.be.at.most(1);
      const end = await within(audioEnd, 12_000, 'the reply’s audio end after its start');
      expect(end.reason).to.equal('stopped');
      expect(output.active).to.equal(false);
      expect(output.read()).to.equal(0);
      const lipsync = h.named('tts:lipsync:update').map((e) => e.rms);
      expect(lipsync.some((rms) => rms > 0.05), 'some lip-sync sample above 0.05').to.equal(true);
      expect(lipsync.at(-1)).to.equal(0);
      const count = lipsync.length;
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      expect(h.named('tts:lipsync:update').length, 'no lip-sync frames after the audio ended').to.equal(count);
    });

    it('answers a spoken turn (server VAD → transcript → reply)', async function () {
      // A start, 1.6 s of real-time speech, 2 s of silence and a reply, each wait bounded on its own.
      this.timeout(45_000);
      const mic = await speakingMicrophone();
      try {
        h = createHarness(adapter, {}, { microphone: { stream: mic.stream } });
        await h.manager.startSession({
          instructions: 'Listen.',
          // 2 s of silence ends the turn: a loaded Firefox stalls its audio for over a second (1638 ms
          // said, played over 2837 ms in ci21), and at 600 ms the stall ended the turn after 0.6 s.
          turnDetection: { type: 'server_vad', silenceDurationMs: 2000, interruptResponse: false },
          inputTranscription: { model: 'gpt-4o-mini-transcribe' },
        });
        const final = waitFor(h.manager, 'realtime:user:transcript', (t) => t.final, 60_000);
        await mic.say();
        const transcript = await within(final, 15_000, 'the final transcript after the utterance');
        expect(transcript.text).to.match(/^\[emulator\] heard \d+\.\d s of speech$/);
        expect(Number(/(\d+\.\d) s/.exec(transcript.text)![1]), `heard about as long as was said (${mic.durationMs()} ms said, played over ${Math.round(mic.lastPlayedMs)} ms)`).to.be.within(...heardRange(mic.durationMs(), mic.lastPlayedMs, { overWebRTC: true, silenceDurationMs: 2000 }));
        const partials = h.named('realtime:user:transcript').filter((t) => !t.final && t.itemId === transcript.itemId);
        expect(partials.length).to.be.greaterThan(0);
        const reply = await waitFor(h.manager, 'realtime:assistant:done', () => true, 10_000);
        expect(reply.text).to.match(/^I heard \d+\.\d seconds of speech\./);
        const log = await currentSession(h.client);
        expect(serverEvents(log, 'input_audio_buffer.speech_started').length).to.be.greaterThan(0);
        expect(serverEvents(log, 'input_audio_buffer.committed').length).to.be.greaterThan(0);
      } finally {
        await mic.close();
      }
    });

    it('runs a tool call round trip: a valid call’s result and an invalid call’s failure reach the emulator', async () => {
      h = createHarness(adapter, { tools: [weatherTool] });
      await h.manager.startSession(TEXT_REPLIES);

      const result = waitFor(h.manager, 'realtime:tool:result');
      const followUp = waitFor(h.manager, 'realtime:assistant:done', (d) => d.text.startsWith('Done:'), 10_000);
      await h.manager.sendMessage('call get_weather {"city":"Paris"}');
      const ok = await result;
      expect(ok.name).to.equal('get_weather');
      expect(ok.result).to.deep.equal({ city: 'Paris', forecast: 'sunny' });
      expect((await followUp).text).to.contain('get_weather returned');

      const failure = waitFor(h.manager, 'realtime:tool:error');
      const followUp2 = waitFor(h.manager, 'realtime:assistant:done', (d) => d.text.startsWith('Done:'), 10_000);
      await h.manager.sendMessage('call get_weather {"city":5}');
      const bad = await failure;
      expect(bad.code).to.equal('invalid_arguments');
      await followUp2;

      const log = await currentSession(h.client);
      const outputs = clientEvents(log, 'conversation.item.create')
        .map((e) => e.item)
        .filter((item) => item.type === 'function_call_output');
      expect(outputs.map((o) => o.call_id)).to.deep.equal([ok.callId, bad.callId]);
      expect(JSON.parse(outputs[0].output)).to.deep.equal({ city: 'Paris', forecast: 'sunny' });
      expect(outputs[1].output).to.match(/invalid_arguments|city/);
      // One follow-up response per tool response: the results asked for exactly one each.
      expect(clientEvents(log, 'response.create')).to.have.length(4);
      expect(serverEvents(log, 'error')).to.deep.equal([]);
    });

    it('interrupts mid-reply: audio stops, the item is truncated, and the next turn is clean', async () => {
      h = createHarness(adapter);
      await h.manager.startSession(NO_VAD);
      const audioStart = waitFor(h.manager, 'tts:audio:start');
      const secondDelta = waitFor(h.manager, 'realtime:assistant:delta', (d) => d.text.length > 20);
      await h.manager.sendMessage('Tell me a long story about a lighthouse keeper who counted every wave of the sea');
      await audioStart;
      await secondDelta;
      await h.manager.interrupt();
      const state = h.manager.getState();
      expect(state.response.status).to.equal('interrupted');
      expect(state.audioPlaying).to.equal(false);
      expect(h.manager.levels.output!.read()).to.equal(0);

      const next = waitFor(h.manager, 'realtime:assistant:done', (d) => d.status === 'completed', 10_000);
      await h.manager.sendMessage('Short one');
      const clean = await next;
      expect(clean.text).to.equal('You said "Short one". This is the emulator speaking.');

      const log = await currentSession(h.client);
      expect(clientEvents(log, 'response.cancel')).to.have.length(1);
      expect(clientEvents(log, 'output_audio_buffer.clear')).to.have.length(1);
      const [truncate] = clientEvents(log, 'conversation.item.truncate');
      expect(truncate?.audio_end_ms).to.be.a('number');
      expect(serverEvents(log, 'conversation.item.truncated')).to.have.length(1);
      expect(serverEvents(log, 'response.done').map((e) => e.response.status)).to.deep.equal(['cancelled', 'completed']);
      expect(serverEvents(log, 'error')).to.deep.equal([]);
    });

    it('applies updateSession live: instructions and voice reach the emulator’s session', async () => {
      h = createHarness(adapter);
      await h.manager.startSession({ ...NO_VAD, voice: 'marin' });
      await h.manager.updateSession({ instructions: 'Speak like a pirate.', voice: 'cedar' });
      const session = (await currentSession(h.client)).session;
      expect(session.instructions).to.equal('Speak like a pirate.');
      expect(session.audio.output.voice).to.equal('cedar');
      expect(session.audio.input.turn_detection).to.equal(null);
      expect(h.manager.getState().session.config?.voice).to.equal('cedar');
    });

    it('reconnects after the emulator drops the call mid-response and replays the conversation', async () => {
      h = createHarness(adapter);
      await h.manager.startSession(TEXT_REPLIES);
      const sessionId = h.manager.getState().session.id;
      const first = waitFor(h.manager, 'realtime:assistant:done');
      await h.manager.sendMessage('First question');
      const firstReply = await first;
      const before = await currentSession(h.client);

      await setFaults({ dropAfterDeltas: 2 }, before.id);
      const attempt = waitFor(h.manager, 'realtime:reconnect:attempt');
      const success = waitFor(h.manager, 'realtime:reconnect:success', () => true, 10_000);
      await h.manager.sendMessage('Second question');
      expect((await attempt).cause).to.equal('data-channel-closed');
      const ok = await success;
      expect(ok.sessionId).to.equal(sessionId);
      expect(h.manager.getState().session.id).to.equal(sessionId);
      expect(h.manager.getState().connection).to.equal('connected');

      const after = await currentSession(h.client);
      expect(after.id).to.not.equal(before.id);
      const replayed = after.items.map((item: any) => [item.role, item.content?.[0]?.type, item.content?.[0]?.text]);
      expect(replayed.slice(0, 3)).to.deep.equal([
        ['user', 'input_text', 'First question'],
        ['assistant', 'output_text', firstReply.text],
        ['user', 'input_text', 'Second question'],
      ]);
      expect(clientEvents(after, 'response.create')).to.have.length(0);
      expect(after.items.some((item: any) => item.type === 'function_call' || item.type === 'function_call_output')).to.equal(false);

      // The new connection works.
      const next = waitFor(h.manager, 'realtime:assistant:done');
      await h.manager.sendMessage('Still there?');
      expect((await next).text).to.contain('Still there?');
    });
  });
}

describe('e2e webrtc: schema conformance', () => {
  requires('RTCPeerConnection');
  it('every client and server event of this file validated against OpenAI’s schema', async () => {
    const { violations } = await emulator<{ violations: unknown[] }>('/_emulator/violations');
    expect(violations).to.deep.equal([]);
  });
});
