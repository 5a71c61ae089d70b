// Harness for the hostile-request fault suite: the real route behind toNodeHandler on node:http
// (127.0.0.1), a recording fake upstream, raw HTTP requests the test controls byte by byte, and a
// log watcher that hands each realtime.mint line to the case that caused it.
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import {
  createOpenAIRealtimeProvider,
  createRealtimeRoute,
  toNodeHandler,
  type RealtimeRouteOptions,
} from '../../../src/server/index.js';
import {
  LeakWatch,
  startFakeUpstream,
  TEST_API_KEY,
  type FakeUpstream,
  type RecordedRequest,
  type SeenResponse,
  type UpstreamBehaviour,
} from '../../../src/server/test-fixtures.node.js';

/** The session cookie the strict configuration's `authorize` accepts. */
export const SESSION_COOKIE = 'sid=s3ss10n-valid';
/** Every smuggling payload carries this; no upstream request of the whole suite may contain it. */
export const SMUGGLE = 'SMUGGLE-8c1e';
/** The only origin the strict configuration allows. */
export const APP_ORIGIN = 'https://app.example';

/** The route configurations the cases run against, one server each. */
export type ConfigName = 'open' | 'strict' | 'hasty' | 'slow' | 'patient' | 'limited' | 'live' | 'live-limited';

