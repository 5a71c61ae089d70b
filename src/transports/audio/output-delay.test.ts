import { expect } from '@open-wc/testing';
import { outputDelayMs } from './output-delay.js';

/** A context as an engine reports it: only the fields outputDelayMs reads. */
function reported(fields: { currentTime: number; baseLatency?: number; outputLatency?: number; playing?: number }): BaseAudioContext {
  const { playing, ...rest } = fields;
  const timestamp = playing === undefined ? {} : { getOutputTimestamp: () => ({ contextTime: playing, performanceTime: 0 }) };
  return { ...rest, ...timestamp } as unknown as BaseAudioContext;
}

describe('audio: output delay (what a context rendered that nobody heard yet)', () => {
  it('takes the output timestamp when it says more than the latencies (Chromium: 41 ms against 10 + 30)', () => {
    expect(outputDelayMs(reported({ currentTime: 1.521, baseLatency: 0.01, outputLatency: 0.03, playing: 1.48 }))).to.be.closeTo(41, 0.001);
  });

  it('takes the latencies when they say more (a timestamp that lags behind a quantum)', () => {
    expect(outputDelayMs(reported({ currentTime: 2, baseLatency: 0.01, outputLatency: 0.03, playing: 1.99 }))).to.be.closeTo(40, 0.001);
  });

  it('counts baseLatency where outputLatency is 0 (WebKitGTK: 2.9 ms)', () => {
    expect(outputDelayMs(reported({ currentTime: 1.547, baseLatency: 128 / 44100, outputLatency: 0 }))).to.be.closeTo(2.902, 0.001);
  });

  it('ignores a timestamp from before the device played anything, and bad numbers', () => {
    expect(outputDelayMs(reported({ currentTime: 5, playing: 0 }))).to.equal(0);
    expect(outputDelayMs(reported({ currentTime: 5, baseLatency: Number.NaN, outputLatency: -1, playing: Number.NaN }))).to.equal(0);
    expect(outputDelayMs(reported({ currentTime: 1, playing: 2 }))).to.equal(0);
  });

  it('reads a running context of this engine: finite, never below its own baseLatency', async () => {
    const context = new AudioContext();
    try {
      const source = context.createConstantSource();
      source.connect(context.destination);
      source.start();
      await context.resume();
      const rendered = context.currentTime;
      // Rendering is under way once the clock moves (bounded by frames, not wall time).
      for (let i = 0; i < 600 && context.currentTime === rendered; i += 1) await new Promise((resolve) => requestAnimationFrame(resolve));
      expect(context.currentTime, 'the context clock moved').to.be.greaterThan(rendered);
      const delay = outputDelayMs(context);
      expect(Number.isFinite(delay)).to.equal(true);
      expect(delay).to.be.at.least((context.baseLatency || 0) * 1000 - 1e-9);
      expect(delay).to.be.below(1000);
    } finally {
      await context.close();
    }
  });
});
