/**
 * The sample-level audio code shared by the capture and playback worklets: a band-limited resampler
 * and PCM16 conversion.
 *
 * `defineAudioDsp` is stringified into the worklet module (see `worklet-module.ts`), so its body must
 * stay self-contained: no imports, no reference to anything outside the function, no `#private`
 * fields or other syntax a bundler might lower into shared helpers. Tests call it directly on the
 * main thread as well.
 * @packageDocumentation
 */

/** A streaming resampler: feed blocks in, get blocks out, state carried across calls. */
export interface StreamResampler {
  readonly inputRate: number;
  readonly outputRate: number;
  /** Upper bound of the samples `process` can write for `inputLength` new input samples. */
  maxOutput(inputLength: number): number;
  /** Consumes `input`, writes the outputs that are now computable into `output`; returns how many. */
  process(input: Float32Array, output: Float32Array): number;
  /** Ends the stream: writes the outputs still held back by the filter's look-ahead. */
  flush(output: Float32Array): number;
  /** Forgets all state (a new, unrelated stream follows). */
  reset(): void;
}

/** What {@link defineAudioDsp} returns. */
export interface AudioDsp {
  createResampler(inputRate: number, outputRate: number, options?: { halfTaps?: number }): StreamResampler;
  /** Float [-1, 1] → PCM16, clipping out-of-range values (no wrap-around). */
  floatToPcm16(input: Float32Array, output: Int16Array, outputOffset: number): void;
  /** PCM16 → float [-1, 1). */
  pcm16ToFloat(input: Int16Array): Float32Array;
}

/**
 * Builds the DSP helpers. The resampler is a windowed-sinc interpolator (Blackman window, cutoff at
 * 85–90 % of the lower Nyquist frequency, ±16 taps at the lower rate), evaluated from a precomputed
 * kernel table with linear interpolation between table phases. It is a real low-pass filter, so
 * 48 → 24 kHz capture does not fold 12–24 kHz content (keyboard clicks, sibilants) back into the
 * speech band, and 24 → 48 kHz playback does not add images above 12 kHz; it handles non-integer
 * ratios such as 44.1 kHz contexts the same way.
 */
export function defineAudioDsp(): AudioDsp {
  const TABLE_PHASES = 256;

  function blackman(x: number, half: number): number {
    const t = Math.PI * (x / half);
    return 0.42 + 0.5 * Math.cos(t) + 0.08 * Math.cos(2 * t);
  }

  function createResampler(inputRate: number, outputRate: number, options?: { halfTaps?: number }): StreamResampler {
    if (!(inputRate > 0) || !(outputRate > 0)) throw new RangeError('sample rates must be positive');
    const halfTaps = options && options.halfTaps ? options.halfTaps : 16;
    const step = inputRate / outputRate;
    const scale = Math.min(1, outputRate / inputRate);
    // Downsampling needs the stricter cutoff: what passes above the output's Nyquist frequency aliases.
    const cutoff = scale * (scale < 1 ? 0.85 : 0.9);
    // Half width of the kernel in input samples: halfTaps at the lower of the two rates.
    const half = Math.ceil(halfTaps / scale);
    const table = new Float32Array(half * TABLE_PHASES + 2);
    for (let i = 0; i < table.length; i += 1) {
      const x = i / TABLE_PHASES;
      if (x >= half) continue;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * cutoff * x) / (Math.PI * cutoff * x);
      table[i] = cutoff * sinc * blackman(x, half);
    }
    const kernel = (distance: number): number => {
      const at = Math.abs(distance) * TABLE_PHASES;
      const index = Math.floor(at);
      const frac = at - index;
      return table[index]! + (table[index + 1]! - table[index]!) * frac;
    };

    let buffer = new Float32Array(4096);
    let length = 0;
    // Position of the next output, in input samples from buffer[0].
    let position = 0;
    const start = (): void => {
      // `half` leading zeros put the first output exactly on the first input sample.
      buffer.fill(0, 0, half);
      length = half;
      position = half;
    };
    start();

    const append = (input: Float32Array): void => {
      if (length + input.length > buffer.length) {
        const grown = new Float32Array(Math.max(buffer.length * 2, length + input.length));
        grown.set(buffer.subarray(0, length));
        buffer = grown;
      }
      buffer.set(input, length);
      length += input.length;
    };

    const render = (output: Float32Array): number => {
      let written = 0;
      while (Math.floor(position) + half < length && written < output.length) {
        const center = Math.floor(position);
        const frac = position - center;
        let sum = 0;
        let weights = 0;
        for (let i = center - half + 1; i <= center + half; i += 1) {
          const w = kernel(i - center - frac);
          sum += buffer[i]! * w;
          weights += w;
        }
        // Dividing by the weight sum makes the DC gain exactly 1 whatever the phase.
        output[written] = weights !== 0 ? sum / weights : 0;
        written += 1;
        position += step;
      }
      const consumed = Math.floor(position) - half + 1;
      if (consumed > 0) {
        buffer.copyWithin(0, consumed, length);
        length -= consumed;
        position -= consumed;
      }
      return written;
    };

    return {
      inputRate,
      outputRate,
      maxOutput: (inputLength) => Math.ceil((inputLength + half + 1) / step) + 2,
      process(input, output) {
        append(input);
        return render(output);
      },
      flush(output) {
        append(new Float32Array(half + 1));
        const written = render(output);
        start();
        return written;
      },
      reset: start,
    };
  }

  function floatToPcm16(input: Float32Array, output: Int16Array, outputOffset: number): void {
    for (let i = 0; i < input.length; i += 1) {
      const s = input[i]!;
      const clipped = s >= 1 ? 1 : s <= -1 ? -1 : s !== s ? 0 : s;
      output[outputOffset + i] = clipped < 0 ? Math.round(clipped * 32768) : Math.round(clipped * 32767);
    }
  }

  function pcm16ToFloat(input: Int16Array): Float32Array {
    const out = new Float32Array(input.length);
    for (let i = 0; i < input.length; i += 1) out[i] = input[i]! / 32768;
    return out;
  }

  return { createResampler, floatToPcm16, pcm16ToFloat };
}
