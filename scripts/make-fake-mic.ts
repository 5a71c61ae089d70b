// Writes the fake microphone's sound for the browser tests: speech-like audio (the emulator's
// synthesizer) in bursts with silence between, as a 48 kHz mono PCM16 WAV. Chromium plays it in a loop
// as the microphone (--use-file-for-fake-audio-capture), so spoken turns start and end the way they
// do with a person, instead of the default fake device's endless beep.
//   node --import tsx scripts/make-fake-mic.ts <out.wav> [tail-seconds]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { planSpeech, synthesizeSpeech } from '../src/emulator/audio-synth.js';

const RATE = 48_000;
/** One loop: 0.4 s silence, ~1.6 s of speech, 2.2 s silence (longer than the default 200 ms VAD silence and than a reply's start). */
const LEAD_S = 0.4;
const TAIL_S = 2.2;

/** `tailSeconds`: silence after the speech (default 2.2 s); a long one gives the reply time to finish before the loop speaks again. */
export function fakeMicWav(options: { tailSeconds?: number } = {}): Buffer {
  const speech = synthesizeSpeech(planSpeech('hello there, can you hear me well today', { msPerChar: 42 }), RATE);
  const lead = Math.round(LEAD_S * RATE);
  const total = lead + speech.length + Math.round((options.tailSeconds ?? TAIL_S) * RATE);
  const samples = new Int16Array(total);
  samples.set(speech, lead);
  const data = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(RATE, 24);
  header.writeUInt32LE(RATE * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

// Only when run as a script: the test runner's config imports this module for fakeMicWav().
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const out = process.argv[2];
  if (!out) throw new Error('usage: node --import tsx scripts/make-fake-mic.ts <out.wav> [tail-seconds]');
  const tail = process.argv[3] === undefined ? undefined : Number(process.argv[3]);
  if (tail !== undefined && !(tail >= 0 && tail <= 60)) throw new Error('tail-seconds must be between 0 and 60');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, fakeMicWav(tail === undefined ? {} : { tailSeconds: tail }));
}
