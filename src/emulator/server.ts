import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleControl, CONTROL_PREFIX } from './control.js';
import { EmulatorCore } from './core.js';
import { parseFaults, type EmulatorFaults } from './faults.js';
import { applyCors, HttpError, sendError } from './http-util.js';
import { createLiveSession, LIVE_SESSIONS_PATH } from './live/live-routes.js';
import { createCall, createClientSecret, hangUp, upgradeRealtime } from './openai-routes.js';
import type { EmulatorViolation, EventValidator } from './recorder.js';
import type { EmulatorScenario } from './scenario.js';
import type { EmulatorSessionInfo, EmulatorSessionLog } from './session.js';
import { applySessionUpdate, defaultSession } from './session-config.js';
import { WebSocketPeers } from './websocket-peer.js';

/** Options of {@link startRealtimeEmulator}. */
export interface RealtimeEmulatorOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to listen on. Default `127.0.0.1`; on loopback, WebRTC answers offer loopback candidates only. */
  host?: string;
  /** The server API key clients must present (as OpenAI's `sk-…`). Default `sk-emulator`. */
  apiKey?: string;
  /** The scripted assistant's rules and speech pace. */
  scenario?: EmulatorScenario;
  /** Faults active from the start: server-wide ones and defaults for every session. */
  faults?: EmulatorFaults;
  /**
   * Check every event sent and received against OpenAI's schema and record violations
   * (`violations()`, `GET /_emulator/sessions/:id/events`). Default false.
   */
  validate?: boolean;
  /**
   * How long a session may last, in seconds, as OpenAI caps one at 60 minutes (default 3600; 0 turns
   * the cap off). At the cap the emulator sends `error` `session_expired` and closes the connection
   * (WebSocket code 1001). The `maxSessionSeconds` fault overrides it at run time.
   */
  maxSessionSeconds?: number;
}

/** A running emulator. */
export interface RealtimeEmulator {
  /** Origin of the server, e.g. `http://127.0.0.1:8787`. */
  readonly url: string;
  /** OpenAI-style API base: `url + '/v1'` (use it as the SDK's `baseURL`). */
  readonly baseUrl: string;
  /** Where a WebRTC client POSTs its offer: `baseUrl + '/realtime/calls'`. */
  readonly callsUrl: string;
  /** WebSocket endpoint: `ws://…/v1/realtime`. */
  readonly websocketUrl: string;
  /** The server key (`Authorization: Bearer` for client secrets and server-side calls). */
  readonly apiKey: string;
  /** Stops the server and ends every session. */
  close(): Promise<void>;
  /** All sessions, open and recently closed. */
  sessions(): EmulatorSessionInfo[];
  /** A session's full log, by session id or call id; undefined when unknown. */
  events(sessionId: string): EmulatorSessionLog | undefined;
  /** Schema violations of one session, or of all sessions. */
  violations(sessionId?: string): EmulatorViolation[];
  /**
   * Replaces the faults of one session (by id or call id) or, with `'all'`, the server-wide faults
   * and those of every open session. Throws on an unknown session or an invalid fault.
   */
  setFaults(sessionIdOrAll: string, faults: EmulatorFaults): void;
  /** Mints a client secret without an HTTP round trip (same result as `POST /v1/realtime/client_secrets`). */
  createClientSecret(session?: Record<string, unknown>, ttlSeconds?: number): { value: string; expiresAt: number };
  /** Resolves with the next session created (or the first matching `predicate`). */
  nextSession(predicate?: (session: EmulatorSessionInfo) => boolean): Promise<EmulatorSessionInfo>;
}

/**
 * Starts a local server that speaks OpenAI's Realtime protocol over loopback (WebRTC via
 * @roamhq/wrtc and WebSocket), so demos and tests run without an API key or the internet.
 *
 * @example
 * const emulator = await startRealtimeEmulator({ validate: true });
 * // POST `${emulator.baseUrl}/realtime/client_secrets` with `Bearer ${emulator.apiKey}` → ek_…
 * await emulator.close();
 */
