/**
 * Helpers for the emulator's Node tests: clients that record server events and let a test await
 * the next one of a kind (no sleeps), a WebRTC client built on @roamhq/wrtc, and audio fixtures.
 */
import WebSocket from 'ws';
import type { RealtimeEmulator } from './server.js';
import { loadWrtc } from './wrtc-loader.js';

export type WireEvent = Record<string, unknown> & { type: string };
type Matcher = string | ((event: WireEvent) => boolean);

/** Collects server events and hands them out in order to `next()` calls. */
export class EventStream {
  readonly events: WireEvent[] = [];
  /** Frames that were not JSON (fault tests expect some). */
  readonly unparseable: string[] = [];
  closed = false;
  #cursor = 0;
  #waiters = new Set<() => void>();

  push(text: string): void {
    try {
      this.events.push(JSON.parse(text) as WireEvent);
    } catch {
      this.unparseable.push(text);
    }
    this.#wake();
  }

  markClosed(): void {
    this.closed = true;
    this.#wake();
  }

  /**
   * Resolves with the first event after the cursor that matches, and moves the cursor past it.
   * Rejects if the connection closes first or after `timeoutMs` (a safety net, not a wait).
   */
  next(match: Matcher, timeoutMs = 10_000): Promise<WireEvent> {
    const test = typeof match === 'string' ? (e: WireEvent) => e.type === match : match;
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        for (let i = this.#cursor; i < this.events.length; i += 1) {
          if (test(this.events[i]!)) {
            this.#cursor = i + 1;
            resolve(this.events[i]!);
            return true;
          }
        }
        if (this.closed) {
          reject(new Error(`connection closed while waiting for ${describe(match)}; got ${this.types(this.#cursor).join(', ')}`));
          return true;
        }
        return false;
      };
      if (check()) return;
      const waiter = (): void => {
        if (check()) done();
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out waiting for ${describe(match)}; got ${this.types(this.#cursor).join(', ')}`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(waiter);
      };
      this.#waiters.add(waiter);
    });
  }

  /** Resolves when the connection has closed. */
  async whenClosed(timeoutMs = 10_000): Promise<void> {
    await this.next(() => false, timeoutMs).catch((error: Error) => {
      if (!this.closed) throw error;
    });
  }

  /** Events since `from` (default: all) that match. */
  all(match: Matcher, from = 0): WireEvent[] {
    const test = typeof match === 'string' ? (e: WireEvent) => e.type === match : match;
    return this.events.slice(from).filter(test);
  }

  types(from = 0): string[] {
    return this.events.slice(from).map((e) => e.type);
  }

  /** Index of the cursor, to slice out one turn's events. */
  get cursor(): number {
    return this.#cursor;
  }

  #wake(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }
}

function describe(match: Matcher): string {
  return typeof match === 'string' ? `"${match}"` : 'a matching event';
}

/** A WebSocket client of the emulator. */
export interface SocketClient {
  ws: WebSocket;
  stream: EventStream;
  send(event: Record<string, unknown>): void;
  close(): void;
}

/** Opens a WebSocket session the way a browser does (key as a subprotocol). */
export async function openSocket(emulator: RealtimeEmulator, key = emulator.apiKey, query = '?model=gpt-realtime'): Promise<SocketClient> {
  const ws = new WebSocket(`${emulator.websocketUrl}${query}`, ['realtime', `openai-insecure-api-key.${key}`]);
  const stream = new EventStream();
  ws.on('message', (data) => stream.push(String(data)));
  ws.on('close', () => stream.markClosed());
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    ws,
    stream,
    send: (event) => ws.send(JSON.stringify(event)),
    close: () => ws.close(),
  };
}

