/**
 * The two AudioWorklet processors, written as self-contained functions that `worklet-module.ts`
 * stringifies into one module (see the note in `dsp.ts` on what that forbids). They run on the audio
 * thread, so they allocate little and talk to the main thread only through their ports.
 * @packageDocumentation
 */
import type { AudioDsp, StreamResampler } from './dsp.js';

/** Registered name of the capture processor. */
export const CAPTURE_PROCESSOR = 'charivo-pcm16-capture';
/** Registered name of the playback processor. */
export const PLAYBACK_PROCESSOR = 'charivo-pcm16-playback';

/** `processorOptions` of the capture processor. */
export interface CaptureProcessorOptions {
  targetRate: number;
  chunkMs: number;
  muted: boolean;
  sending: boolean;
}

/** `processorOptions` of the playback processor. */
export interface PlaybackProcessorOptions {
  sourceRate: number;
  startMs: number;
}

/** Messages the playback processor posts. */
export type PlaybackMessage =
  | { type: 'started'; responseId: string; itemId: string }
  | { type: 'ended'; responseId: string }
  | { type: 'underrun'; responseId: string | null }
  | { type: 'cleared' | 'status'; id: number; active: boolean; itemId: string | null; responseId: string | null; playedMs: number; bufferedMs: number; underruns: number };

// The AudioWorkletGlobalScope, which lib.dom does not describe.
declare const sampleRate: number;
declare function registerProcessor(name: string, processor: unknown): void;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}

/** Capture: mono input at the context rate → PCM16 chunks at `targetRate`, silence while muted. */
export function defineCaptureProcessor(dsp: AudioDsp, name: string): void {
  class CaptureProcessor extends AudioWorkletProcessor {
    declare resampler: StreamResampler;
    declare scratch: Float32Array;
    declare silence: Float32Array;
    declare chunk: Int16Array;
    declare filled: number;
    declare chunkSamples: number;
    declare muted: boolean;
    declare sending: boolean;
    declare alive: boolean;

    constructor(options: { processorOptions?: Partial<CaptureProcessorOptions> }) {
      super();
      const o = options.processorOptions || {};
      const targetRate = o.targetRate || 24000;
      this.resampler = dsp.createResampler(sampleRate, targetRate);
      this.scratch = new Float32Array(this.resampler.maxOutput(128));
      this.silence = new Float32Array(128);
      this.chunkSamples = Math.max(1, Math.round((targetRate * (o.chunkMs || 40)) / 1000));
      this.chunk = new Int16Array(this.chunkSamples);
      this.filled = 0;
      this.muted = Boolean(o.muted);
      this.sending = o.sending !== false;
      this.alive = true;
      this.port.onmessage = (event: MessageEvent) => this.onMessage(event.data);
    }

    onMessage(message: { type: string; muted?: boolean; sending?: boolean; id?: number }): void {
      if (message.type === 'muted') this.muted = Boolean(message.muted);
      else if (message.type === 'sending') {
        // A new stretch of audio must not start with the tail of the previous one.
        if (message.sending && !this.sending) {
          this.resampler.reset();
          this.filled = 0;
        }
        this.sending = Boolean(message.sending);
      } else if (message.type === 'flush') {
        this.post(this.filled);
        this.port.postMessage({ type: 'flushed', id: message.id });
      } else if (message.type === 'stop') this.alive = false;
    }

    post(count: number): void {
      if (count === 0) return;
      const pcm = count === this.chunk.length ? this.chunk : this.chunk.slice(0, count);
      this.port.postMessage({ type: 'chunk', pcm: pcm.buffer }, [pcm.buffer]);
      this.chunk = new Int16Array(this.chunkSamples);
      this.filled = 0;
    }

    process(inputs: Float32Array[][]): boolean {
      if (!this.alive) return false;
      if (!this.sending) return true;
      const channel = inputs[0] && inputs[0][0];
      const length = channel ? channel.length : 128;
      if (this.silence.length !== length) this.silence = new Float32Array(length);
      // Muted (or no track right now) is sent as zeros: server VAD then sees the turn end normally.
      const input = this.muted || !channel ? this.silence : channel;
      if (this.scratch.length < this.resampler.maxOutput(length)) this.scratch = new Float32Array(this.resampler.maxOutput(length));
      const produced = this.resampler.process(input, this.scratch);
      let at = 0;
      while (at < produced) {
        const take = Math.min(produced - at, this.chunkSamples - this.filled);
        dsp.floatToPcm16(this.scratch.subarray(at, at + take), this.chunk, this.filled);
        this.filled += take;
        at += take;
        if (this.filled === this.chunkSamples) this.post(this.filled);
      }
      return true;
    }
  }
  registerProcessor(name, CaptureProcessor);
}

/**
 * Playback: PCM16 at `sourceRate` → the context rate, behind a jitter buffer that starts once
 * `startMs` are queued (or the response's audio is complete), counting what each item really played.
 */
