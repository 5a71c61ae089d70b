import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorCore } from './core.js';
import { parseFaults } from './faults.js';
import { HttpError, parseJson, readBody, sendJson } from './http-util.js';
import { handleLiveControl } from './live/live-control.js';
import { isJsonObject } from './types.js';

/** Path prefix of the control endpoints tests use to inspect and steer the emulator. */
export const CONTROL_PREFIX = '/_emulator';

/**
 * The control endpoints (no authentication: the emulator is a loopback test server):
 * - `GET  /_emulator/sessions` → `{ sessions }`
 * - `GET  /_emulator/sessions/:id` → one session's summary
 * - `GET  /_emulator/sessions/:id/events` → its log: events both ways, items, config, violations
 * - `POST /_emulator/sessions/:id/close` → drops it
 * - `POST /_emulator/sessions/:id/inject` with `{ frames: string[] }` (≤ 5000) → sends them raw, as
 *   injected (fault suites: mutated, malformed, unknown events) → `{ sent }`
 * - `GET  /_emulator/violations` → `{ violations }` across sessions
 * - `GET  /_emulator/faults` → server-wide faults
 * - `POST /_emulator/faults` with `{ sessionId?, faults }` → replaces faults (all when no session)
 * - `POST /_emulator/live/:id/delegate|say` → steers a GPT-Live session (live/live-control.ts)
 * `:id` is a session id or a WebRTC call id.
 */
export async function handleControl(core: EmulatorCore, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const parts = url.pathname.slice(CONTROL_PREFIX.length).split('/').filter(Boolean).map(decodeURIComponent);
  const method = req.method ?? 'GET';
  const [head, id, action] = parts;

  if (method === 'GET' && head === 'health' && parts.length === 1) return sendJson(res, 200, { ok: true });
  if (head === 'live') return handleLiveControl(core, req, res, parts.slice(1));
  if (method === 'GET' && head === 'sessions' && parts.length === 1) {
    return sendJson(res, 200, { sessions: [...core.sessions.values()].map((s) => s.info()) });
  }
  if (head === 'sessions' && id !== undefined && parts.length <= 3) {
    const session = core.findSession(id);
    if (!session) throw new HttpError(404, `Session '${id}' not found.`, 'invalid_request_error', 'not_found');
    if (method === 'GET' && action === undefined) return sendJson(res, 200, session.info());
    if (method === 'GET' && action === 'events') return sendJson(res, 200, session.log());
    if (method === 'POST' && action === 'close') {
      session.drop('closed through the control endpoint');
      return sendJson(res, 200, { ok: true });
    }
    if (method === 'POST' && action === 'inject') {
      const body = parseJson(await readBody(req, 8 * 1024 * 1024));
      const frames = isJsonObject(body) ? body.frames : undefined;
      if (!Array.isArray(frames) || frames.length > 5000 || frames.some((frame) => typeof frame !== 'string')) {
        throw new HttpError(400, 'Expected { frames: string[] } with at most 5000 frames.', 'invalid_request_error', 'invalid_type', 'frames');
      }
      return sendJson(res, 200, { sent: session.inject(frames as string[]) });
    }
  }
  if (method === 'GET' && head === 'violations' && parts.length === 1) {
    return sendJson(res, 200, { violations: core.violations(url.searchParams.get('sessionId') ?? undefined) });
  }
  if (head === 'faults' && parts.length === 1) {
    if (method === 'GET') return sendJson(res, 200, { faults: core.faults });
    if (method === 'POST') {
      const body = parseJson(await readBody(req, 64 * 1024));
      if (!isJsonObject(body)) throw new HttpError(400, 'Expected { sessionId?, faults }.', 'invalid_request_error', 'invalid_type');
      const parsed = parseFaults(body.faults ?? {});
      if ('error' in parsed) throw new HttpError(400, parsed.error, 'invalid_request_error', 'invalid_value', 'faults');
      const target = body.sessionId === undefined || body.sessionId === null ? 'all' : body.sessionId;
      if (typeof target !== 'string') throw new HttpError(400, 'sessionId must be a string.', 'invalid_request_error', 'invalid_type', 'sessionId');
      if (!core.setFaults(target, parsed.faults)) throw new HttpError(404, `Session '${target}' not found.`, 'invalid_request_error', 'not_found');
      return sendJson(res, 200, { ok: true, sessionId: target, faults: parsed.faults });
    }
  }
  throw new HttpError(404, `No control endpoint ${method} ${url.pathname}.`, 'invalid_request_error', 'not_found');
}
