/**
 * Speech-like audio without data files: a pitched harmonic carrier whose loudness follows the
 * characters of the text (vowels open, fricatives hiss, spaces and punctuation pause), with a
 * syllable-rate wobble on top. It is not intelligible; it is shaped so a lip-sync analyser sees
 * mouth movement that lines up with the transcript, and it is deterministic for a given text.
 */

/** How long speech lasts. */
export interface SpeechTiming {
  /** Milliseconds of audio per character of text. Default 65. */
  msPerChar?: number;
  /** Upper bound for one utterance; longer texts are spoken faster. Default 12000. */
  maxSpeechMs?: number;
}

/** One transcript delta and the stretch of audio it covers. */
export interface SpeechSegment {
  text: string;
  /** Offsets into the text (UTF-16 units), end exclusive. */
  from: number;
  to: number;
  startMs: number;
  durationMs: number;
}

/** The timeline of one utterance: the text split into word deltas laid out over the audio. */
export interface SpeechPlan {
  text: string;
  charMs: number;
  durationMs: number;
  segments: SpeechSegment[];
}

export const DEFAULT_MS_PER_CHAR = 65;
export const DEFAULT_MAX_SPEECH_MS = 12000;

/** Splits `text` into word deltas (each keeps its trailing space) and times them. */
export function planSpeech(text: string, timing: SpeechTiming = {}): SpeechPlan {
  const msPerChar = positive(timing.msPerChar, DEFAULT_MS_PER_CHAR);
  const maxMs = positive(timing.maxSpeechMs, DEFAULT_MAX_SPEECH_MS);
  const charMs = text.length * msPerChar > maxMs ? maxMs / Math.max(1, text.length) : msPerChar;
  const segments: SpeechSegment[] = [];
  for (const match of text.matchAll(/\s*\S+\s*/g)) {
    const from = match.index;
    const to = from + match[0].length;
    segments.push({ text: match[0], from, to, startMs: from * charMs, durationMs: (to - from) * charMs });
  }
  if (segments.length === 0 && text.length > 0) {
    segments.push({ text, from: 0, to: text.length, startMs: 0, durationMs: text.length * charMs });
  }
  return { text, charMs, durationMs: text.length * charMs, segments };
}

/** Renders the whole utterance as Int16 mono at `sampleRate`. */
export function synthesizeSpeech(plan: SpeechPlan, sampleRate: number): Int16Array {
  const total = sampleIndex(plan.text.length, plan, sampleRate);
  const out = new Int16Array(total);
  if (total === 0) return out;
  const classes = Array.from({ length: plan.text.length }, (_, i) => classify(plan.text[i]!));
  const random = mulberry32(hash(plan.text));
  const attack = 1 - Math.exp(-1 / (0.008 * sampleRate));
  const release = 1 - Math.exp(-1 / (0.02 * sampleRate));
  const fade = Math.max(1, Math.round(0.005 * sampleRate));
  const samplesPerChar = (plan.charMs / 1000) * sampleRate;
  const seconds = total / sampleRate;
  let envelope = 0;
  let noiseMix = 0;
  let phase = 0;
  let lowpassed = 0;
  for (let i = 0; i < total; i += 1) {
    const t = i / sampleRate;
    const charClass = classes[Math.min(classes.length - 1, Math.floor(i / samplesPerChar))]!;
    envelope += (charClass.level - envelope) * (charClass.level > envelope ? attack : release);
    noiseMix += (charClass.noise - noiseMix) * attack;
    // Intonation: a slow wander plus a gentle fall over the utterance, as a sentence has.
    const f0 = 128 + 18 * Math.sin(2 * Math.PI * 0.7 * t) - 20 * (t / seconds);
    phase += f0 / sampleRate;
    phase -= Math.floor(phase);
    const voiced = WAVETABLE[Math.floor(phase * WAVETABLE.length)]!;
    // Fricatives are closer to high-passed noise; a one-pole difference gives that cheaply.
    const white = random() * 2 - 1;
    const hiss = white - lowpassed;
    lowpassed += (white - lowpassed) * 0.3;
    const syllable = 0.72 + 0.28 * Math.sin(2 * Math.PI * 4.6 * t);
    let value = envelope * syllable * (voiced * (1 - noiseMix) + hiss * noiseMix * 0.9) * GAIN;
    if (i < fade) value *= i / fade;
    if (total - i < fade) value *= (total - i) / fade;
    out[i] = Math.max(-32768, Math.min(32767, Math.round(value * 32767)));
  }
  return out;
}

/** The samples of one segment of `samples` (rendered from `plan` at `sampleRate`). */
export function segmentSamples(samples: Int16Array, plan: SpeechPlan, segment: SpeechSegment, sampleRate: number): Int16Array {
  return samples.subarray(sampleIndex(segment.from, plan, sampleRate), sampleIndex(segment.to, plan, sampleRate));
}

/** Sample offset of a character offset, rounded the same way everywhere so segments tile exactly. */
function sampleIndex(charOffset: number, plan: SpeechPlan, sampleRate: number): number {
  return Math.round(((charOffset * plan.charMs) / 1000) * sampleRate);
}

const GAIN = 0.8;

interface CharClass {
  level: number;
  noise: number;
}

const SILENT: CharClass = { level: 0, noise: 0 };
const VOWEL: CharClass = { level: 1, noise: 0.04 };
const VOICED: CharClass = { level: 0.65, noise: 0.12 };
const FRICATIVE: CharClass = { level: 0.45, noise: 0.65 };
const OTHER_LETTER: CharClass = { level: 0.85, noise: 0.08 };

function classify(ch: string): CharClass {
  const lower = ch.toLowerCase();
  if (/[aeiouyàáâäãåæèéêëìíîïòóôöõøùúûüý]/.test(lower)) return VOWEL;
  if (/[bdgjlmnrvwz]/.test(lower)) return VOICED;
  if (/[cfhkpqstx]/.test(lower)) return FRICATIVE;
  if (/[\p{L}\p{N}]/u.test(ch)) return OTHER_LETTER;
  return SILENT;
}

/** One pitch period with falling harmonics and two broad formant bumps, peak-normalised. */
const WAVETABLE: Float32Array = (() => {
  const size = 2048;
  const table = new Float32Array(size);
  const nominalF0 = 130;
  const formant = (hz: number, centre: number, width: number): number =>
    Math.exp(-((hz - centre) ** 2) / (2 * width * width));
  for (let k = 1; k <= 24; k += 1) {
    const hz = k * nominalF0;
    const weight = (1 / k ** 0.8) * (0.35 + formant(hz, 650, 220) + 0.7 * formant(hz, 1300, 300));
    for (let i = 0; i < size; i += 1) table[i]! += weight * Math.sin((2 * Math.PI * k * i) / size);
  }
  let peak = 0;
  for (const v of table) peak = Math.max(peak, Math.abs(v));
  for (let i = 0; i < size; i += 1) table[i]! /= peak;
  return table;
})();

function positive(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
