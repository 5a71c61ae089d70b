/**
 * The emulated Live model's voice: speaks one utterance at a time on the WebRTC track, with
 * `session.output_transcript.delta` events placed on the session timeline as the words are
 * generated. GPT-Live has no response lifecycle for speech (no start or done events), so neither has
 * this: an utterance is just deltas and audio.
 */
import { planSpeech, segmentSamples, synthesizeSpeech, type SpeechTiming } from '../audio-synth.js';
import { newId } from '../ids.js';
import type { TrackAudioOutput } from '../responder.js';
import { pause } from '../timers.js';
import type { ServerEventInit } from '../types.js';

/** What the voice needs from its session. */
export interface LiveVoiceHost {
  readonly trackAudio: TrackAudioOutput | undefined;
  readonly timing: SpeechTiming;
  /** Milliseconds since the session started (the Live timeline). */
  timelineMs(): number;
  emit(event: ServerEventInit): void;
}

/** How an utterance ended. */
export interface Spoken {
  text: string;
  /** False when a barge-in or the session's end cut it short. */
  complete: boolean;
  audioMs: number;
}

/** How far audio generation runs ahead of real time, as the Realtime responder does. */
const GENERATION_LEAD_MS = 200;
/** Silence between two utterances on the timeline, as a speaker pauses between sentences. */
export const UTTERANCE_PAUSE_MS = 300;

export class LiveVoice {
  #current: AbortController | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #stopped = false;
  /** Where the last utterance's audio ends on the timeline. */
  #lastEndMs = -Infinity;
  /** Seconds of speech produced so far (part of the session's audio usage). */
  spokenMs = 0;

  constructor(private readonly host: LiveVoiceHost) {}

  /** True while an utterance is being generated. */
  get speaking(): boolean {
    return this.#current !== undefined;
  }

  /** Speaks `text` after whatever is being said; resolves when it has been generated (or cut short). */
  say(text: string): Promise<Spoken> {
    const run = this.#queue.then(() => this.#speak(text));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Cuts the current utterance short and drops its queued audio (the user barged in). Returns whether it spoke. */
  interrupt(): boolean {
    const current = this.#current;
    if (!current) return false;
    current.abort();
    this.host.trackAudio?.clear();
    return true;
  }

  /** Stops for good (the session closed). */
  shutdown(): void {
    this.#stopped = true;
    this.#current?.abort();
  }

  async #speak(text: string): Promise<Spoken> {
    if (this.#stopped || text === '') return { text: '', complete: this.#stopped === false, audioMs: 0 };
    const abort = new AbortController();
    this.#current = abort;
    const { host } = this;
    const utterance = newId('utt');
    const speech = planSpeech(text, host.timing);
    const track = host.trackAudio;
    const rate = track?.sampleRate ?? 24000;
    const samples = synthesizeSpeech(speech, rate);
    // A new utterance starts after a pause, not glued to the end of the previous one.
    const delay = Math.max(0, this.#lastEndMs + UTTERANCE_PAUSE_MS - (host.timelineMs() + GENERATION_LEAD_MS));
    const startedAt = performance.now() + delay;
    const timelineStart = host.timelineMs() + GENERATION_LEAD_MS + delay;
    let spoken = '';
    let audioMs = 0;
    try {
      for (const segment of speech.segments) {
        const wait = segment.startMs - GENERATION_LEAD_MS - (performance.now() - startedAt);
        if (wait > 0 && !(await pause(wait, abort.signal))) break;
        if (abort.signal.aborted) break;
        const start = Math.round(timelineStart + segment.startMs);
        host.emit({ type: 'session.output_transcript.delta', delta: segment.text, start_ms: start, end_ms: Math.round(start + segment.durationMs) });
        spoken += segment.text;
        track?.enqueue(utterance, segmentSamples(samples, speech, segment, rate));
        audioMs += segment.durationMs;
        this.#lastEndMs = start + segment.durationMs;
      }
      if (!abort.signal.aborted) {
        const wait = speech.durationMs - GENERATION_LEAD_MS - (performance.now() - startedAt);
        if (wait > 0) await pause(wait, abort.signal);
      }
    } finally {
      if (this.#current === abort) this.#current = undefined;
    }
    this.spokenMs += audioMs;
    return { text: spoken, complete: spoken.length === text.length && !abort.signal.aborted, audioMs };
  }
}
