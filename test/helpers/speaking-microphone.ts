// A microphone that speaks the same in every engine: the emulator's speech synthesizer played through
// Web Audio into a MediaStream, given to the kit in place of the device (the `microphone: { stream }`
// option of the remote client and of <charivo-realtime>). It is silent — real digital silence — until
// the test says something, so turn detection, barge-in and push-to-talk see exactly the bursts and
// pauses the test chose, in Chromium, Firefox and WebKit alike. (The engines' own fake devices differ:
// Chromium plays a file or beeps, Firefox plays an endless tone, WebKit beeps with short gaps.)
//
//   const mic = await speakingMicrophone();
//   const h = harness({}, { microphone: { stream: mic.stream } });
//   …
//   await mic.say();            // resolves once the utterance has been played into the stream
//   await mic.close();
import { planSpeech, synthesizeSpeech } from '../../src/emulator/audio-synth.js';

/** What a test says when it does not care what: about 1.6 s of speech-like sound. */
export const DEFAULT_UTTERANCE = 'hello there, can you hear me well today';

export interface SpeakingMicrophone {
  /** The stream to hand the kit; the caller owns it (the kit never stops it). */
  readonly stream: MediaStream;
  /** The audio track of `stream`. */
  readonly track: MediaStreamTrack;
  /** The microphone's own AudioContext (not the kit's: tests that count the kit's contexts leave it out). */
  readonly context: AudioContext;
  /** Speaks `text` now (after anything still being said); resolves when its last sample has played. */
  say(text?: string, options?: { msPerChar?: number }): Promise<void>;
  /** Duration in ms of `text` as `say` would speak it. */
  durationMs(text?: string, options?: { msPerChar?: number }): number;
  /** Whether an utterance is playing. */
  readonly speaking: boolean;
  /**
   * Wall-clock ms the last finished utterance took from its first sample to its `ended` event. On a
   * starved audio thread this exceeds {@link durationMs}: the engine played the same samples slower,
   * and the far end heard them stretched, with gaps.
   */
  readonly lastPlayedMs: number;
  /** `performance.now()` at the first sample of the last utterance begun (see {@link heardRange}). */
  readonly lastStartedAt: number;
  /** Stops the track and closes the audio context. */
  close(): Promise<void>;
}

const MS_PER_CHAR = 42;

/**
 * The seconds of speech a VAD turn of one utterance of `durationMs` may report: all of it, less the
 * detector's onset and release, and up to a second more where a loaded machine's audio thread stretched
 * it with gaps (seen in Firefox with the load average near 10 on 2 cores). Pass `playedMs` (the
 * microphone's {@link SpeakingMicrophone.lastPlayedMs}) and the upper bound follows how long the engine
 * really took to play it: a starved engine plays the same samples over more wall time, and the far end
 * (a WebRTC receiver conceals the late packets) hears that much. Tests that check it give server VAD
 * 600 ms of silence to end a turn: a starved audio thread's gap (WebKit at load 13 split one utterance
 * at 200 ms) must not cut one utterance into two turns. Pass that silence as `silenceDurationMs`: where
 * the microphone itself stalled that long in all, the turn may have ended early, and only the upper
 * bound is checked (with at least 0.1 s heard).
 *
 * `answeredWithinMs`: wall time from the utterance's first sample ({@link SpeakingMicrophone.lastStartedAt})
 * to the final transcript's arrival. A transcript that arrived before the utterance had finished playing
 * (`answeredWithinMs < playedMs`; a whole utterance's turn ends only after its closing silence) belongs
 * to a turn that a gap ended inside the utterance, a gap the page may not see (below): then only some
 * speech is certain (ci40's WebKit: 0.7 s heard, the microphone played on time, the transcript came
 * while it still played). The stretch can also happen after the microphone, where nothing in
 * the page sees it: the kit's capture context reads the microphone's stream across a bridge between two
 * contexts, and a starved bridge gives silence and then the late samples, so the speech spans more
 * samples than were said (WebKit in a fresh clone's full run: 2.7 s heard of 1.64 s said, played on
 * time). What no stretch can do is make the far end hear more speech than the wall time the audio took
 * to reach it; the transcript comes later still (after the turn's closing silence). So the upper bound
 * is at least that wall time: audio sent twice over, or a wrong sample rate, still exceeds it.
 */
