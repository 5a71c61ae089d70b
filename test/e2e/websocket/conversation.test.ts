// End to end over a real WebSocket: manager → remote client → the real route → the emulator, with the
// openai-websocket adapter's own audio path (a speaking microphone in, worklet playback out).
import { expect } from '@open-wc/testing';
import { heardRange, speakingMicrophone, type SpeakingMicrophone } from '../../helpers/speaking-microphone.js';
import { within } from '../../helpers/within.js';
import {
  clientEvents,
  created,
  emulator,
  harness,
  installResourceTracking,
  lastSocket,
  next,
  serverEvent,
  type Harness,
} from './helpers.js';

installResourceTracking();

/** Reads a level once per animation frame until `predicate` holds (bounded by frames, not wall time). */
async function levelUntil(read: () => number, predicate: (v: number) => boolean, maxFrames = 300): Promise<number> {
  for (let i = 0; i < maxFrames; i += 1) {
    const value = read();
    if (predicate(value)) return value;
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
  throw new Error(`level never satisfied the predicate within ${maxFrames} frames (last ${read()})`);
}

/** Samples the output level on every lipsync event until playback ends; returns the highest. */
function peakLevelDuringAudio(h: Harness): { peak: () => number; stop: () => void } {
  let peak = 0;
  const off = h.manager.on('tts:lipsync:update', () => {
    peak = Math.max(peak, h.manager.levels.output?.read() ?? 0);
  });
  return { peak: () => peak, stop: off };
}

describe('e2e websocket: conversation', () => {
  let h: Harness;
  // Silent until a test speaks (test/helpers/speaking-microphone.ts): the same input in every engine.
  let mic: SpeakingMicrophone;

  beforeEach(async () => {
    mic = await speakingMicrophone();
    h = harness({}, { microphone: { stream: mic.stream } });
    await h.client.prepareAudio();
  });

  afterEach(async () => {
    await h.manager.dispose();
    await h.audio.close();
    await mic.close();
  });

  it('starts a session whose whole config reaches the emulator', async () => {
    await h.manager.startSession({ instructions: 'Be brief.', voice: 'cedar' });
    expect(h.manager.getState().connection).to.equal('connected');
    const session = await emulator.log(lastSocket().sessionId!);
    expect(session.session.instructions).to.equal('Be brief.');
    expect(session.session.audio.output.voice).to.equal('cedar');
    expect(session.session.audio.input.format).to.deep.equal({ type: 'audio/pcm', rate: 24000 });
    expect(session.session.audio.output.format).to.deep.equal({ type: 'audio/pcm', rate: 24000 });
  });

  it('a text turn streams deltas, speaks, moves the voice level and ends at exactly 0', async function () {
    this.timeout(45_000);
    await h.manager.startSession();
    const level = peakLevelDuringAudio(h);
    const done = next(h.manager, 'realtime:assistant:done');
    const audioStart = next(h.manager, 'tts:audio:start');
    // Caught from the send, bounded once the reply's text is done: the audio plays in real time after it.
    const audioEnd = next(h.manager, 'tts:audio:end', () => true, 40_000);
    await h.manager.sendMessage('hello there');
    const reply = await done;
    expect(reply.status).to.equal('completed');
    expect(reply.text).to.equal('You said "hello there". This is the emulator speaking.');
    expect(h.named('realtime:assistant:delta').length).to.be.greaterThan(3);
    await audioStart;
    const end = await within(audioEnd, 12_000, 'the reply’s audio end after its text');
    expect(end.reason).to.equal('stopped');
    level.stop();
    expect(level.peak()).to.be.greaterThan(0.05);
    expect(h.manager.levels.output!.read()).to.equal(0);
    expect(h.manager.levels.output!.active).to.equal(false);
    expect(h.manager.getState().audioPlaying).to.equal(false);
  });

  it('a spoken turn is heard, transcribed and answered', async function () {
    // A start, 1.6 s of real-time speech and two waits of up to 12 s each, bounded from their own step.
    this.timeout(45_000);
    await h.manager.startSession({
      inputTranscription: { model: 'whisper-1' },
      turnDetection: { type: 'server_vad', silenceDurationMs: 600 },
    });
    // Caught from now, bounded from the step before each (within()): the utterance plays in real time.
    // Timed when it arrives: whether the turn ended before the utterance did is part of the check.
    const heard = next(h.manager, 'realtime:user:transcript', (t: any) => t.final, 60_000).then((t: any) => ({ ...t, at: performance.now() }));
    const reply = next(h.manager, 'realtime:assistant:done', (d: any) => d.status === 'completed', 60_000);
    const spoken = mic.say();
    // The microphone level moves while the user speaks.
    expect(await levelUntil(() => h.manager.levels.input!.read(), (v) => v > 0.02)).to.be.greaterThan(0.02);
    await spoken;
    const transcript = await within(heard, 12_000, 'the final transcript after the utterance');
    const answeredWithinMs = transcript.at - mic.lastStartedAt;
    const seconds = Number(/heard (\d+\.\d) s of speech/.exec(transcript.text)?.[1]);
    expect(seconds, `${transcript.text} (${mic.durationMs()} ms said, played over ${Math.round(mic.lastPlayedMs)} ms, answered within ${Math.round(answeredWithinMs)} ms)`).to.be.within(...heardRange(mic.durationMs(), mic.lastPlayedMs, { answeredWithinMs, silenceDurationMs: 600 }));
    expect((await within(reply, 12_000, 'the reply after the transcript')).text).to.match(/I heard \d+\.\d seconds of speech/);
    // Muted, the level reads exactly 0.
    h.manager.setMuted(true);
    expect(h.manager.levels.input!.read()).to.equal(0);
  });

  it('a barge-in (server VAD hears the user over the reply) flushes playback and truncates to what was heard', async function () {
    this.timeout(45_000);
    await h.manager.startSession({ turnDetection: { type: 'server_vad', silenceDurationMs: 600 } });
    const socket = lastSocket();
    // One utterance is a turn; speaking again while the reply plays barges in.
    const replying = next(h.manager, 'tts:audio:start', () => true, 40_000);
    await mic.say();
    await within(replying, 12_000, 'the reply’s audio after the utterance');
    void mic.say();
    const truncated = await serverEvent(socket, (e) => e.type === 'conversation.item.truncated' || e.type === 'error', 'a barge-in truncation', 12_000);
    expect(truncated.type, JSON.stringify(truncated)).to.equal('conversation.item.truncated');
    const firstResponse = socket.events.findIndex((e) => e.type === 'response.created');
    const bargeIn = socket.events.findIndex((e, i) => i > firstResponse && e.type === 'input_audio_buffer.speech_started');
    expect(bargeIn).to.be.greaterThan(firstResponse);
    const cancelled = await serverEvent(socket, (e) => e.type === 'response.done' && (e.response as any).status === 'cancelled', 'the cancelled response');
    expect((cancelled.response as any).status_details.reason).to.equal('turn_detected');
    const stopped = h.named('tts:audio:end');
    expect(stopped.some((e) => e.reason === 'interrupted')).to.equal(true);
    // No response.cancel from us: the server cancelled it itself.
    const log = await emulator.log(socket.sessionId!);
    expect(clientEvents(log, 'response.cancel')).to.have.length(0);
  });

  it('sendAudioChunk appends the page’s own PCM16; server VAD hears it as a turn', async () => {
    await h.manager.startSession({ inputTranscription: { model: 'whisper-1' } });
    const speech = new Int16Array(24_000 * 1.1);
    for (let i = 0; i < 24_000 * 0.4; i += 1) speech[i] = Math.round(0.3 * 32767 * Math.sin((2 * Math.PI * 440 * i) / 24_000));
    const transcript = next(h.manager, 'realtime:user:transcript', (t: any) => t.final, 8000);
    const reply = next(h.manager, 'realtime:assistant:done', () => true, 12_000);
    await h.manager.sendAudioChunk(speech.buffer);
    expect((await transcript).text).to.equal('[emulator] heard 0.4 s of speech');
    expect((await reply).text).to.equal('I heard 0.4 seconds of speech. This is the emulator speaking.');
  });

  it('a tool call round trip: validated arguments, result back to the model, then the answer', async () => {
    const seen: unknown[] = [];
    h.manager.registerTool({
      definition: {
        type: 'function',
        name: 'get_weather',
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
      },
      handler: (args: { city: string }) => {
        seen.push(args);
        return { city: args.city, forecast: 'sunny' };
      },
    });
    await h.manager.startSession();
    const answer = next(h.manager, 'realtime:assistant:done', (d: any) => d.text.startsWith('Done:'), 12_000);
    await h.manager.sendMessage('call get_weather {"city":"Paris"}');
    const done = await answer;
    expect(seen).to.deep.equal([{ city: 'Paris' }]);
    expect(done.text).to.contain('get_weather returned {"city":"Paris","forecast":"sunny"}');
    const call = h.named('realtime:tool:call')[0];
    const log = await emulator.log(lastSocket().sessionId!);
    const outputs = clientEvents(log, 'conversation.item.create').filter((e) => e.item.type === 'function_call_output');
    expect(outputs).to.have.length(1);
    expect(outputs[0].item.call_id).to.equal(call.callId);

    // Invalid arguments never reach the handler; the model gets a failure result instead.
    const failure = next(h.manager, 'realtime:tool:error');
    const second = next(h.manager, 'realtime:assistant:done', (d: any) => d.text.startsWith('Done:'), 12_000);
    await h.manager.sendMessage('call get_weather {"city":5}');
    expect((await failure).code).to.equal('invalid_arguments');
    await second;
    expect(seen).to.have.length(1);
    const after = await emulator.log(lastSocket().sessionId!);
    expect(clientEvents(after, 'conversation.item.create').filter((e) => e.item.type === 'function_call_output')).to.have.length(2);
  });

  it('interrupt mid-reply stops the audio at once and truncates to what was heard; the next turn is clean', async () => {
    await h.manager.startSession();
    const socket = lastSocket();
    const audioStart = next(h.manager, 'tts:audio:start');
    await h.manager.sendMessage('please tell me a long story about a lighthouse keeper and the sea at night');
    await audioStart;
    // Let some of it be heard: a few frames of lip-sync.
    for (let i = 0; i < 20; i += 1) await next(h.manager, 'tts:lipsync:update');
    const ended = next(h.manager, 'tts:audio:end');
    await h.manager.interrupt();
    expect((await ended).reason).to.equal('interrupted');
    const state = h.manager.getState();
    expect(state.response.status).to.equal('interrupted');
    expect(state.audioPlaying).to.equal(false);
    expect(h.manager.levels.output!.read()).to.equal(0);

    const truncated = await serverEvent(socket, (e) => e.type === 'conversation.item.truncated' || e.type === 'error', 'conversation.item.truncated');
    expect(truncated.type, JSON.stringify(truncated)).to.equal('conversation.item.truncated');
    const heard = truncated.audio_end_ms as number;
    expect(heard).to.be.greaterThan(100);
    expect(heard).to.be.lessThan(6000);
    const log = await emulator.log(socket.sessionId!);
    const [truncate] = clientEvents(log, 'conversation.item.truncate');
    expect(truncate.audio_end_ms).to.equal(heard);
    expect(clientEvents(log, 'response.cancel')).to.have.length(1);

    const clean = next(h.manager, 'realtime:assistant:done', () => true, 12_000);
    await h.manager.sendMessage('and now?');
    const reply = await clean;
    expect(reply.status).to.equal('completed');
    expect(reply.text).to.equal('You said "and now?". This is the emulator speaking.');
    expect(h.manager.getState().lastError).to.equal(null);
  });

  it('updateSession sends the whole session; instructions and voice reach the emulator', async () => {
    await h.manager.startSession({ instructions: 'first', voice: 'alloy', turnDetection: { type: 'server_vad', threshold: 0.7 } });
    await h.manager.updateSession({ instructions: 'second', voice: 'verse' });
    const info = await emulator.log(lastSocket().sessionId!);
    expect(info.session.instructions).to.equal('second');
    expect(info.session.audio.output.voice).to.equal('verse');
    // Whole session, not a patch: the earlier turn detection is still there.
    expect(info.session.audio.input.turn_detection.threshold).to.equal(0.7);
    const updates = clientEvents(info, 'session.update');
    expect(updates.at(-1).session.audio.input.turn_detection.threshold).to.equal(0.7);
  });

  it('no client or server event of these sessions violated the schema', async () => {
    const ids = created.sockets.map((s) => s.sessionId).filter((id): id is string => Boolean(id));
    expect(ids.length).to.be.at.least(6);
    const { violations } = await emulator.violations();
    const ours = violations.filter((v: { sessionId: string }) => ids.includes(v.sessionId));
    expect(ours, JSON.stringify(ours.slice(0, 3), null, 1)).to.deep.equal([]);
  });
});