/** A WebRTC client of the emulator: a wrtc peer with the `oai-events` channel and a microphone. */
export interface RtcClient {
  pc: RTCPeerConnection;
  stream: EventStream;
  callId: string;
  /** Pushes 10 ms mono frames at 48 kHz into the microphone track. */
  mic: { push(samples: Int16Array): void };
  /** RMS of every 10 ms frame received on the assistant's audio track. */
  levels: number[];
  send(event: Record<string, unknown>): void;
  /** Resolves when a received frame's RMS reaches `threshold`. */
  audioAbove(threshold: number, timeoutMs?: number): Promise<number>;
  /** Resolves when `frames` consecutive received frames stay below `threshold`. */
  audioQuiet(threshold: number, frames: number, timeoutMs?: number): Promise<void>;
  close(): void;
}

/**
 * Connects like @openai/agents-realtime does: data channel and mic track first, then the raw
 * offer (no candidates) POSTed with the secret, then the answer.
 */
export async function connectRtc(emulator: RealtimeEmulator, secret: string): Promise<RtcClient> {
  const wrtc = await loadWrtc();
  const pc = new wrtc.RTCPeerConnection();
  const dc = pc.createDataChannel('oai-events');
  const source = new wrtc.nonstandard.RTCAudioSource();
  const micTrack = source.createTrack();
  pc.addTrack(micTrack);
  const stream = new EventStream();
  const levels: number[] = [];
  const levelWaiters = new Set<(rms: number) => void>();
  const sinks: Array<{ stop(): void }> = [];
  pc.ontrack = (event) => {
    const sink = new wrtc.nonstandard.RTCAudioSink(event.track);
    sinks.push(sink);
    sink.ondata = (data: { samples: Int16Array }) => {
      const level = rmsOf(data.samples);
      levels.push(level);
      for (const waiter of levelWaiters) waiter(level);
    };
  };
  dc.onmessage = (message) => stream.push(String(message.data));
  dc.onclose = () => stream.markClosed();
  const opened = new Promise<void>((resolve) => (dc.onopen = () => resolve()));

  const offer = await pc.createOffer();
  await pc.setLocalDescription(offer);
  const response = await fetch(emulator.callsUrl, {
    method: 'POST',
    body: offer.sdp,
    headers: { 'Content-Type': 'application/sdp', Authorization: `Bearer ${secret}` },
  });
  if (response.status !== 201) throw new Error(`calls answered ${response.status}: ${await response.text()}`);
  const callId = response.headers.get('location')!.split('/').pop()!;
  await pc.setRemoteDescription({ type: 'answer', sdp: await response.text() });
  await opened;
  return {
    pc,
    stream,
    callId,
    mic: {
      push: (samples) => source.onData({ samples, sampleRate: 48000, bitsPerSample: 16, channelCount: 1, numberOfFrames: samples.length }),
    },
    levels,
    send: (event) => dc.send(JSON.stringify(event)),
    audioAbove: (threshold, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          levelWaiters.delete(waiter);
          reject(new Error(`no audio frame above ${threshold} (max ${Math.max(0, ...levels)})`));
        }, timeoutMs);
        const waiter = (level: number): void => {
          if (level < threshold) return;
          clearTimeout(timer);
          levelWaiters.delete(waiter);
          resolve(level);
        };
        levelWaiters.add(waiter);
      }),
    audioQuiet: (threshold, frames, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        let run = 0;
        const timer = setTimeout(() => {
          levelWaiters.delete(waiter);
          reject(new Error(`audio did not stay below ${threshold} for ${frames} frames`));
        }, timeoutMs);
        const waiter = (level: number): void => {
          run = level < threshold ? run + 1 : 0;
          if (run < frames) return;
          clearTimeout(timer);
          levelWaiters.delete(waiter);
          resolve();
        };
        levelWaiters.add(waiter);
      }),
    close: () => {
      for (const sink of sinks) sink.stop();
      micTrack.stop();
      pc.close();
    },
  };
}

export function rmsOf(samples: Int16Array): number {
  let sum = 0;
  for (const v of samples) sum += (v / 32768) ** 2;
  return samples.length ? Math.sqrt(sum / samples.length) : 0;
}

