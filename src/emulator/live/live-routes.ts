/**
 * `POST /v1/live/sessions`: GPT-Live's WebRTC session creation. The application's server posts
 * `{ session, transport: { type: 'webrtc', sdp } }` with its API key (there are no client secrets for
 * Live); the answer is `{ session: { id }, transport: { type: 'webrtc', sdp } }`, and the session
 * starts on the data channel with `session.started`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LiveConformanceValidator } from '../../conformance/live.js';
import type { EmulatorCore } from '../core.js';
import { bearerToken, HttpError, mediaType, parseJson, readBody, sendJson } from '../http-util.js';
import { answerOffer } from '../webrtc-peer.js';
import { parseLiveCreate } from './live-config.js';
import { LiveSession } from './live-session.js';

/** Path of the endpoint. */
export const LIVE_SESSIONS_PATH = '/v1/live/sessions';

const BODY_LIMIT = 1024 * 1024;

let contract: Promise<LiveConformanceValidator> | undefined;

/** The Live contract checks every create body (closed config objects), so it loads on the first request. */
function liveContract(): Promise<LiveConformanceValidator> {
  contract ??= import('../../conformance/live.js').then((module) => module.getLiveConformanceValidator());
  return contract;
}

/** Checks Live traffic when the emulator validates: events both ways, the nested Responses stream included. */
async function liveEventValidator(core: EmulatorCore) {
  if (!core.validator) return undefined;
  const validator = await liveContract();
  return { validateServerEvent: validator.validateServerEvent, validateClientEvent: validator.validateClientEvent };
}

export async function createLiveSession(core: EmulatorCore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (core.faults.down) throw new HttpError(503, 'The emulator is down (the "down" fault is on).', 'server_error', 'service_unavailable');
  const refuse = core.faults.refuseSdp;
  if (refuse !== undefined) {
    throw new HttpError(refuse, `The emulator refused the session (refuseSdp fault, status ${refuse}).`, refuse >= 500 ? 'server_error' : 'invalid_request_error', 'emulator_fault');
  }
  const token = bearerToken(req.headers.authorization);
  if (!token) throw new HttpError(401, "You didn't provide an API key. Provide it in an Authorization header (Authorization: Bearer YOUR_KEY).", 'invalid_request_error', 'missing_api_key');
  if (token !== core.apiKey) {
    // Live has no ephemeral keys: a client secret is refused like any other wrong key.
    throw new HttpError(401, 'Incorrect API key provided (GPT-Live sessions are created with the project API key).', 'invalid_request_error', 'invalid_api_key');
  }
  const type = mediaType(req);
  if (type !== 'application/json') throw new HttpError(415, `Unsupported content type '${type}': send application/json.`, 'invalid_request_error', 'unsupported_content_type');
  const body = parseJson(await readBody(req, BODY_LIMIT));
  const { resource, offer } = parseLiveCreate(body, await liveContract());
  const session = new LiveSession({ resource, scenario: core.scenario, faults: core.faults, validator: await liveEventValidator(core) });
  core.addSession(session);
  let answer: string;
  try {
    answer = await answerOffer(session, offer, core.loopbackOnly);
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') {
      throw new HttpError(501, 'WebRTC needs the optional dependency @roamhq/wrtc.', 'server_error', 'webrtc_unavailable');
    }
    throw new HttpError(400, `Invalid SDP offer: ${(error as Error).message}`, 'invalid_request_error', 'invalid_offer', 'transport.sdp');
  }
  sendJson(res, 200, { session: { id: session.id }, transport: { type: 'webrtc', sdp: answer } });
}
