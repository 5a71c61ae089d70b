// End to end: the session config drives real turns. Manager → remote client → the real route → the
// emulator, for WebRTC (openai-agents-webrtc) and WebSocket (openai-websocket): push-to-talk without
// VAD, server and semantic VAD, transcription off and on, text-only output, and a live switch from VAD
// to push-to-talk. Every wait is on an event, a state, the mic level or the emulator's view, bounded;
// every session ends with an empty violation list.
//
// The user speaks through a speaking microphone (test/helpers/speaking-microphone.ts): silence until the
// test says something, then ~1.6 s of speech-like sound. The same in every engine, so the turns here
// are the same turns in Chromium, Firefox and WebKit.
import { expect } from '@open-wc/testing';
import type { RealtimeManager, RealtimeSessionConfig } from '../../../src/manager/index.js';
import type { MicrophoneOptions } from '../../../src/transports/index.js';
import { requires } from '../../helpers/engine.js';
import { within } from '../../helpers/within.js';
import { heardRange, speakingMicrophone, type SpeakingMicrophone } from '../../helpers/speaking-microphone.js';
import { createHarness, EMULATOR_URL, sampleUntil, waitFor } from '../webrtc/helpers.js';
import { harness as websocketHarness, installResourceTracking, lastSocket } from '../websocket/helpers.js';

installResourceTracking();

interface TurnHarness {
  manager: RealtimeManager;
  named(event: string): any[];
  /** The emulator's id of the current session (WebRTC call id or WebSocket session id). */
  emulatorId(): string;
  dispose(): Promise<void>;
}

const TRANSPORTS = [
  {
    name: 'openai-agents-webrtc',
    needs: ['RTCPeerConnection'],
    async create(microphone?: MicrophoneOptions): Promise<TurnHarness> {
      const h = createHarness('openai-agents-webrtc', {}, microphone ? { microphone } : {});
      return {
        manager: h.manager,
        named: (event) => h.named(event as never),
        emulatorId: () => {
          const callId = (h.client.inner as { callId?: string } | undefined)?.callId;
          if (!callId) throw new Error('no call id: not connected?');
          return callId;
        },
        dispose: () => h.manager.dispose(),
      };
    },
  },
  {
    name: 'openai-websocket',
    needs: [],
    async create(microphone?: MicrophoneOptions): Promise<TurnHarness> {
      const h = websocketHarness({}, microphone ? { microphone } : {});
      await h.client.prepareAudio();
      return {
        manager: h.manager,
        named: h.named,
        emulatorId: () => {
          const id = lastSocket().sessionId;
          if (!id) throw new Error('no session.created on the socket yet');
          return id;
        },
        dispose: async () => {
          await h.manager.dispose();
          await h.audio.close();
        },
      };
    },
  },
] as const;

// ── the emulator's view ───────────────────────────────────────────────────────────────────────

type Logged = { direction: 'client' | 'server'; type: string; event: any };

async function control<T = any>(path: string): Promise<T> {
  const response = await fetch(`${EMULATOR_URL}/_emulator${path}`);
  const body = await response.json();
  if (!response.ok) throw new Error(`emulator ${path}: ${response.status} ${JSON.stringify(body)}`);
  return body as T;
}
const sessionLog = (id: string) => control<{ session: any; events: Logged[]; violations: unknown[] }>(`/sessions/${encodeURIComponent(id)}/events`);
const sessionInfo = (id: string) => control<{ inputAudio: { receivedMs: number; bufferedMs: number } }>(`/sessions/${encodeURIComponent(id)}`);

const typesOf = (events: Logged[], direction: 'client' | 'server') => events.filter((e) => e.direction === direction).map((e) => e.type);
const serverEvents = (events: Logged[], type: string) => events.filter((e) => e.direction === 'server' && e.type === type).map((e) => e.event);

