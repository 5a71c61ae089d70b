// Push-to-talk through the elements, the same in every engine: a real click starts the session, the
// Talk button is held with the real space bar while the user speaks through a speaking microphone,
// and the turn that goes out is transcribed and answered. (Over WebSocket, which every engine here runs.)
import { expect } from '@open-wc/testing';
import { sendKeys } from '../../helpers/keys.js';
import { awaitedEvent, control, EMULATOR_URL, mountSession, nextEvent, realClick } from './support.js';

/** The emulator's newest open session: this test's (each engine has an emulator of its own, files run one by one). */
async function openSession(): Promise<{ id: string; inputAudio: { receivedMs: number; bufferedMs: number } }> {
  type Info = { id: string; state: string; inputAudio: { receivedMs: number; bufferedMs: number } };
  const { sessions } = (await (await fetch(`${EMULATOR_URL}/_emulator/sessions`)).json()) as { sessions: Info[] };
  // Listed in the order they were created.
  const newest = sessions.filter((session) => session.state !== 'closed').at(-1);
  if (!newest) throw new Error('no open emulator session');
  return newest;
}

/** Checks the emulator once per animation frame until `predicate` holds (bounded). */
async function untilEmulator(predicate: (info: Awaited<ReturnType<typeof openSession>>) => boolean, what: string, maxFrames = 600): Promise<void> {
  for (let frame = 0; frame < maxFrames; frame += 1) {
    if (predicate(await openSession())) return;
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
  throw new Error(`emulator: ${what} not within ${maxFrames} frames`);
}

describe('engines: push-to-talk with <charivo-controls> and a speaking microphone', () => {
  it('holding Talk (space bar) while the user speaks sends one turn; it is transcribed and answered', async function () {
    // A start, 1.6 s of speech played in real time, the turn and its spoken reply: past the default
    // 20 s in Firefox under a full three-engine run. Every wait inside is bounded and named.
    this.timeout(60_000);
    const { el, controls, mic, remove } = await mountSession({ adapter: 'openai-websocket', 'push-to-talk': true });
    el.sessionConfig = { inputTranscription: { model: 'whisper-1' } };
    try {
      const started = nextEvent(el, 'charivo-session-start');
      await realClick(control(controls, 'start'));
      await started;
      await (controls as HTMLElement & { updateComplete: Promise<boolean> }).updateComplete;

      const transcript = awaitedEvent<{ final: boolean; text: string }>(el, 'charivo-user-transcript', (t) => t.final);
      const reply = awaitedEvent<{ status: string; text: string }>(el, 'charivo-assistant-done', (d) => d.status === 'completed');
      const talk = control(controls, 'talk');
      talk.focus();
      await sendKeys({ down: 'Space' });
      await (controls as HTMLElement & { updateComplete: Promise<boolean> }).updateComplete;
      expect(talk.getAttribute('aria-pressed'), 'held').to.equal('true');
      await mic!.say();
      // The whole utterance has reached the emulator (300 ms more audio after it ended).
      const { inputAudio } = await openSession();
      await untilEmulator((info) => info.inputAudio.receivedMs >= inputAudio.receivedMs + 300, 'the end of the utterance');
      await sendKeys({ up: 'Space' });

      // Each bounded from the release: a loaded Firefox had spent most of a bound taken before speaking.
      const heard = await transcript.within(15_000, 'after the release');
      const seconds = Number(/heard (\d+\.\d) s of speech/.exec(heard.text)?.[1]);
      expect(seconds, heard.text).to.be.at.least(mic!.durationMs() / 1000);
      expect((await reply.within(15_000, 'after the transcript')).text).to.match(/^I heard \d+\.\d seconds of speech\./);
      const log = await (await fetch(`${EMULATOR_URL}/_emulator/sessions/${(await openSession()).id}/events`)).json();
      const server = (log.events as Array<{ direction: string; type: string }>).filter((e) => e.direction === 'server').map((e) => e.type);
      expect(server.filter((type) => type === 'input_audio_buffer.committed'), 'one turn').to.have.length(1);
      expect(server.filter((type) => type.startsWith('input_audio_buffer.speech_')), 'no VAD turns').to.deep.equal([]);
    } finally {
      await remove();
    }
  });
});
