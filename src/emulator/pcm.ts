/**
 * PCM helpers: the wire formats of the Realtime API (`audio/pcm` 24 kHz 16-bit little-endian mono,
 * `audio/pcmu` and `audio/pcma` 8 kHz G.711) to and from Int16 samples, and levels.
 */

/** A wire audio format as the session describes it. */
export interface AudioFormat {
  type: 'audio/pcm' | 'audio/pcmu' | 'audio/pcma';
  rate?: number;
}

/** Sample rate of a wire format: G.711 is 8 kHz, PCM is 24 kHz (the only rate the API accepts). */
export function formatSampleRate(format: AudioFormat): number {
  return format.type === 'audio/pcm' ? (format.rate ?? 24000) : 8000;
}

/** Reads a session's `audio.*.format`, falling back to PCM 24 kHz for anything unrecognised. */
export function toAudioFormat(value: unknown): AudioFormat {
  if (typeof value === 'object' && value !== null) {
    const type = (value as { type?: unknown }).type;
    if (type === 'audio/pcmu' || type === 'audio/pcma') return { type };
  }
  return { type: 'audio/pcm', rate: 24000 };
}

/** Decodes one base64 chunk in `format` into Int16 samples. Odd trailing bytes are dropped. */
export function decodeAudio(base64: string, format: AudioFormat): Int16Array {
  const bytes = Buffer.from(base64, 'base64');
  if (format.type === 'audio/pcm') {
    const samples = new Int16Array(bytes.length >> 1);
    for (let i = 0; i < samples.length; i += 1) samples[i] = bytes.readInt16LE(i * 2);
    return samples;
  }
  const decode = format.type === 'audio/pcmu' ? muLawDecode : aLawDecode;
  const samples = new Int16Array(bytes.length);
  for (let i = 0; i < bytes.length; i += 1) samples[i] = decode(bytes[i]!);
  return samples;
}

/** Encodes Int16 samples as base64 in `format` (the samples must already be at its rate). */
export function encodeAudio(samples: Int16Array, format: AudioFormat): string {
  if (format.type === 'audio/pcm') {
    const bytes = Buffer.alloc(samples.length * 2);
    for (let i = 0; i < samples.length; i += 1) bytes.writeInt16LE(samples[i]!, i * 2);
    return bytes.toString('base64');
  }
  const encode = format.type === 'audio/pcmu' ? muLawEncode : aLawEncode;
  const bytes = Buffer.alloc(samples.length);
  for (let i = 0; i < samples.length; i += 1) bytes[i] = encode(samples[i]!);
  return bytes.toString('base64');
}

/** Root mean square of Int16 samples, on a 0..1 scale. */
export function rms(samples: Int16Array, start = 0, end = samples.length): number {
  if (end <= start) return 0;
  let sum = 0;
  for (let i = start; i < end; i += 1) {
    const v = samples[i]! / 32768;
    sum += v * v;
  }
  return Math.sqrt(sum / (end - start));
}

/** Averages interleaved channels down to mono. */
export function downmix(samples: Int16Array, channelCount: number): Int16Array {
  if (channelCount <= 1) return samples;
  const frames = Math.floor(samples.length / channelCount);
  const mono = new Int16Array(frames);
  for (let f = 0; f < frames; f += 1) {
    let sum = 0;
    for (let c = 0; c < channelCount; c += 1) sum += samples[f * channelCount + c]!;
    mono[f] = Math.round(sum / channelCount);
  }
  return mono;
}

function muLawDecode(byte: number): number {
  const u = ~byte & 0xff;
  const sign = u & 0x80;
  const exponent = (u >> 4) & 0x07;
  const mantissa = u & 0x0f;
  const magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
  return sign ? -magnitude : magnitude;
}

function muLawEncode(sample: number): number {
  const BIAS = 0x84;
  const sign = sample < 0 ? 0x80 : 0;
  let magnitude = Math.min(Math.abs(sample), 32635) + BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (magnitude & mask) === 0 && exponent > 0; mask >>= 1) exponent -= 1;
  const mantissa = (magnitude >> (exponent + 3)) & 0x0f;
  magnitude = sign | (exponent << 4) | mantissa;
  return ~magnitude & 0xff;
}

function aLawDecode(byte: number): number {
  const a = byte ^ 0x55;
  const sign = a & 0x80;
  const exponent = (a >> 4) & 0x07;
  const mantissa = a & 0x0f;
  let magnitude = exponent === 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
  magnitude = Math.min(magnitude, 32767);
  return sign ? magnitude : -magnitude;
}

function aLawEncode(sample: number): number {
  // Sun's reference g711.c, on the 13-bit value A-law quantises.
  const SEGMENT_ENDS = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];
  let value = sample >> 3;
  let mask: number;
  if (value >= 0) mask = 0xd5;
  else {
    mask = 0x55;
    value = -value - 1;
  }
  const segment = SEGMENT_ENDS.findIndex((end) => value <= end);
  if (segment < 0) return 0x7f ^ mask;
  const quantised = segment < 2 ? (value >> 1) & 0x0f : (value >> segment) & 0x0f;
  return ((segment << 4) | quantised) ^ mask;
}