/** Polls the emulator's session summary once per animation frame until `predicate` holds (bounded). */
async function untilEmulator(id: string, predicate: (info: Awaited<ReturnType<typeof sessionInfo>>) => boolean, what: string, maxFrames = 600): Promise<void> {
  let last: unknown;
  for (let frame = 0; frame < maxFrames; frame += 1) {
    const info = await sessionInfo(id);
    last = info.inputAudio;
    if (predicate(info)) return;
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
  throw new Error(`emulator: ${what} not within ${maxFrames} frames (last ${JSON.stringify(last)})`);
}

/** No event either way broke OpenAI's schema, and the emulator answered nothing with an error. */
async function expectCleanSession(id: string): Promise<void> {
  const log = await sessionLog(id);
  expect(log.violations, JSON.stringify(log.violations.slice(0, 3))).to.deep.equal([]);
  expect(serverEvents(log.events, 'error').map((e) => e.error)).to.deep.equal([]);
}

/**
 * Push-to-talk: starts a turn, speaks (the input level moves meanwhile), waits until the emulator has
 * received 300 ms more audio after the speech ended (its tail is in), then ends the turn.
 */
async function talk(h: TurnHarness, mic: SpeakingMicrophone): Promise<void> {
  await h.manager.startTalking();
  const input = h.manager.levels.input!;
  const spoken = mic.say();
  await sampleUntil(() => input.read(), (level) => level > 0.02, 'the microphone level while talking', 600);
  await spoken;
  const { inputAudio } = await sessionInfo(h.emulatorId());
  await untilEmulator(h.emulatorId(), (info) => info.inputAudio.receivedMs >= inputAudio.receivedMs + 300 && info.inputAudio.bufferedMs >= mic.durationMs(), 'the whole utterance at the emulator');
  await h.manager.stopTalking();
}

/** The seconds of speech the emulator's transcript says it heard. */
const heardSeconds = (text: string) => Number(TRANSCRIPT.exec(text)?.[1] ?? NaN);

const TRANSCRIPT = /^\[emulator\] heard (\d+\.\d) s of speech$/;
const SPOKEN_TURN_REPLY = /^I heard \d+\.\d seconds of speech\. This is the emulator speaking\.$/;

for (const transport of TRANSPORTS) {
  describe(`e2e session config (${transport.name}): turns`, () => {
    requires(...transport.needs);
    let h: TurnHarness | undefined;
    let mic: SpeakingMicrophone;

    beforeEach(async () => {
      mic = await speakingMicrophone();
    });

    // The first WebRTC session of a run pays one-time costs (the emulator loads its WebRTC stack,
    // Chromium starts its own): a throwaway session pays them here, under its own bound, not a test's.
    before(async function () {
      this.timeout(30_000);
      const warm = await transport.create();
      try {
        await warm.manager.startSession({ turnDetection: null, outputModalities: ['text'] });
      } finally {
        await warm.dispose();
      }
    });

    afterEach(async () => {
      await h?.dispose();
      h = undefined;
      await mic.close();
    });

    it('text-only output: text deltas arrive, no audio at all', async () => {
      h = await transport.create();
      h.manager.setMuted(true);
      await h.manager.startSession({ turnDetection: null, outputModalities: ['text'] });
      const output = h.manager.levels.output!;
      let loudest = 0;
      const off = h.manager.on('realtime:assistant:delta', () => void (loudest = Math.max(loudest, output.read())));
      const done = waitFor(h.manager, 'realtime:assistant:done');
      await h.manager.sendMessage('Text only, please');
      const reply = await done;
      off();
      expect(reply.status).to.equal('completed');
      expect(reply.text).to.equal('You said "Text only, please". This is the emulator speaking.');
      const deltas = h.named('realtime:assistant:delta').filter((d) => d.responseId === reply.responseId);
      expect(deltas.length).to.be.greaterThan(1);
      expect(deltas.map((d) => d.delta).join('')).to.equal(reply.text);
      expect(h.named('tts:audio:start'), 'no audio started').to.deep.equal([]);
      expect(loudest, 'the voice level stayed at 0').to.equal(0);
      expect(h.manager.getState().audioPlaying).to.equal(false);

      const id = h.emulatorId();
      const log = await sessionLog(id);
      expect(log.session.output_modalities).to.deep.equal(['text']);
      const server = typesOf(log.events, 'server');
      expect(server.filter((t) => t === 'response.output_text.delta').length).to.be.greaterThan(1);
      expect(server).to.include('response.output_text.done');
      expect(server.filter((t) => /audio/.test(t) && !t.startsWith('input_audio_buffer')), 'no audio events, no output_audio_buffer').to.deep.equal([]);
      expect(serverEvents(log.events, 'response.done')[0].response.output_modalities).to.deep.equal(['text']);
      await expectCleanSession(id);
    });

    // The spoken tests catch their events before speaking and bound each wait from the step before it
    // (within()): the utterance plays in real time, and a loaded run spends the bound before it ends.
    it('push-to-talk (turn detection null) with transcription: the spoken turn is committed, transcribed and answered', async function () {
      this.timeout(45_000);
      h = await transport.create({ stream: mic.stream });
      await h.manager.startSession({ turnDetection: null, inputTranscription: { model: 'whisper-1' } });
      const id = h.emulatorId();
      expect((await sessionLog(id)).session.audio.input.turn_detection).to.equal(null);

      const transcript = waitFor(h.manager, 'realtime:user:transcript', (t) => t.final, 40_000);
      const reply = waitFor(h.manager, 'realtime:assistant:done', () => true, 40_000);
      await talk(h, mic);
      const heard = await within(transcript, 15_000, 'the final transcript after the release');
      expect(heard.text).to.match(TRANSCRIPT);
      // Without VAD the emulator hears the whole held turn: the utterance plus the quiet around it.
      expect(heardSeconds(heard.text), 'the whole utterance was in the turn').to.be.at.least(mic.durationMs() / 1000);
      expect((await within(reply, 15_000, 'the reply after the transcript')).text).to.match(SPOKEN_TURN_REPLY);
      expect(h.named('tts:audio:start').length, 'the reply was spoken').to.be.greaterThan(0);

      const log = await sessionLog(id);
      const client = typesOf(log.events, 'client');
      expect(client).to.include.members(['input_audio_buffer.clear', 'input_audio_buffer.commit', 'response.create']);
      expect(client.indexOf('input_audio_buffer.clear')).to.be.lessThan(client.indexOf('input_audio_buffer.commit'));
      expect(serverEvents(log.events, 'input_audio_buffer.committed')).to.have.length(1);
      expect(serverEvents(log.events, 'input_audio_buffer.speech_started'), 'no VAD').to.deep.equal([]);
      expect(serverEvents(log.events, 'conversation.item.input_audio_transcription.completed')).to.have.length(1);
      await expectCleanSession(id);
    });

    it('server VAD with a threshold the speech crosses, transcription on: a spoken turn', async function () {
      this.timeout(45_000);
      h = await transport.create({ stream: mic.stream });
      const config: RealtimeSessionConfig = {
        turnDetection: { type: 'server_vad', threshold: 0.3, silenceDurationMs: 600, prefixPaddingMs: 100, interruptResponse: false },
        inputTranscription: { model: 'gpt-4o-mini-transcribe', language: 'en' },
      };
      await h.manager.startSession(config);
      const id = h.emulatorId();
      const applied = (await sessionLog(id)).session.audio.input;
      expect(applied.turn_detection).to.include({ type: 'server_vad', threshold: 0.3, silence_duration_ms: 600, prefix_padding_ms: 100, interrupt_response: false });
      expect(applied.transcription).to.deep.equal({ model: 'gpt-4o-mini-transcribe', language: 'en' });

      const reply = waitFor(h.manager, 'realtime:assistant:done', () => true, 40_000);
      // Timed when it arrives: whether the turn ended before the utterance did is part of the check.
      const final = waitFor(h.manager, 'realtime:user:transcript', (t) => t.final, 40_000).then((t) => ({ ...t, at: performance.now() }));
      await mic.say();
      const heard = await within(final, 12_000, 'the final transcript after the utterance');
      const answeredWithinMs = heard.at - mic.lastStartedAt;
      expect(heard.text).to.match(TRANSCRIPT);
      expect(heardSeconds(heard.text), `heard about as long as was said (${mic.durationMs()} ms said, played over ${Math.round(mic.lastPlayedMs)} ms, answered within ${Math.round(answeredWithinMs)} ms)`).to.be.within(...heardRange(mic.durationMs(), mic.lastPlayedMs, { overWebRTC: transport.name !== 'openai-websocket', answeredWithinMs, silenceDurationMs: 600 }));
      expect((await within(reply, 15_000, 'the reply after the transcript')).text).to.match(SPOKEN_TURN_REPLY);

      const log = await sessionLog(id);
      const server = typesOf(log.events, 'server');
      const started = server.indexOf('input_audio_buffer.speech_started');
      expect(started).to.be.greaterThan(-1);
      expect(server.indexOf('input_audio_buffer.speech_stopped')).to.be.greaterThan(started);
      expect(server.indexOf('input_audio_buffer.committed')).to.be.greaterThan(server.indexOf('input_audio_buffer.speech_stopped'));
      expect(typesOf(log.events, 'client'), 'the server ended the turn, not the client').to.not.include('input_audio_buffer.commit');
      await expectCleanSession(id);
    });

    it('semantic VAD (high eagerness) with transcription off: a spoken turn is answered, no user transcript at all', async function () {
      this.timeout(45_000);
      h = await transport.create({ stream: mic.stream });
      // Answered in text: quick, and the turn is what this test is about.
      await h.manager.startSession({
        turnDetection: { type: 'semantic_vad', eagerness: 'high', interruptResponse: false },
        inputTranscription: null,
        outputModalities: ['text'],
      });
      const id = h.emulatorId();
      const applied = (await sessionLog(id)).session.audio.input;
      expect(applied.turn_detection).to.include({ type: 'semantic_vad', eagerness: 'high', interrupt_response: false });
      expect(applied.transcription).to.equal(null);

      const started = waitFor(h.manager, 'realtime:assistant:start', () => true, 40_000);
      await mic.say();
      await within(started, 12_000, 'the reply’s start after the utterance');
      const reply = await waitFor(h.manager, 'realtime:assistant:done', () => true, 15_000);
      expect(reply.text).to.match(SPOKEN_TURN_REPLY);
      expect(h.named('realtime:user:transcript'), 'no user transcript events').to.deep.equal([]);
      expect(h.named('tts:audio:start')).to.deep.equal([]);

      const log = await sessionLog(id);
      const server = typesOf(log.events, 'server');
      expect(server).to.include.members(['input_audio_buffer.speech_started', 'input_audio_buffer.speech_stopped', 'input_audio_buffer.committed']);
      expect(server.filter((t) => t.startsWith('conversation.item.input_audio_transcription.')), 'transcription is off').to.deep.equal([]);
      await expectCleanSession(id);
    });

    it('a live updateSession switches from VAD to push-to-talk: no more automatic turns, a held turn is answered', async function () {
      this.timeout(45_000);
      h = await transport.create({ stream: mic.stream });
      await h.manager.startSession({
        turnDetection: { type: 'server_vad', threshold: 0.3, silenceDurationMs: 600, createResponse: false },
        inputTranscription: { model: 'whisper-1' },
        // Answered in text: quick, and the switch is what this test is about.
        outputModalities: ['text'],
      });
      const id = h.emulatorId();
      // VAD first: speech makes a turn on its own (no reply: createResponse false).
      const vadTurn = waitFor(h.manager, 'realtime:user:transcript', (t) => t.final, 12_000);
      await mic.say();
      await vadTurn;
      let refused: unknown;
      await h.manager.startTalking().catch((error: unknown) => (refused = error));
      expect((refused as { code?: string })?.code, 'push-to-talk is refused while VAD is on').to.equal('turn_detection_on');

      await h.manager.updateSession({ turnDetection: null });
      const switched = await sessionLog(id);
      expect(switched.session.audio.input.turn_detection).to.equal(null);
      expect(switched.session.audio.input.transcription).to.deep.equal({ model: 'whisper-1' }, 'the rest of the session is kept');
      expect(switched.session.output_modalities).to.deep.equal(['text']);
      const from = switched.events.length;
      expect(h.manager.getState().session.config?.turnDetection).to.equal(null);

      const transcript = waitFor(h.manager, 'realtime:user:transcript', (t) => t.final, 40_000);
      const reply = waitFor(h.manager, 'realtime:assistant:done', () => true, 40_000);
      await talk(h, mic);
      expect((await within(transcript, 15_000, 'the final transcript after the release')).text).to.match(TRANSCRIPT);
      expect((await within(reply, 15_000, 'the reply after the transcript')).text).to.match(SPOKEN_TURN_REPLY);

      const after = (await sessionLog(id)).events.slice(from);
      // The microphone sounded during the held turn, and no VAD turn came of it.
      expect(typesOf(after, 'server').filter((t) => t.startsWith('input_audio_buffer.speech_')), 'no automatic turns').to.deep.equal([]);
      expect(serverEvents(after, 'input_audio_buffer.committed')).to.have.length(1);
      expect(typesOf(after, 'client')).to.include.members(['input_audio_buffer.clear', 'input_audio_buffer.commit']);
      await expectCleanSession(id);
    });
  });
}
