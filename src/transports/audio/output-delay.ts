/**
 * How far, in ms, an AudioContext renders ahead of what its output device is playing now: the
 * audio a worklet has produced but nobody has heard yet.
 *
 * `getOutputTimestamp().contextTime` is the context time of the frame the device is playing, so
 * `currentTime` minus it is the whole delay. Engines fill the parts in differently (measured here:
 * Chromium 41 ms from the timestamp, 10 + 30 ms from base and output latency; WebKitGTK 2.9 ms from
 * the timestamp and from `baseLatency`, `outputLatency` 0; Firefox 0 from all three), so the larger
 * of the two readings is taken: cutting a reply a few ms short of what was heard is harmless, cutting
 * it after tells the model the user heard words that never played.
 */
export function outputDelayMs(context: BaseAudioContext): number {
  const audio = context as Partial<AudioContext> & BaseAudioContext;
  const latencies = finiteOrZero(audio.baseLatency) + finiteOrZero(audio.outputLatency);
  let pending = 0;
  if (typeof audio.getOutputTimestamp === 'function') {
    const playing = audio.getOutputTimestamp().contextTime;
    if (typeof playing === 'number' && Number.isFinite(playing) && playing > 0) pending = context.currentTime - playing;
  }
  return Math.max(0, latencies, pending) * 1000;
}

function finiteOrZero(value: number | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}