export function heardRange(
  durationMs: number,
  playedMs = durationMs,
  options: { overWebRTC?: boolean; answeredWithinMs?: number; silenceDurationMs?: number } = {},
): [number, number] {
  const most = Math.max(Math.max(durationMs, playedMs) / 1000 + 1.0, (options.answeredWithinMs ?? 0) / 1000);
  // The microphone's own stalls (its wall time over the utterance's length), once they add up to the
  // VAD's closing silence, can end the turn inside the utterance after any part of it (Firefox under a
  // full run: 1638 ms played over 2821 ms, and a 600 ms VAD heard 0.3 s): then only some speech is
  // certain. Shorter stalls cannot end it, and the lower bound below holds.
  if (options.silenceDurationMs !== undefined && playedMs - durationMs >= options.silenceDurationMs) return [0.1, most];
  if (options.answeredWithinMs !== undefined && options.answeredWithinMs < playedMs) return [0.1, most];
  // Over WebRTC the emulator hears what its jitter buffer plays out, and a starved engine sends in
  // bursts: the buffer time-compresses such audio (NetEq's "accelerate"), and a long enough stall can
  // end the turn early; either way less is heard than was said (Firefox under a full three-engine run:
  // 0.8 s of a 1.64 s utterance; which of the two it was is not known). The exact count of samples is
  // checked where nothing sits between (the emulator's node tests).
  const least = options.overWebRTC ? (durationMs / 1000) * 0.4 : durationMs / 1000 - 0.4;
  return [least, most];
}

/**
 * Opens a speaking microphone. Its context is resumed here (WebKit creates contexts suspended).
 * `scope`: the window whose Web Audio makes the stream (a same-origin frame's, for a page loaded in an
 * iframe: its checks see a MediaStream of its own realm).
 */
export async function speakingMicrophone(scope: Window = window): Promise<SpeakingMicrophone> {
  const context = new (scope as Window & typeof globalThis).AudioContext();
  await context.resume();
  const destination = context.createMediaStreamDestination();
  const track = destination.stream.getAudioTracks()[0]!;
  let queueEnd = 0;
  let playing = 0;
  let lastPlayedMs = 0;
  let lastStartedAt = 0;

  const render = (text: string, msPerChar: number): AudioBuffer => {
    const rate = context.sampleRate;
    const pcm = synthesizeSpeech(planSpeech(text, { msPerChar }), rate);
    const buffer = context.createBuffer(1, pcm.length, rate);
    const channel = buffer.getChannelData(0);
    for (let i = 0; i < pcm.length; i += 1) channel[i] = pcm[i]! / 32768;
    return buffer;
  };

  return {
    stream: destination.stream,
    track,
    context,
    get speaking() {
      return playing > 0;
    },
    get lastPlayedMs() {
      return lastPlayedMs;
    },
    get lastStartedAt() {
      return lastStartedAt;
    },
    durationMs(text = DEFAULT_UTTERANCE, options = {}) {
      return planSpeech(text, { msPerChar: options.msPerChar ?? MS_PER_CHAR }).durationMs;
    },
    say(text = DEFAULT_UTTERANCE, options = {}) {
      const source = context.createBufferSource();
      source.buffer = render(text, options.msPerChar ?? MS_PER_CHAR);
      source.connect(destination);
      const at = Math.max(context.currentTime, queueEnd);
      queueEnd = at + source.buffer.duration;
      playing += 1;
      // When its first sample plays, in wall time (later than now when queued behind another utterance).
      const startsAt = performance.now() + (at - context.currentTime) * 1000;
      lastStartedAt = startsAt;
      const ended = new Promise<void>((resolve) => {
        source.onended = () => {
          lastPlayedMs = performance.now() - startsAt;
          playing -= 1;
          source.disconnect();
          resolve();
        };
      });
      source.start(at);
      return ended;
    },
    async close() {
      track.stop();
      await context.close();
    },
  };
}
