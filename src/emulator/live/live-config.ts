/**
 * The configuration of an emulated GPT-Live session: the checked `POST /v1/live/sessions` body, the
 * resolved session resource `session.started` reports, and the questions the session asks of it
 * (who handles delegations, which function tools the Responses backend has, which client events the
 * frontend data channel may send).
 */
import type { LiveConformanceValidator } from '../../conformance/live.js';
import { HttpError } from '../http-util.js';
import { newId } from '../ids.js';
import { isJsonObject, type JsonObject } from '../types.js';

/** The session resource as `session.started` carries it (`SessionResource`). */
export interface LiveSessionResource extends JsonObject {
  id: string;
  expires_at: number;
  model: string;
  status: 'active';
}

/** A checked create request: the resource to run and the browser's SDP offer. */
export interface LiveCreate {
  resource: LiveSessionResource;
  offer: string;
}

/** Live sessions last at most this long (the resource's `expires_at`). */
const SESSION_SECONDS = 60 * 60;
/** The API's limit on startup history. */
export const MAX_INPUT_ITEMS = 128;

/**
 * Checks the create body against the Live contract (closed objects: an unknown field is refused, as
 * the API's strict config does) and a few rules the types cannot say; throws an OpenAI-shaped
 * {@link HttpError} naming the parameter.
 */