/** A vowel-like burst: 180 Hz with harmonics, RMS about 0.2. */
export function toneBurst(ms: number, sampleRate: number): Int16Array {
  const n = Math.round((ms / 1000) * sampleRate);
  const out = new Int16Array(n);
  for (let i = 0; i < n; i += 1) {
    const t = i / sampleRate;
    const v = 0.22 * Math.sin(2 * Math.PI * 180 * t) + 0.1 * Math.sin(2 * Math.PI * 360 * t) + 0.06 * Math.sin(2 * Math.PI * 720 * t);
    out[i] = Math.round(v * 32767);
  }
  return out;
}

export function silence(ms: number, sampleRate: number): Int16Array {
  return new Int16Array(Math.round((ms / 1000) * sampleRate));
}

/** PCM16 little-endian base64, as `input_audio_buffer.append` carries it. */
export function toBase64(samples: Int16Array): string {
  return Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength).toString('base64');
}

/** POSTs JSON with the given bearer key. */
export async function postJson(url: string, body: unknown, key?: string): Promise<{ status: number; json: any; headers: Headers }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(key ? { Authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined, headers: response.headers };
}

/** A server-side control connection (`/v1/realtime?call_id=…`) of the emulator. */
export interface SidebandClient extends SocketClient {
  /** Resolves with the close code and reason once the emulator or the test closed it. */
  closed: Promise<{ code: number; reason: string }>;
}

/** Joins a call as a server does: `Authorization: Bearer <server key>` on `?call_id=`. */
export async function joinSideband(emulator: RealtimeEmulator, callId: string, key = emulator.apiKey): Promise<SidebandClient> {
  const ws = new WebSocket(`${emulator.websocketUrl}?call_id=${encodeURIComponent(callId)}`, { headers: { Authorization: `Bearer ${key}` } });
  const stream = new EventStream();
  ws.on('message', (data) => stream.push(String(data)));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on('close', (code, reason) => {
      stream.markClosed();
      resolve({ code, reason: reason.toString() });
    });
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, stream, closed, send: (event) => ws.send(JSON.stringify(event)), close: () => ws.close() };
}

/** Opens a WebSocket that the server must refuse; resolves with the HTTP status and JSON body of the refusal. */
export function upgradeRefusal(url: string, headers: Record<string, string>): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on('unexpected-response', (_request, response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
        ws.terminate();
      });
    });
    ws.on('error', () => {});
    ws.on('open', () => {
      ws.close();
      reject(new Error(`the server accepted ${url}`));
    });
  });
}

/**
 * A call the server creates as the route does (multipart `sdp` + `session`, server key), with the
 * client's side held back: the data channel opens only when `connect()` applies the answer.
 */
export interface ServerCreatedCall {
  callId: string;
  stream: EventStream;
  send(event: Record<string, unknown>): void;
  connect(): Promise<void>;
  close(): void;
}

export async function createServerCall(emulator: RealtimeEmulator, session: Record<string, unknown>): Promise<ServerCreatedCall> {
  const wrtc = await loadWrtc();
  const pc = new wrtc.RTCPeerConnection();
  const dc = pc.createDataChannel('oai-events');
  const stream = new EventStream();
  dc.onmessage = (message) => stream.push(String(message.data));
  dc.onclose = () => stream.markClosed();
  const opened = new Promise<void>((resolve) => (dc.onopen = () => resolve()));
  const offer = await pc.createOffer();
  await pc.setLocalDescription(offer);
  const form = new FormData();
  form.set('sdp', offer.sdp!);
  form.set('session', JSON.stringify({ type: 'realtime', ...session }));
  const response = await fetch(emulator.callsUrl, { method: 'POST', headers: { Authorization: `Bearer ${emulator.apiKey}` }, body: form });
  if (response.status !== 201) throw new Error(`calls answered ${response.status}: ${await response.text()}`);
  const callId = response.headers.get('location')!.split('/').pop()!;
  const answer = await response.text();
  return {
    callId,
    stream,
    send: (event) => dc.send(JSON.stringify(event)),
    connect: async () => {
      await pc.setRemoteDescription({ type: 'answer', sdp: answer });
      await opened;
    },
    close: () => pc.close(),
  };
}
