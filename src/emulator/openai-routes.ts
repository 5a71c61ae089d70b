import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { EmulatorCore } from './core.js';
import { bearerToken, HttpError, mediaType, parseJson, readBody, sendJson } from './http-util.js';
import { newId } from './ids.js';
import { parseMultipart } from './multipart.js';
import type { EmulatorSession } from './session.js';
import { applySessionUpdate, DEFAULT_MODEL, defaultSession } from './session-config.js';
import { isJsonObject, type SessionObject } from './types.js';
import { answerOffer } from './webrtc-peer.js';
import { websocketKey, type WebSocketPeers } from './websocket-peer.js';

const JSON_LIMIT = 1024 * 1024;
const SDP_LIMIT = 256 * 1024;
const DEFAULT_SECRET_TTL = 600;

/** `POST /v1/realtime/client_secrets`: mint an `ek_` secret carrying a session configuration. */
export async function createClientSecret(core: EmulatorCore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  refuseWhenDown(core);
  const token = bearerToken(req.headers.authorization);
  requireServerKey(core, token);
  const body = parseJson(await readBody(req, JSON_LIMIT)) ?? {};
  if (!isJsonObject(body)) throw new HttpError(400, 'The request body must be a JSON object.', 'invalid_request_error', 'invalid_type');
  for (const key of Object.keys(body)) {
    if (key !== 'expires_after' && key !== 'session') {
      throw new HttpError(400, `Unknown parameter: '${key}'.`, 'invalid_request_error', 'unknown_parameter', key);
    }
  }
  let ttl = DEFAULT_SECRET_TTL;
  if (body.expires_after !== undefined) {
    const expires = body.expires_after;
    if (!isJsonObject(expires)) throw new HttpError(400, "Invalid type for 'expires_after': expected an object.", 'invalid_request_error', 'invalid_type', 'expires_after');
    if (expires.anchor !== undefined && expires.anchor !== 'created_at') {
      throw new HttpError(400, "Invalid value for 'expires_after.anchor': expected 'created_at'.", 'invalid_request_error', 'invalid_value', 'expires_after.anchor');
    }
    if (expires.seconds !== undefined) {
      const seconds = expires.seconds;
      if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 10 || seconds > 7200) {
        throw new HttpError(400, "Invalid 'expires_after.seconds': expected an integer from 10 to 7200.", 'invalid_request_error', 'invalid_value', 'expires_after.seconds');
      }
      ttl = seconds;
    }
  }
  const override = core.faults.secretTtlSeconds;
  if (override !== undefined) ttl = override;
  const now = Math.floor(Date.now() / 1000);
  const session = configure(defaultSession(DEFAULT_MODEL, now + ttl), body.session);
  const secret = core.secrets.issue(session, ttl);
  sendJson(res, 200, { value: secret.value, expires_at: secret.expiresAt, session: secret.session });
}

/**
 * `POST /v1/realtime/calls`: answer an SDP offer. Raw `application/sdp` with an `ek_` secret takes
 * the session from the secret; multipart (`sdp` + `session`) with the server key configures it
 * inline. Answers 201 with the SDP and `Location: /v1/realtime/calls/<call_id>`.
 */
