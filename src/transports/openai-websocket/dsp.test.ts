import { expect } from '@open-wc/testing';
import { decodeBase64, encodeBase64 } from './base64.js';
import { defineAudioDsp } from './dsp.js';
import { workletSource } from './worklet-module.js';

const dsp = defineAudioDsp();

function sine(frequency: number, rate: number, seconds: number, amplitude = 0.5): Float32Array {
  const out = new Float32Array(Math.round(rate * seconds));
  for (let i = 0; i < out.length; i += 1) out[i] = amplitude * Math.sin((2 * Math.PI * frequency * i) / rate);
  return out;
}

/** Runs `input` through a fresh resampler in blocks of `block` samples, then flushes. */
function resample(input: Float32Array, from: number, to: number, block = 128): Float32Array {
  const resampler = dsp.createResampler(from, to);
  const out: number[] = [];
  const scratch = new Float32Array(resampler.maxOutput(block));
  for (let at = 0; at < input.length; at += block) {
    const n = resampler.process(input.subarray(at, at + block), scratch);
    for (let i = 0; i < n; i += 1) out.push(scratch[i]!);
  }
  const tail = new Float32Array(resampler.maxOutput(0));
  const n = resampler.flush(tail);
  for (let i = 0; i < n; i += 1) out.push(tail[i]!);
  return Float32Array.from(out);
}

function rms(samples: Float32Array): number {
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / samples.length);
}

/** Magnitude of the signal's component at `frequency` (single-bin DFT), as an amplitude. */
function amplitudeAt(samples: Float32Array, frequency: number, rate: number): number {
  let re = 0;
  let im = 0;
  for (let i = 0; i < samples.length; i += 1) {
    re += samples[i]! * Math.cos((2 * Math.PI * frequency * i) / rate);
    im -= samples[i]! * Math.sin((2 * Math.PI * frequency * i) / rate);
  }
  return (2 * Math.hypot(re, im)) / samples.length;
}

/** Middle part of a signal: away from the filter's start and end transients. */
const steady = (samples: Float32Array, rate: number) => samples.subarray(Math.round(rate * 0.05), samples.length - Math.round(rate * 0.05));

describe('openai-websocket: resampler', () => {
  for (const from of [48_000, 44_100]) {
    it(`a 1 kHz sine at ${from} Hz → 24 kHz keeps its frequency and amplitude`, () => {
      const out = resample(sine(1000, from, 0.5), from, 24_000);
      expect(Math.abs(out.length - 12_000)).to.be.lessThan(3);
      const middle = steady(out, 24_000);
      expect(amplitudeAt(middle, 1000, 24_000)).to.be.closeTo(0.5, 0.01);
      // Nothing of it lands elsewhere: all the energy is at 1 kHz.
      expect(rms(middle)).to.be.closeTo(0.5 / Math.SQRT2, 0.005);
      expect(amplitudeAt(middle, 1100, 24_000)).to.be.lessThan(0.01);
    });
  }

  it('filters before decimating: 18 kHz at 48 kHz does not alias to 6 kHz', () => {
    const out = steady(resample(sine(18_000, 48_000, 0.5), 48_000, 24_000), 24_000);
    expect(rms(out)).to.be.lessThan(0.5 * 0.01); // below -40 dB
    expect(amplitudeAt(out, 6000, 24_000)).to.be.lessThan(0.005);
  });

  it('passes the speech band flat: 6 kHz within 0.5 dB', () => {
    const out = steady(resample(sine(6000, 48_000, 0.5), 48_000, 24_000), 24_000);
    expect(amplitudeAt(out, 6000, 24_000)).to.be.closeTo(0.5, 0.03);
  });

  it('upsamples 24 kHz → 48 kHz for playback, 1 kHz intact', () => {
    const out = resample(sine(1000, 24_000, 0.5), 24_000, 48_000);
    expect(Math.abs(out.length - 24_000)).to.be.lessThan(3);
    expect(amplitudeAt(steady(out, 48_000), 1000, 48_000)).to.be.closeTo(0.5, 0.01);
  });

  it('gives the same samples whatever the block sizes (state carries across calls)', () => {
    const input = sine(440, 48_000, 0.2);
    const a = resample(input, 48_000, 24_000, 128);
    const b = resample(input, 48_000, 24_000, 37);
    expect(a.length).to.equal(b.length);
    let maxDiff = 0;
    for (let i = 0; i < a.length; i += 1) maxDiff = Math.max(maxDiff, Math.abs(a[i]! - b[i]!));
    expect(maxDiff).to.be.lessThan(1e-6);
  });

  it('reset starts a new stream with no trace of the old one', () => {
    const resampler = dsp.createResampler(48_000, 24_000);
    const out = new Float32Array(resampler.maxOutput(4800));
    resampler.process(sine(1000, 48_000, 0.1), out);
    resampler.reset();
    const n = resampler.process(new Float32Array(4800), out);
    expect(Math.max(...out.subarray(0, n).map(Math.abs))).to.equal(0);
  });
});

describe('openai-websocket: PCM16 and base64', () => {
  it('converts float to PCM16 with clipping, never wrapping', () => {
    const out = new Int16Array(7);
    dsp.floatToPcm16(Float32Array.from([1.5, -1.5, 1, -1, 0.5, Number.NaN, 0]), out, 0);
    expect([...out]).to.deep.equal([32767, -32768, 32767, -32768, 16384, 0, 0]);
  });

  it('PCM16 back to float stays in [-1, 1)', () => {
    const back = dsp.pcm16ToFloat(Int16Array.from([32767, -32768, 0]));
    expect(back[0]).to.be.lessThan(1);
    expect(back[1]).to.equal(-1);
    expect(back[2]).to.equal(0);
  });

  it('base64 round-trips audio bytes', () => {
    const pcm = Int16Array.from({ length: 4801 }, (_, i) => (i * 977) % 65536 - 32768);
    const text = encodeBase64(pcm.buffer);
    expect(text).to.match(/^[A-Za-z0-9+/]+=*$/);
    expect([...new Int16Array(decodeBase64(text).buffer)]).to.deep.equal([...pcm]);
  });

  it('the worklet module source is self-contained script text', () => {
    // Parses as a script (no import/export), registering both processors.
    const source = workletSource();
    expect(() => new Function('registerProcessor', 'sampleRate', 'AudioWorkletProcessor', source)).to.not.throw();
    expect(source).to.contain('charivo-pcm16-capture').and.to.contain('charivo-pcm16-playback');
  });
});
