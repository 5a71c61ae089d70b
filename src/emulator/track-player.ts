import type { TrackAudioOutput } from './responder.js';

/** The part of wrtc's `nonstandard.RTCAudioSource` the player uses. */
export interface AudioFrameSink {
  onData(data: { samples: Int16Array; sampleRate: number; bitsPerSample?: number; channelCount?: number; numberOfFrames?: number }): void;
}

export interface PlaybackListener {
  started(responseId: string): void;
  stopped(responseId: string): void;
}

const SAMPLE_RATE = 48000;
const FRAME = SAMPLE_RATE / 100;
const FRAME_MS = 10;
/** More than this many frames behind (a blocked event loop): skip ahead rather than burst. */
const MAX_CATCH_UP = 10;
/**
 * Silent frames before a response counts as finished: the responder queues audio a little ahead,
 * but a late timer must not split one answer into two started/stopped pairs.
 */
const STOP_AFTER_SILENT_FRAMES = 5;

interface Chunk {
  responseId: string;
  samples: Int16Array;
  offset: number;
}

/**
 * Plays queued PCM on a WebRTC audio track in real time: a 10 ms frame per tick, silence when
 * nothing is queued so the track stays live. It paces itself on the clock rather than counting
 * timer callbacks, because `setInterval(10)` drifts and the receiver would hear that as gaps.
 * It reports when a response's audio becomes audible and when it ends, which is what
 * `output_audio_buffer.started` / `stopped` mean on WebRTC.
 */
export class TrackPlayer implements TrackAudioOutput {
  readonly sampleRate = SAMPLE_RATE;
  #queue: Chunk[] = [];
  #audible: string | undefined;
  #timer: NodeJS.Timeout | undefined;
  #startedAt = 0;
  #frames = 0;
  #silentFrames = 0;
  readonly #silence = new Int16Array(FRAME);

  constructor(
    private readonly sink: AudioFrameSink,
    private readonly listener: PlaybackListener,
  ) {}

  start(): void {
    if (this.#timer) return;
    this.#startedAt = performance.now();
    this.#frames = 0;
    this.#timer = setInterval(() => this.#tick(), FRAME_MS);
    // The peer connection keeps the process alive while it matters; the clock must not.
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#queue = [];
    this.#audible = undefined;
  }

  enqueue(responseId: string, samples: Int16Array): void {
    if (samples.length > 0) this.#queue.push({ responseId, samples, offset: 0 });
  }

  clear(): string | undefined {
    const audible = this.#audible ?? this.#queue[0]?.responseId;
    this.#queue = [];
    this.#audible = undefined;
    return audible;
  }

  #tick(): void {
    try {
      this.#advance();
    } catch {
      // A listener failing must not take the process down from a timer; playback carries on.
    }
  }

  #advance(): void {
    let due = Math.floor((performance.now() - this.#startedAt) / FRAME_MS) - this.#frames;
    if (due > MAX_CATCH_UP) {
      this.#frames += due - 1;
      due = 1;
    }
    for (; due > 0; due -= 1) {
      this.#frames += 1;
      this.#pushFrame();
    }
  }

  #pushFrame(): void {
    if (this.#queue.length === 0) {
      this.#push(this.#silence);
      this.#silentFrames += 1;
      if (this.#silentFrames >= STOP_AFTER_SILENT_FRAMES) this.#finishIfIdle();
      return;
    }
    this.#silentFrames = 0;
    const frame = new Int16Array(FRAME);
    let filled = 0;
    while (filled < FRAME && this.#queue.length > 0) {
      const chunk = this.#queue[0]!;
      if (this.#audible !== chunk.responseId) {
        if (this.#audible) this.listener.stopped(this.#audible);
        this.#audible = chunk.responseId;
        this.listener.started(chunk.responseId);
        // A listener may have cleared the queue (an interruption) while being told.
        if (this.#queue[0] !== chunk) continue;
      }
      const take = Math.min(FRAME - filled, chunk.samples.length - chunk.offset);
      frame.set(chunk.samples.subarray(chunk.offset, chunk.offset + take), filled);
      filled += take;
      chunk.offset += take;
      if (chunk.offset >= chunk.samples.length) this.#queue.shift();
    }
    this.#push(frame);
  }

  #finishIfIdle(): void {
    if (this.#queue.length === 0 && this.#audible) {
      const done = this.#audible;
      this.#audible = undefined;
      this.listener.stopped(done);
    }
  }

  #push(samples: Int16Array): void {
    try {
      this.sink.onData({ samples, sampleRate: SAMPLE_RATE, bitsPerSample: 16, channelCount: 1, numberOfFrames: FRAME });
    } catch {
      // The track ended under us (peer closing); the session's close handler stops the clock.
    }
  }
}