/** The strict policy: allow-lists everywhere, page instructions refused, tools pinned, cookie auth. */
export function configOptions(name: ConfigName): Partial<RealtimeRouteOptions> {
  switch (name) {
    case 'open':
      return {};
    case 'strict':
      return {
        authorize: (request) => {
          const cookies = (request.headers.get('cookie') ?? '').split(';').map((part) => part.trim());
          return cookies.includes(SESSION_COOKIE) ? 'user-1' : false;
        },
        policy: {
          allowedAdapters: ['openai-agents-webrtc', 'openai-websocket'],
          allowedModels: ['gpt-realtime-mini'],
          allowedVoices: ['marin', 'cedar'],
          allowedTranscriptionModels: ['whisper-1'],
          instructions: 'You are the help desk of Example Inc.',
          clientInstructions: 'refuse',
          allowedTools: [
            { name: 'get_weather', description: 'Current weather for a city.', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
            'lookup_order',
          ],
          maxTools: 2,
          maxToolTextChars: 0,
          allowedOrigins: [APP_ORIGIN],
          allowedProviderOptions: ['tracing'],
          bound: { maxOutputTokens: 200, speed: { min: 0.8, max: 1.2 }, idleTimeoutMs: { max: 10_000 } },
        },
      };
    case 'hasty':
      return { upstreamTimeoutMs: 400 };
    case 'slow':
      return { bodyTimeoutMs: 300 };
    case 'patient':
      return { upstreamTimeoutMs: 30_000 };
    case 'limited':
      return { rateLimit: { limiter: new RateLimiterMemory({ points: 2, duration: 60 }) } };
    case 'live':
      // GPT-Live enabled, behind the same cookie check and origins as `strict`; `delegation` is an
      // allowed providerOptions key here only to show that GPT-Live's own keys stay the server's.
      return {
        authorize: (request) => ((request.headers.get('cookie') ?? '').split(';').map((part) => part.trim()).includes(SESSION_COOKIE) ? 'user-1' : false),
        upstreamTimeoutMs: 1000,
        policy: {
          allowedAdapters: ['openai-live-webrtc'],
          allowedModels: ['gpt-live-1'],
          allowedOrigins: [APP_ORIGIN],
          allowedProviderOptions: ['delegation', 'safety_identifier'],
          instructions: 'You are the help desk of Example Inc.',
          clientInstructions: 'refuse',
        },
      };
    case 'live-limited':
      return { rateLimit: { limiter: new RateLimiterMemory({ points: 1, duration: 60 }) }, policy: { allowedAdapters: ['openai-live-webrtc'] } };
  }
}

/** One mint line as the logger got it. */
export interface MintLine {
  level: string;
  fields: Record<string, any>;
}

/** Everything a suite needs: servers per configuration, the upstream, the watcher. */
export interface Bench {
  upstream: FakeUpstream;
  watch: LeakWatch;
  /** Every request the upstream got during the whole suite. */
  allUpstreamRequests: RecordedRequest[];
  port(config: ConfigName): number;
  /** Resolves with the next realtime.mint line. */
  nextMintLine(): Promise<MintLine>;
  /** Resolves when the next request's headers reach the server on `port` (the route is running). */
  nextArrival(port: number): Promise<void>;
  mintLines: MintLine[];
  close(): Promise<void>;
}

export async function startBench(): Promise<Bench> {
  const upstream = await startFakeUpstream();
  const watch = new LeakWatch();
  const mintLines: MintLine[] = [];
  const waiters: Array<(line: MintLine) => void> = [];
  const logger = Object.fromEntries(
    (['info', 'warn', 'error'] as const).map((level) => [
      level,
      (message: string, fields?: Record<string, unknown>) => {
        watch.logger[level]!(message, fields);
        if (message !== 'realtime.mint') return;
        const line = { level, fields: fields ?? {} };
        mintLines.push(line);
        waiters.splice(0).forEach((resolve) => resolve(line));
      },
    ]),
  );
  const servers = new Map<ConfigName, { server: Server; port: number }>();
  const arrivals = new Map<ConfigName, Array<() => void>>();
  for (const name of ['open', 'strict', 'hasty', 'slow', 'patient', 'limited', 'live', 'live-limited'] as const) {
    const provider = createOpenAIRealtimeProvider({ apiKey: TEST_API_KEY, baseUrl: upstream.baseUrl });
    const handler = toNodeHandler(createRealtimeRoute({ provider, logger, ...configOptions(name) }));
    const server = createServer(handler);
    server.on('request', () => arrivals.get(name)?.splice(0).forEach((resolve) => resolve()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.set(name, { server, port: (server.address() as AddressInfo).port });
  }
  const allUpstreamRequests: RecordedRequest[] = [];
  return {
    upstream,
    watch,
    allUpstreamRequests,
    mintLines,
    port: (config) => servers.get(config)!.port,
    nextMintLine: () => new Promise((resolve) => waiters.push(resolve)),
    nextArrival: (port) =>
      new Promise<void>((resolve) => {
        const name = [...servers].find(([, entry]) => entry.port === port)![0];
        arrivals.set(name, [...(arrivals.get(name) ?? []), resolve]);
      }),
    async close() {
      for (const { server } of servers.values()) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
      await upstream.close();
    },
  };
}

/** A request written exactly as given. `body` chunks are written in order; `hold` leaves it open. */
export interface WireRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  chunks?: Array<string | Buffer>;
  /** Leave the body unfinished (a stalled upload). */
  hold?: boolean;
  /** Write each chunk this many ms apart (a trickle). */
  gapMs?: number;
}

/** Sends `wire` to 127.0.0.1:`port` with node:http and records the answer in `watch`. */
export function exchange(watch: LeakWatch, port: number, wire: WireRequest): Promise<SeenResponse> {
  return new Promise((resolve, reject) => {
    let answered = false;
    let trickle: ReturnType<typeof setTimeout> | undefined;
    const req = httpRequest(
      { host: '127.0.0.1', port, method: wire.method ?? 'POST', path: wire.path ?? '/api/realtime', headers: wire.headers ?? {}, agent: false },
      (res) => {
        answered = true;
        clearTimeout(trickle);
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
          const seen: SeenResponse = { status: res.statusCode ?? 0, headers, text, json };
          watch.responses.push(seen);
          req.destroy();
          resolve(seen);
        });
      },
    );
    // A server that answers early and closes can make the rest of an upload fail; that is expected.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    const chunks = [...(wire.chunks ?? [])];
    const writeNext = (): void => {
      if (answered || req.destroyed) return;
      const chunk = chunks.shift();
      if (chunk === undefined) {
        if (!wire.hold) req.end();
        return;
      }
      req.write(chunk);
      if (wire.gapMs) trickle = setTimeout(writeNext, wire.gapMs);
      else writeNext();
    };
    writeNext();
  });
}

/** Opens a request, writes `chunks`, then destroys the socket once `when()` resolves: a client hanging up. */
export function hangUp(port: number, wire: WireRequest, when: () => Promise<unknown>): void {
  const hangUpSignal = when(); // subscribed before the request is sent, so the event cannot be missed
  const req = httpRequest({ host: '127.0.0.1', port, method: wire.method ?? 'POST', path: '/api/realtime', headers: wire.headers ?? {}, agent: false });
  req.on('error', () => undefined);
  for (const chunk of wire.chunks ?? []) req.write(chunk);
  if (!wire.hold) req.end();
  void hangUpSignal.then(() => req.destroy());
}

/** `depth` levels of `{"a": …}` around `leaf`, as text (JSON.stringify would overflow first). */
export function nested(depth: number, leaf = '{}'): string {
  return '{"a":'.repeat(depth) + leaf + '}'.repeat(depth);
}

/** Re-exported for the cases. */
export type { RecordedRequest, SeenResponse, UpstreamBehaviour };