export function definePlaybackProcessor(dsp: AudioDsp, name: string): void {
  interface Chunk {
    responseId: string;
    itemId: string;
    data: Float32Array | null;
    offset: number;
  }

  class PlaybackProcessor extends AudioWorkletProcessor {
    declare resampler: StreamResampler;
    declare stream: { responseId: string; itemId: string } | null;
    declare queue: Chunk[];
    declare queued: number;
    declare startSamples: number;
    declare state: 'idle' | 'buffering' | 'playing';
    declare response: string | null;
    declare item: string | null;
    declare itemPlayed: number;
    declare underruns: number;
    declare alive: boolean;

    constructor(options: { processorOptions?: Partial<PlaybackProcessorOptions> }) {
      super();
      const o = options.processorOptions || {};
      this.resampler = dsp.createResampler(o.sourceRate || 24000, sampleRate);
      this.startSamples = Math.round((sampleRate * (o.startMs === undefined ? 80 : o.startMs)) / 1000);
      this.stream = null;
      this.queue = [];
      this.queued = 0;
      this.state = 'idle';
      this.response = null;
      this.item = null;
      this.itemPlayed = 0;
      this.underruns = 0;
      this.alive = true;
      this.port.onmessage = (event: MessageEvent) => this.onMessage(event.data);
    }

    onMessage(message: { type: string; id?: number; responseId?: string; itemId?: string; pcm?: ArrayBuffer }): void {
      if (message.type === 'push') this.push(message.responseId!, message.itemId!, new Int16Array(message.pcm!));
      else if (message.type === 'end') this.end(message.responseId!);
      else if (message.type === 'clear') this.report('cleared', message.id!, true);
      else if (message.type === 'status') this.report('status', message.id!, false);
      else if (message.type === 'stop') this.alive = false;
    }

    enqueue(responseId: string, itemId: string, data: Float32Array | null): void {
      this.queue.push({ responseId, itemId, data, offset: 0 });
      if (data) this.queued += data.length;
      if (this.state === 'idle') this.state = 'buffering';
    }

    resample(input: Float32Array | null): Float32Array {
      const out = new Float32Array(this.resampler.maxOutput(input ? input.length : 0));
      const count = input ? this.resampler.process(input, out) : this.resampler.flush(out);
      return out.subarray(0, count);
    }

    push(responseId: string, itemId: string, pcm: Int16Array): void {
      if (this.stream && this.stream.itemId !== itemId) this.finishStream();
      this.stream = { responseId, itemId };
      this.enqueue(responseId, itemId, this.resample(dsp.pcm16ToFloat(pcm)));
    }

    finishStream(): void {
      const stream = this.stream;
      if (!stream) return;
      this.stream = null;
      this.enqueue(stream.responseId, stream.itemId, this.resample(null));
    }

    end(responseId: string): void {
      if (this.stream && this.stream.responseId === responseId) this.finishStream();
      // A chunk without data marks the end of the response's audio.
      this.enqueue(responseId, '', null);
    }

    /** Answers `clear` (flushing everything at once) or `status` with what was heard so far. */
    report(type: 'cleared' | 'status', id: number, clear: boolean): void {
      const head = this.queue.find((chunk) => chunk.data !== null);
      const mid = this.response !== null;
      const itemId = mid ? this.item : head ? head.itemId : this.stream ? this.stream.itemId : this.item;
      const playedMs = itemId !== null && itemId === this.item ? Math.floor((this.itemPlayed * 1000) / sampleRate) : 0;
      const active = this.state !== 'idle' || this.queue.length > 0 || this.stream !== null;
      const responseId = mid ? this.response : head ? head.responseId : this.stream ? this.stream.responseId : null;
      const bufferedMs = Math.floor((this.queued * 1000) / sampleRate);
      this.port.postMessage({ type, id, active, itemId, responseId, playedMs, bufferedMs, underruns: this.underruns });
      if (!clear) return;
      this.queue = [];
      this.queued = 0;
      this.stream = null;
      this.resampler.reset();
      this.state = 'idle';
      this.response = null;
    }

    process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
      if (!this.alive) return false;
      const out = outputs[0] && outputs[0][0];
      if (!out) return true;
      out.fill(0);
      if (this.state === 'buffering') {
        const complete = this.queue.some((chunk) => chunk.data === null);
        if (this.queued >= this.startSamples || complete) this.state = 'playing';
      }
      if (this.state !== 'playing') return true;
      let at = 0;
      while (at < out.length && this.queue.length > 0) {
        const head = this.queue[0]!;
        if (head.data === null) {
          this.queue.shift();
          this.response = null;
          this.port.postMessage({ type: 'ended', responseId: head.responseId });
          continue;
        }
        if (this.response !== head.responseId) {
          this.response = head.responseId;
          this.port.postMessage({ type: 'started', responseId: head.responseId, itemId: head.itemId });
        }
        if (this.item !== head.itemId) {
          this.item = head.itemId;
          this.itemPlayed = 0;
        }
        const take = Math.min(out.length - at, head.data.length - head.offset);
        out.set(head.data.subarray(head.offset, head.offset + take), at);
        head.offset += take;
        at += take;
        this.queued -= take;
        this.itemPlayed += take;
        if (head.offset === head.data.length) this.queue.shift();
      }
      if (this.queue.length === 0) {
        if (this.response === null) this.state = 'idle';
        else if (at < out.length) {
          // Ran dry mid-response: wait for the buffer to refill rather than play crackles.
          this.state = 'buffering';
          this.underruns += 1;
          this.port.postMessage({ type: 'underrun', responseId: this.response });
        }
      }
      return true;
    }
  }
  registerProcessor(name, PlaybackProcessor);
}
