import { expect } from '@open-wc/testing';
import { need } from '../../../test/helpers/engine.js';
import { PcmCapture } from './capture.js';
import { PcmPlayback, type PlaybackListener } from './playback.js';

const RATE = 48_000;

function sinePcm16(frequency: number, ms: number, amplitude = 0.5, rate = 24_000): ArrayBuffer {
  const out = new Int16Array(Math.round((rate * ms) / 1000));
  for (let i = 0; i < out.length; i += 1) out[i] = Math.round(amplitude * 32767 * Math.sin((2 * Math.PI * frequency * i) / rate));
  return out.buffer;
}

function rmsOf(samples: ArrayLike<number>, from = 0, to = samples.length): number {
  let sum = 0;
  for (let i = from; i < to; i += 1) sum += samples[i]! * samples[i]!;
  return Math.sqrt(sum / Math.max(1, to - from));
}

/** Zero crossings per second → frequency. */
function frequencyOf(samples: ArrayLike<number>, rate: number, from = 0, to = samples.length): number {
  let crossings = 0;
  for (let i = from + 1; i < to; i += 1) if ((samples[i - 1]! < 0) !== (samples[i]! < 0)) crossings += 1;
  return (crossings / 2) * (rate / (to - from));
}

/** Runs `context` to its end, calling `at[t]` while it is suspended at time t (seconds). */
async function render(context: OfflineAudioContext, at: Record<number, () => Promise<void> | void> = {}): Promise<AudioBuffer> {
  for (const [time, action] of Object.entries(at)) {
    void context.suspend(Number(time)).then(async () => {
      await action();
      await context.resume();
    });
  }
  return context.startRendering();
}

describe('openai-websocket: capture worklet', () => {
  async function capture(options: { muted?: boolean; seconds?: number } = {}) {
    const context = new OfflineAudioContext(1, RATE * (options.seconds ?? 0.5), RATE);
    const chunks: Int16Array[] = [];
    const node = await PcmCapture.create(context, (pcm) => chunks.push(new Int16Array(pcm)), { muted: options.muted ?? false });
    const oscillator = new OscillatorNode(context, { frequency: 1000 });
    const gain = new GainNode(context, { gain: 0.5 });
    oscillator.connect(gain);
    node.connect(gain);
    oscillator.start();
    await render(context);
    await node.flush();
    node.dispose();
    const all = new Int16Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const chunk of chunks) {
      all.set(chunk, at);
      at += chunk.length;
    }
    return { chunks, all };
  }

  it('turns 48 kHz input into 24 kHz PCM16 in 40 ms chunks, frequency and level kept', async () => {
    const { chunks, all } = await capture();
    // The offline context renders whole 128-frame quanta: 24 064 frames, less the filter look-ahead.
    expect(all.length).to.be.within(11_950, 12_032);
    expect(chunks.slice(0, -1).every((chunk) => chunk.length === 960)).to.equal(true);
    const start = 1200;
    expect(frequencyOf(all, 24_000, start, all.length - 100)).to.be.closeTo(1000, 10);
    expect(rmsOf(all, start, all.length - 100) / 32767).to.be.closeTo(0.5 / Math.SQRT2, 0.01);
  });

  it('sends silence while muted (chunks keep flowing)', async () => {
    const { chunks, all } = await capture({ muted: true });
    expect(chunks.length).to.be.greaterThan(10);
    expect(all.every((s) => s === 0)).to.equal(true);
  });
});