export async function startRealtimeEmulator(options: RealtimeEmulatorOptions = {}): Promise<RealtimeEmulator> {
  const host = options.host ?? '127.0.0.1';
  const initialFaults = options.faults ? checkedFaults(options.faults) : {};
  const validator = options.validate ? await loadValidator() : undefined;
  const core = new EmulatorCore({
    apiKey: options.apiKey ?? 'sk-emulator',
    scenario: options.scenario,
    faults: initialFaults,
    validator,
    loopbackOnly: isLoopback(host),
    ...(options.maxSessionSeconds !== undefined ? { maxSessionSeconds: options.maxSessionSeconds } : {}),
  });
  const peers = new WebSocketPeers();
  const server = createServer((req, res) => {
    void route(core, req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      sendError(res, error instanceof HttpError ? error : new HttpError(500, `Emulator error: ${String(error)}`, 'server_error'));
    });
  });
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    upgradeRealtime(core, peers, req, socket, head, requestUrl(req));
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${shownHost}:${port}`;
  let closing: Promise<void> | undefined;

  return {
    url,
    baseUrl: `${url}/v1`,
    callsUrl: `${url}/v1/realtime/calls`,
    websocketUrl: `ws://${shownHost}:${port}/v1/realtime`,
    apiKey: core.apiKey,
    close() {
      closing ??= new Promise<void>((resolve) => {
        core.closeAll('emulator closed');
        peers.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
    sessions: () => [...core.sessions.values()].map((s) => s.info()),
    events: (sessionId) => core.findSession(sessionId)?.log(),
    violations: (sessionId) => core.violations(sessionId),
    setFaults(sessionIdOrAll, faults) {
      if (!core.setFaults(sessionIdOrAll, checkedFaults(faults))) throw new Error(`No emulator session '${sessionIdOrAll}'.`);
    },
    createClientSecret(session, ttlSeconds = 600) {
      const ttl = core.faults.secretTtlSeconds ?? ttlSeconds;
      const base = defaultSession(undefined, Math.floor(Date.now() / 1000) + ttl);
      const result = session ? applySessionUpdate(base, { type: 'realtime', ...session }) : { session: base };
      if ('error' in result) throw new Error(result.error.message);
      const secret = core.secrets.issue(result.session, ttl);
      return { value: secret.value, expiresAt: secret.expiresAt };
    },
    nextSession(predicate = () => true) {
      return new Promise((resolve) => {
        const listener = (session: { info(): EmulatorSessionInfo }): void => {
          const info = session.info();
          if (!predicate(info)) return;
          core.sessionListeners.delete(listener);
          resolve(info);
        };
        core.sessionListeners.add(listener);
      });
    },
  };
}

async function route(core: EmulatorCore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  applyCors(req, res);
  if (req.method === 'OPTIONS') {
    res.writeHead(204);
    res.end();
    return;
  }
  const url = requestUrl(req);
  const path = url.pathname.replace(/\/+$/, '') || '/';
  if (path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`)) return handleControl(core, req, res, url);
  if (req.method === 'POST' && path === '/v1/realtime/client_secrets') return createClientSecret(core, req, res);
  if (req.method === 'POST' && path === '/v1/realtime/calls') return createCall(core, req, res, url);
  if (req.method === 'POST' && path === LIVE_SESSIONS_PATH) return createLiveSession(core, req, res);
  const hangup = /^\/v1\/realtime\/calls\/([^/]+)\/hangup$/.exec(path);
  if (req.method === 'POST' && hangup) return hangUp(core, req, res, decodeURIComponent(hangup[1]!));
  throw new HttpError(404, `Unknown endpoint ${req.method} ${url.pathname}.`, 'invalid_request_error', 'not_found');
}

function requestUrl(req: IncomingMessage): URL {
  try {
    return new URL(req.url ?? '/', 'http://emulator.invalid');
  } catch {
    return new URL('http://emulator.invalid/');
  }
}

function checkedFaults(faults: EmulatorFaults): EmulatorFaults {
  const parsed = parseFaults(faults);
  if ('error' in parsed) throw new Error(`Invalid emulator faults: ${parsed.error}`);
  return parsed.faults;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/** The schema validator is loaded only when asked for: it reads a 200 KB schema and compiles it. */
async function loadValidator(): Promise<EventValidator> {
  const { getConformanceValidator } = await import('../conformance/index.js');
  return getConformanceValidator();
}