export async function createCall(core: EmulatorCore, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  refuseWhenDown(core);
  const refuse = core.faults.refuseSdp;
  if (refuse !== undefined) {
    throw new HttpError(refuse, `The emulator refused the call (refuseSdp fault, status ${refuse}).`, refuse >= 500 ? 'server_error' : 'invalid_request_error', 'emulator_fault');
  }
  const token = bearerToken(req.headers.authorization);
  const base = sessionForKey(core, token);
  const type = mediaType(req);
  let sdp: string;
  let config: SessionObject;
  if (type === 'multipart/form-data') {
    const fields = parseMultipart(await readBody(req, JSON_LIMIT + SDP_LIMIT), req.headers['content-type'] ?? '');
    if (!fields) throw new HttpError(400, 'Could not parse the multipart/form-data body.', 'invalid_request_error', 'invalid_multipart');
    const sdpField = fields.find((f) => f.name === 'sdp');
    if (!sdpField) throw new HttpError(400, "Missing required parameter: 'sdp'.", 'invalid_request_error', 'missing_required_parameter', 'sdp');
    sdp = sdpField.value;
    const sessionField = fields.find((f) => f.name === 'session');
    const patch = sessionField ? parseJson(Buffer.from(sessionField.value, 'utf8')) : undefined;
    config = configure(base, patch);
  } else if (type === 'application/sdp' || type === 'text/plain' || type === '') {
    sdp = (await readBody(req, SDP_LIMIT)).toString('utf8');
    config = base;
  } else {
    throw new HttpError(415, `Unsupported content type '${type}': send application/sdp or multipart/form-data.`, 'invalid_request_error', 'unsupported_content_type');
  }
  const model = url.searchParams.get('model');
  if (model && !token?.startsWith('ek_')) config = { ...config, model };
  if (!/^v=0\r?\n/.test(sdp)) throw new HttpError(400, 'Invalid SDP offer: it must start with "v=0".', 'invalid_request_error', 'invalid_offer', 'sdp');

  const callId = newId('rtc');
  const session = core.createSession('webrtc', config, callId);
  let answer: string;
  try {
    answer = await answerOffer(session, sdp, core.loopbackOnly);
  } catch (error) {
    const missing = (error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND';
    if (missing) throw new HttpError(501, 'WebRTC needs the optional dependency @roamhq/wrtc; install it or use the WebSocket endpoint.', 'server_error', 'webrtc_unavailable');
    throw new HttpError(400, `Invalid SDP offer: ${(error as Error).message}`, 'invalid_request_error', 'invalid_offer', 'sdp');
  }
  res.writeHead(201, {
    'Content-Type': 'application/sdp',
    Location: `/v1/realtime/calls/${callId}`,
    'Content-Length': Buffer.byteLength(answer),
  });
  res.end(answer);
}

/** `POST /v1/realtime/calls/{call_id}/hangup` (server key): end a call. */
export function hangUp(core: EmulatorCore, req: IncomingMessage, res: ServerResponse, callId: string): void {
  requireServerKey(core, bearerToken(req.headers.authorization));
  const session = core.findSession(callId);
  if (!session || session.transport !== 'webrtc' || 'api' in session) throw new HttpError(404, `Call '${callId}' not found.`, 'invalid_request_error', 'not_found');
  session.close('hangup');
  sendJson(res, 200, {});
}

/** WebSocket upgrade on `/v1/realtime`: authenticate, create the session, hand the socket over. */
export function upgradeRealtime(core: EmulatorCore, peers: WebSocketPeers, req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): void {
  try {
    if (url.pathname !== '/v1/realtime') throw new HttpError(404, `No WebSocket endpoint at ${url.pathname}.`, 'invalid_request_error', 'not_found');
    refuseWhenDown(core);
    const callId = url.searchParams.get('call_id');
    if (callId !== null) {
      peers.acceptSideband(req, socket, head, callForControl(core, websocketKey(req), callId));
      return;
    }
    const key = websocketKey(req);
    let config = sessionForKey(core, key);
    const model = url.searchParams.get('model');
    if (model && !key?.startsWith('ek_')) config = { ...config, model };
    peers.accept(req, socket, head, core.createSession('websocket', config));
  } catch (error) {
    const failure = error instanceof HttpError ? error : new HttpError(500, String(error), 'server_error');
    rejectUpgrade(socket, failure);
  }
}

/**
 * The live call a server-side control connection (`/v1/realtime?call_id=rtc_…`) joins. Only the
 * server key may join. OpenAI answers an unknown or ended call, and (reported since 2026-09) an
 * `ek_` client secret, with 404 `call_id_not_found`; so does the emulator.
 */
function callForControl(core: EmulatorCore, key: string | undefined, callId: string): EmulatorSession {
  const notFound = new HttpError(404, 'No session found for the provided call_id', 'invalid_request_error', 'call_id_not_found', 'call_id');
  if (key?.startsWith('ek_')) throw notFound;
  requireServerKey(core, key);
  const session = core.findSession(callId);
  if (!session || session.callId !== callId || session.state === 'closed') throw notFound;
  return session;
}

function rejectUpgrade(socket: Duplex, error: HttpError): void {
  const body = JSON.stringify({ error: { message: error.message, type: error.type, code: error.code, param: error.param } });
  socket.end(
    `HTTP/1.1 ${error.status} ${statusText(error.status)}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function statusText(status: number): string {
  return { 400: 'Bad Request', 401: 'Unauthorized', 404: 'Not Found', 503: 'Service Unavailable' }[status] ?? 'Error';
}

function refuseWhenDown(core: EmulatorCore): void {
  if (core.faults.down) throw new HttpError(503, 'The emulator is down (the "down" fault is on).', 'server_error', 'service_unavailable');
}

function requireServerKey(core: EmulatorCore, token: string | undefined): void {
  if (!token) {
    throw new HttpError(401, "You didn't provide an API key. Provide it in an Authorization header (Authorization: Bearer YOUR_KEY).", 'invalid_request_error', 'missing_api_key');
  }
  if (token !== core.apiKey) {
    throw new HttpError(401, `Incorrect API key provided: ${redact(token)}.`, 'invalid_request_error', 'invalid_api_key');
  }
}

/** The session a credential opens: a fresh default for the server key, the secret's for an `ek_`. */
function sessionForKey(core: EmulatorCore, token: string | undefined): SessionObject {
  if (token && token === core.apiKey) return defaultSession();
  if (token?.startsWith('ek_')) {
    const found = core.secrets.check(token, core.faults.secretTtlSeconds);
    if ('error' in found) {
      throw found.error === 'expired'
        ? new HttpError(401, 'The client secret has expired.', 'invalid_request_error', 'expired_client_secret')
        : new HttpError(401, `Invalid client secret provided: ${redact(token)}.`, 'invalid_request_error', 'invalid_client_secret');
    }
    // Each connection is its own session, even when a secret is used twice.
    return { ...structuredClone(found.secret.session), id: newId('sess') };
  }
  requireServerKey(core, token);
  throw new Error('unreachable');
}

function configure(base: SessionObject, patch: unknown): SessionObject {
  if (patch === undefined) return base;
  const result = applySessionUpdate(base, patch);
  if ('error' in result) throw new HttpError(400, result.error.message, 'invalid_request_error', result.error.code, result.error.param ?? null);
  return result.session;
}

function redact(key: string): string {
  return key.length <= 8 ? '***' : `${key.slice(0, 3)}***${key.slice(-4)}`;
}