describe('openai-websocket: playback worklet', () => {
  interface Heard {
    started: Array<{ responseId: string; itemId: string }>;
    ended: string[];
  }

  async function setup(startMs = 80, seconds = 1) {
    const context = new OfflineAudioContext(1, RATE * seconds, RATE);
    const heard: Heard = { started: [], ended: [] };
    const listener: PlaybackListener = {
      started: (responseId, itemId) => heard.started.push({ responseId, itemId }),
      ended: (responseId) => heard.ended.push(responseId),
    };
    const playback = await PcmPlayback.create(context, listener, { startMs });
    playback.node.connect(context.destination);
    return { context, playback, heard };
  }

  const sampleAt = (seconds: number) => Math.round(seconds * RATE);

  it('holds playback until the jitter buffer has startMs, then plays at the context rate', async function () {
    await need(this, 'OfflineAudioContext.suspend');
    const { context, playback } = await setup(80);
    playback.push('resp_1', 'item_1', sinePcm16(1000, 50));
    const before = await playback.status();
    expect(before.bufferedMs).to.be.within(48, 52);
    let during = before;
    const output = await render(context, {
      0.2: async () => {
        during = await playback.status();
        playback.push('resp_1', 'item_1', sinePcm16(1000, 50));
        await playback.status();
      },
    });
    expect(during.playedMs).to.equal(0);
    const samples = output.getChannelData(0);
    expect(rmsOf(samples, 0, sampleAt(0.2))).to.equal(0);
    expect(frequencyOf(samples, RATE, sampleAt(0.21), sampleAt(0.29))).to.be.closeTo(1000, 15);
    expect(rmsOf(samples, sampleAt(0.21), sampleAt(0.29))).to.be.closeTo(0.5 / Math.SQRT2, 0.01);
    playback.dispose();
  });

  it('accounts played ms per item and reports start and end of a response', async function () {
    await need(this, 'OfflineAudioContext.suspend');
    const { context, playback, heard } = await setup(60);
    playback.push('resp_1', 'item_1', sinePcm16(440, 100));
    playback.push('resp_1', 'item_1', sinePcm16(440, 100));
    playback.end('resp_1');
    let mid = await playback.status();
    let after = mid;
    const output = await render(context, {
      0.1: async () => {
        mid = await playback.status();
      },
      0.5: async () => {
        after = await playback.status();
      },
    });
    expect(mid.itemId).to.equal('item_1');
    expect(mid.playedMs).to.be.within(97, 103);
    expect(after.playedMs).to.be.within(199, 202);
    expect(after.active).to.equal(false);
    expect(heard.started).to.deep.equal([{ responseId: 'resp_1', itemId: 'item_1' }]);
    expect(heard.ended).to.deep.equal(['resp_1']);
    // Exactly the 200 ms that arrived were played, then silence.
    const samples = output.getChannelData(0);
    expect(rmsOf(samples, sampleAt(0.01), sampleAt(0.19))).to.be.greaterThan(0.3);
    expect(rmsOf(samples, sampleAt(0.21), sampleAt(0.5))).to.equal(0);
    playback.dispose();
  });

  it('a short response whose audio is complete starts without waiting for the threshold', async () => {
    const { context, playback, heard } = await setup(200);
    playback.push('resp_1', 'item_1', sinePcm16(440, 30));
    playback.end('resp_1');
    await playback.status();
    await render(context);
    // A round trip after rendering: the port keeps order, so every earlier message has arrived.
    await playback.status();
    expect(heard.started).to.have.length(1);
    expect(heard.ended).to.deep.equal(['resp_1']);
    playback.dispose();
  });

  it('clear flushes at once and tells what was heard of which item', async function () {
    await need(this, 'OfflineAudioContext.suspend');
    const { context, playback, heard } = await setup(40);
    playback.push('resp_1', 'item_1', sinePcm16(440, 500));
    await playback.status();
    let cleared = await playback.status();
    let afterClear = cleared;
    const output = await render(context, {
      0.25: async () => {
        cleared = await playback.clear();
        afterClear = await playback.status();
      },
    });
    expect(cleared).to.include({ active: true, itemId: 'item_1', responseId: 'resp_1' });
    expect(cleared.playedMs).to.be.within(247, 253);
    expect(cleared.bufferedMs).to.be.within(245, 255);
    expect(afterClear).to.include({ active: false, bufferedMs: 0 });
    expect(heard.ended).to.deep.equal([]);
    const samples = output.getChannelData(0);
    expect(rmsOf(samples, sampleAt(0.1), sampleAt(0.24))).to.be.greaterThan(0.3);
    expect(rmsOf(samples, sampleAt(0.251), samples.length)).to.equal(0);
    playback.dispose();
  });

  it('rebuffers after running dry mid-response instead of crackling', async function () {
    await need(this, 'OfflineAudioContext.suspend');
    const { context, playback, heard } = await setup(50);
    playback.push('resp_1', 'item_1', sinePcm16(440, 60));
    await playback.status();
    let dry = await playback.status();
    const output = await render(context, {
      0.2: async () => {
        dry = await playback.status();
        playback.push('resp_1', 'item_1', sinePcm16(440, 30));
        await playback.status();
      },
    });
    expect(dry.underruns).to.equal(1);
    expect(dry.active).to.equal(true);
    // 30 ms is below the 50 ms threshold and the response is not complete: it waits.
    expect(rmsOf(output.getChannelData(0), sampleAt(0.21), sampleAt(0.5))).to.equal(0);
    expect(heard.started).to.have.length(1);
    playback.dispose();
  });
});