export function parseLiveCreate(body: unknown, validator: LiveConformanceValidator): LiveCreate {
  if (!isJsonObject(body)) throw new HttpError(400, 'The request body must be a JSON object.', 'invalid_request_error', 'invalid_type');
  const checked = validator.validateCreateRequest(body);
  if (!checked.valid) {
    const first = checked.errors[0] ?? 'invalid';
    const param = first.split(' ')[0]!.replace(/^\//, '').replaceAll('/', '.') || undefined;
    const unknown = /must NOT have additional properties/.test(first);
    throw new HttpError(400, `Invalid request: ${checked.errors.slice(0, 3).join('; ')}`, 'invalid_request_error', unknown ? 'unknown_parameter' : 'invalid_value', param ?? null);
  }
  const session = body.session as JsonObject;
  const transport = body.transport as { sdp: string };
  if (!/^v=0\r?\n/.test(transport.sdp)) {
    throw new HttpError(400, 'Invalid SDP offer: it must start with "v=0".', 'invalid_request_error', 'invalid_offer', 'transport.sdp');
  }
  const model = session.model as string;
  if (!/^gpt-live/.test(model)) {
    throw new HttpError(400, `The model '${model}' is not a Live model; use gpt-live-1.`, 'invalid_request_error', 'invalid_value', 'session.model');
  }
  const input = Array.isArray(session.input) ? session.input : [];
  if (input.length > MAX_INPUT_ITEMS) {
    throw new HttpError(400, `session.input holds at most ${MAX_INPUT_ITEMS} messages (got ${input.length}).`, 'invalid_request_error', 'invalid_value', 'session.input');
  }
  const permissions = allowedClientEventsOf(session);
  if (Array.isArray(permissions)) {
    const unknown = permissions.find((type) => !validator.clientEventTypes.has(type));
    if (unknown !== undefined) {
      throw new HttpError(400, `Unknown client event type '${unknown}' in allowed_client_events.`, 'invalid_request_error', 'invalid_value', 'session.client.data_channel.allowed_client_events');
    }
  }
  return { resource: resolveResource(session), offer: transport.sdp };
}

/** The resolved session: defaults filled, secrets (MCP authorization) left out, as the API reports it. */
function resolveResource(session: JsonObject): LiveSessionResource {
  const resource: LiveSessionResource = {
    id: newId('live'),
    expires_at: Math.floor(Date.now() / 1000) + SESSION_SECONDS,
    model: session.model as string,
    status: 'active',
    audio: { output: { voice: voiceOf(session) } },
    delegation: resolveDelegation(session.delegation),
    store: session.store === true,
  };
  for (const key of ['client', 'input', 'instructions', 'safety_identifier', 'triggers'] as const) {
    if (session[key] !== undefined) resource[key] = structuredClone(session[key]);
  }
  return resource;
}

function voiceOf(session: JsonObject): unknown {
  const audio = isJsonObject(session.audio) ? session.audio : {};
  const output = isJsonObject(audio.output) ? audio.output : {};
  return output.voice ?? 'marin';
}

function resolveDelegation(delegation: unknown): JsonObject {
  if (!isJsonObject(delegation)) return { type: 'client', acknowledgement_delay_ms: 0 };
  const copy = structuredClone(delegation);
  if (copy.acknowledgement_delay_ms === undefined) copy.acknowledgement_delay_ms = copy.type === 'decisions' ? 400 : 0;
  const responses = isJsonObject(copy.responses) ? copy.responses : undefined;
  if (responses && Array.isArray(responses.tools)) {
    // "This value is omitted from returned Live session data."
    for (const tool of responses.tools) if (isJsonObject(tool)) delete tool.authorization;
  }
  return copy;
}

/** Who handles delegations: `client` (the page), `responses` or `decisions`. */
export function delegationType(resource: LiveSessionResource): 'client' | 'responses' | 'decisions' {
  const type = isJsonObject(resource.delegation) ? resource.delegation.type : undefined;
  return type === 'responses' || type === 'decisions' ? type : 'client';
}

/** The Responses backend's settings (`delegation.responses`), when it has one. */
export function responsesConfig(resource: LiveSessionResource): JsonObject | undefined {
  const delegation = isJsonObject(resource.delegation) ? resource.delegation : undefined;
  return delegation?.type === 'responses' && isJsonObject(delegation.responses) ? delegation.responses : undefined;
}

/** Names of the function tools the Responses backend may call. */
export function backendFunctionNames(resource: LiveSessionResource): string[] {
  const tools = responsesConfig(resource)?.tools;
  return Array.isArray(tools) ? tools.flatMap((tool) => (isJsonObject(tool) && tool.type === 'function' && typeof tool.name === 'string' ? [tool.name] : [])) : [];
}

function allowedClientEventsOf(session: JsonObject): 'all' | string[] | undefined {
  const client = isJsonObject(session.client) ? session.client : undefined;
  const channel = client && isJsonObject(client.data_channel) ? client.data_channel : undefined;
  const allowed = channel?.allowed_client_events;
  return allowed === 'all' || Array.isArray(allowed) ? (allowed as 'all' | string[]) : undefined;
}

/** Whether the frontend data channel may send `type` (omitted permissions allow everything). */
export function clientEventAllowed(resource: LiveSessionResource, type: string): boolean {
  const allowed = allowedClientEventsOf(resource);
  return allowed === undefined || allowed === 'all' || allowed.includes(type);
}

/** Whether the frontend data channel receives server event `type` (and, for `response.event`, the nested type). */
export function serverEventAllowed(resource: LiveSessionResource, type: string, nestedType?: string): boolean {
  const client = isJsonObject(resource.client) ? resource.client : undefined;
  const channel = client && isJsonObject(client.data_channel) ? client.data_channel : undefined;
  const allowed = channel?.allowed_server_events;
  if (allowed === undefined || allowed === 'all' || !Array.isArray(allowed)) return true;
  // Errors about the frontend's own commands always reach it: otherwise a refusal would be silent.
  if (type === 'error') return true;
  return allowed.some((selector) => {
    if (!isJsonObject(selector) || selector.type !== type) return false;
    return type !== 'response.event' || selector.response_event === nestedType;
  });
}

/** One line for the `info` event that tells the frontend its permissions. */
export function describePermissions(resource: LiveSessionResource): string | undefined {
  const allowed = allowedClientEventsOf(resource);
  if (allowed === undefined) return undefined;
  const list = allowed === 'all' ? 'all client events' : allowed.length ? allowed.join(', ') : 'no client events';
  return `This data channel may send: ${list}.`;
}
