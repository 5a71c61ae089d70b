// Browser-side helpers for the emulator tests: where the emulator is, secrets, an awaitable event
// log, and audio levels read the way a lip-sync analyser would.
// @ts-expect-error virtual module served by the wtr plugins (test/wtr-emulator-plugin.mjs)
import * as served from '/__charivo/emulator.js';

export interface EmulatorInfo {
  emulatorUrl: string;
  baseUrl: string;
  apiKey: string;
  /** The app's realtime route (the real one, in front of the emulator). */
  routePath: string;
}

export const emulator = served as EmulatorInfo;
export const callsUrl = `${emulator.baseUrl}/realtime/calls`;
export const websocketUrl = `${emulator.baseUrl.replace(/^http/, 'ws')}/realtime`;

export type WireEvent = Record<string, unknown> & { type: string };

/**
 * Gets an ek_ secret the way a page does: from the app's realtime route, which holds the server key
 * and asks the emulator's client_secrets endpoint. `session` is our camelCase session config.
 */
export async function mintSecret(
  session: Record<string, unknown>,
  adapter: 'openai-agents-webrtc' | 'openai-websocket' = 'openai-agents-webrtc',
): Promise<string> {
  const response = await fetch(emulator.routePath, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ adapter, session }),
  });
  if (!response.ok) throw new Error(`the route answered ${response.status}: ${await response.text()}`);
  const bootstrap = (await response.json()) as { clientSecret: { value: string } };
  return bootstrap.clientSecret.value;
}

/** The emulator's record of a session: events both ways, items, schema violations. */
export async function sessionLog(sessionId: string): Promise<{ violations: unknown[]; events: Array<{ direction: string; type: string }>; items: unknown[] }> {
  const response = await fetch(`${emulator.emulatorUrl}/_emulator/sessions/${encodeURIComponent(sessionId)}/events`);
  if (!response.ok) throw new Error(`no log for ${sessionId}: ${response.status}`);
  return response.json();
}

/** Server events in arrival order; `next` awaits the first unseen one that matches. */
export class EventLog {
  readonly events: WireEvent[] = [];
  #cursor = 0;
  #wake = new Set<() => void>();

  push(event: WireEvent): void {
    this.events.push(event);
    for (const wake of [...this.#wake]) wake();
  }

  get cursor(): number {
    return this.#cursor;
  }

  next(match: string | ((event: WireEvent) => boolean), timeoutMs = 15_000): Promise<WireEvent> {
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
        return false;
      };
      if (check()) return;
      const wake = (): void => {
        if (!check()) return;
        clearTimeout(timer);
        this.#wake.delete(wake);
      };
      const timer = setTimeout(() => {
        this.#wake.delete(wake);
        reject(new Error(`timed out waiting for ${typeof match === 'string' ? match : 'an event'}; got ${this.events.slice(this.#cursor).map((e) => e.type).join(', ')}`));
      }, timeoutMs);
      this.#wake.add(wake);
    });
  }

  all(type: string, from = 0): WireEvent[] {
    return this.events.slice(from).filter((e) => e.type === type);
  }
}

/**
 * Resolves with the first RMS level above `threshold` that an AnalyserNode reads from `stream`,
 * sampled once per animation frame. Chromium reads silence from a remote WebRTC stream unless it
 * also plays in a media element, so the stream is attached to a muted <audio> as well.
 */
export async function levelAbove(stream: MediaStream, threshold: number, timeoutMs = 15_000): Promise<number> {
  const element = document.createElement('audio');
  element.muted = true;
  element.autoplay = true;
  element.srcObject = stream;
  document.body.append(element);
  const context = new AudioContext();
  await context.resume();
  const analyser = context.createAnalyser();
  analyser.fftSize = 1024;
  context.createMediaStreamSource(stream).connect(analyser);
  const buffer = new Float32Array(analyser.fftSize);
  try {
    return await new Promise<number>((resolve, reject) => {
      const deadline = performance.now() + timeoutMs;
      let loudest = 0;
      const frame = (): void => {
        analyser.getFloatTimeDomainData(buffer);
        let sum = 0;
        for (const v of buffer) sum += v * v;
        const level = Math.sqrt(sum / buffer.length);
        loudest = Math.max(loudest, level);
        if (level > threshold) resolve(level);
        else if (performance.now() > deadline) reject(new Error(`audio level stayed below ${threshold} (max ${loudest})`));
        else requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    });
  } finally {
    await context.close();
    element.remove();
  }
}

/** RMS of base64 PCM16 (what `response.output_audio.delta` carries). */
export function pcm16Level(base64: string): number {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const samples = new Int16Array(bytes.buffer, 0, bytes.length >> 1);
  let sum = 0;
  for (const v of samples) sum += (v / 32768) ** 2;
  return samples.length ? Math.sqrt(sum / samples.length) : 0;
}

/** A microphone that is there but silent, so the fake device's beeps cannot start turns. */
export function silentMicrophone(): { stream: MediaStream; close(): Promise<void> } {
  const context = new AudioContext();
  const destination = context.createMediaStreamDestination();
  return { stream: destination.stream, close: () => context.close() };
}

export const SET_EXPRESSION_TOOL = {
  type: 'function',
  name: 'setExpression',
  description: 'Sets the avatar expression.',
  parameters: { type: 'object', properties: { expressionId: { type: 'string' } }, required: ['expressionId'] },
} as const;
