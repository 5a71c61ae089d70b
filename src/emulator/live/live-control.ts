/**
 * Control endpoints for GPT-Live sessions (tests steer the emulated model with them; no auth, as the
 * rest of /_emulator):
 * - `POST /_emulator/live/:id/delegate` with `{ target?: 'client' | 'responses', text? }`: the model
 *   delegates now (to the client by default: the page must answer with commentary naming the
 *   delegation; to the Responses backend with `text` as the task) → `{ delegationId }`
 * - `POST /_emulator/live/:id/say` with `{ text }`: the model says `text` (after what it is saying).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorCore } from '../core.js';
import { HttpError, parseJson, readBody, sendJson } from '../http-util.js';
import { isJsonObject } from '../types.js';
import { LiveSession } from './live-session.js';

export async function handleLiveControl(core: EmulatorCore, req: IncomingMessage, res: ServerResponse, parts: string[]): Promise<void> {
  const [id, action] = parts;
  const session = id === undefined ? undefined : core.findSession(id);
  if (!(session instanceof LiveSession)) throw new HttpError(404, `Live session '${String(id)}' not found.`, 'invalid_request_error', 'not_found');
  if (req.method !== 'POST' || parts.length !== 2) throw new HttpError(404, `No control endpoint ${req.method} /_emulator/live/${parts.join('/')}.`, 'invalid_request_error', 'not_found');
  if (session.state !== 'open') throw new HttpError(409, `Live session '${session.id}' is ${session.state}.`, 'invalid_request_error', 'session_not_open');
  const body = parseJson(await readBody(req, 64 * 1024)) ?? {};
  if (!isJsonObject(body)) throw new HttpError(400, 'Expected a JSON object.', 'invalid_request_error', 'invalid_type');
  const text = typeof body.text === 'string' ? body.text : '';
  if (action === 'say') {
    if (!text) throw new HttpError(400, 'Expected { text }.', 'invalid_request_error', 'invalid_value', 'text');
    void session.voice.say(text);
    return sendJson(res, 200, { ok: true });
  }
  if (action === 'delegate') {
    const target = body.target ?? 'client';
    if (target === 'client') {
      if (session.delegationType !== 'client') throw new HttpError(409, 'This session delegates to Responses, not to the client.', 'invalid_request_error', 'invalid_value', 'target');
      return sendJson(res, 200, { delegationId: session.delegations.toClient() });
    }
    if (target === 'responses') {
      if (session.delegationType !== 'responses') throw new HttpError(409, 'This session has no Responses delegation.', 'invalid_request_error', 'invalid_value', 'target');
      const before = new Set(session.delegations.known);
      void session.delegations.toBackend(text || 'Please help.');
      const delegationId = [...session.delegations.known].find((known) => !before.has(known));
      return sendJson(res, 200, { delegationId });
    }
    throw new HttpError(400, "target must be 'client' or 'responses'.", 'invalid_request_error', 'invalid_value', 'target');
  }
  throw new HttpError(404, `No control endpoint POST /_emulator/live/${parts.join('/')}.`, 'invalid_request_error', 'not_found');
}
