/**
 * Client events on a Live session's data channel: each is checked against the session's
 * data-channel permissions first (a forbidden one is refused with an `error` and has no effect),
 * then handled as GPT-Live does. Never throws for bad input: the client gets an `error` event.
 */
import { decodeAudio } from '../pcm.js';
import { isJsonObject, type JsonObject } from '../types.js';
import { clientEventAllowed } from './live-config.js';
import type { LiveSession } from './live-session.js';

/** The client events GPT-Live defines (`ClientEvent` in the openai package's resources/live). */
export const LIVE_CLIENT_EVENT_TYPES = [
  'session.start',
  'session.update',
  'session.input_audio.append',
  'session.input_audio.mute',
  'session.input_audio.unmute',
  'session.output_audio.fixture.play',
  'session.instructions.append',
  'session.thinking.append',
  'session.commentary.append',
  'decision.create',
  'decision.item.create',
  'decision.item.delete',
  'response.item.create',
  'response.create',
  'session.close',
] as const;

/** The API's limit on appended context is 500 tokens; the emulator counts about 4 characters a token. */
const MAX_APPEND_CHARS = 2000;
/** A fixture is at most 30 s of PCM16 at 24 kHz. */
const MAX_FIXTURE_SAMPLES = 30 * 24000;

export function handleLiveClientEvent(session: LiveSession, event: unknown): void {
  if (!isJsonObject(event)) return session.error('invalid_request_error', 'Client event must be a JSON object.');
  const eventId = typeof event.event_id === 'string' ? event.event_id : undefined;
  const fail = (code: string, message: string, param?: string): void => session.error(code, message, { eventId, ...(param ? { param } : {}) });
  const type = event.type;
  if (typeof type !== 'string') return fail('missing_required_parameter', "Missing required parameter: 'type'.", 'type');
  if (!(LIVE_CLIENT_EVENT_TYPES as readonly string[]).includes(type)) {
    return fail('invalid_value', `Invalid value: '${type}'. Supported values are: ${LIVE_CLIENT_EVENT_TYPES.map((t) => `'${t}'`).join(', ')}.`, 'type');
  }
  if (!clientEventAllowed(session.resource, type)) {
    return fail('client_event_not_allowed', `The client event '${type}' is not allowed on this data channel (session.client.data_channel.allowed_client_events).`, 'type');
  }
  const ack = (ackType: string, extra: JsonObject = {}): void => session.emit({ type: ackType, ...extra, ...(eventId ? { client_event_id: eventId } : {}) });

  switch (type) {
    case 'session.start':
      return fail('session_already_started', 'WebRTC session creation already started this session; do not send session.start on its data channel.');
    case 'session.input_audio.append':
      return fail('invalid_request_error', 'session.input_audio.append is accepted on a primary WebSocket only; WebRTC sends audio on its track.');
    case 'session.update':
      return sessionUpdate(session, event.session, eventId, fail);
    case 'session.input_audio.mute':
      session.input.muted = true;
      return ack('session.input_audio.muted');
    case 'session.input_audio.unmute':
      session.input.muted = false;
      return ack('session.input_audio.unmuted');
    case 'session.output_audio.fixture.play':
      return playFixture(session, event, ack, fail);
    case 'session.instructions.append':
    case 'session.thinking.append':
    case 'session.commentary.append': {
      const checked = checkAppend(session, event, fail);
      if (!checked) return;
      const at = session.timelineMs();
      ack(type.replace('.append', '.appended'), { start_ms: at, end_ms: at });
      if (type === 'session.commentary.append') session.delegations.commentary(checked.content, checked.delegationId);
      return;
    }
    case 'decision.create':
    case 'decision.item.create':
    case 'decision.item.delete':
      return fail('unsupported', 'The emulator does not emulate Decisions.');
    case 'response.item.create': {
      if (session.delegationType !== 'responses') return fail('invalid_request_error', 'response.item.create requires Responses delegation.');
      if (!isJsonObject(event.item)) return fail('missing_required_parameter', "Missing required parameter: 'item'.", 'item');
      session.backend.addItem(event.item);
      return;
    }
    case 'response.create': {
      if (session.delegationType !== 'responses') return fail('invalid_request_error', 'response.create requires Responses delegation.');
      if (session.backend.busy) return fail('response_already_in_progress', 'The Responses backend is already running a response; wait for it to complete.');
      void session.delegations.clientResponse();
      return;
    }
    case 'session.close':
      return session.closeRequested();
  }
}

function checkAppend(session: LiveSession, event: JsonObject, fail: (code: string, message: string, param?: string) => void): { content: string; delegationId: string | null } | undefined {
  if (typeof event.content !== 'string' || event.content.trim() === '') {
    fail('invalid_value', "'content' must be a non-empty string.", 'content');
    return undefined;
  }
  if (event.content.length > MAX_APPEND_CHARS) {
    fail('invalid_value', `'content' is limited to 500 tokens (the emulator allows ${MAX_APPEND_CHARS} characters).`, 'content');
    return undefined;
  }
  if (!('delegation_id' in event)) {
    fail('missing_required_parameter', "Missing required parameter: 'delegation_id' (send null for general context).", 'delegation_id');
    return undefined;
  }
  const delegationId = event.delegation_id;
  if (delegationId !== null) {
    if (typeof delegationId !== 'string') {
      fail('invalid_type', "'delegation_id' must be a string or null.", 'delegation_id');
      return undefined;
    }
    if (session.delegationType === 'responses') {
      fail('invalid_value', 'Non-null delegation ids are not accepted with Responses delegation.', 'delegation_id');
      return undefined;
    }
    if (!session.delegations.known.has(delegationId)) {
      fail('delegation_not_found', `Delegation '${delegationId}' not found in this session.`, 'delegation_id');
      return undefined;
    }
  }
  return { content: event.content, delegationId: delegationId as string | null };
}

function sessionUpdate(session: LiveSession, patch: unknown, eventId: string | undefined, fail: (code: string, message: string, param?: string) => void): void {
  if (!isJsonObject(patch)) return fail('invalid_type', "'session' must be an object.", 'session');
  for (const key of Object.keys(patch)) {
    if (key !== 'delegation' && key !== 'triggers') {
      return fail('invalid_value', `session.${key} cannot change after startup (only delegation and triggers can).`, `session.${key}`);
    }
  }
  const next = structuredClone(session.resource);
  if (patch.delegation !== undefined) {
    const current = isJsonObject(next.delegation) ? next.delegation : { type: 'client' };
    const update = patch.delegation;
    if (!isJsonObject(update) || update.type !== current.type) {
      return fail('invalid_value', `The delegation type cannot change (this session's is '${String(current.type)}').`, 'session.delegation.type');
    }
    const merged: JsonObject = { ...current, ...update };
    if (isJsonObject(current.responses) && isJsonObject(update.responses)) merged.responses = { ...current.responses, ...update.responses };
    next.delegation = merged;
  }
  if (patch.triggers !== undefined) next.triggers = structuredClone(patch.triggers);
  session.resource = next;
  const stall = session.faults.stallSessionUpdated;
  const send = (): void => session.emit({ type: 'session.updated', session: session.resource, ...(eventId ? { client_event_id: eventId } : {}) });
  if (stall === true) return;
  if (typeof stall === 'number' && stall > 0) setTimeout(send, stall);
  else send();
}

function playFixture(session: LiveSession, event: JsonObject, ack: (type: string) => void, fail: (code: string, message: string, param?: string) => void): void {
  if (typeof event.audio !== 'string' || event.audio === '') return fail('missing_required_parameter', "Missing required parameter: 'audio'.", 'audio');
  const samples = decodeAudio(event.audio, { type: 'audio/pcm', rate: 24000 });
  if (samples.length === 0 || samples.length > MAX_FIXTURE_SAMPLES) return fail('invalid_value', "'audio' must hold 1 sample to 30 s of PCM16 at 24 kHz.", 'audio');
  session.voice.interrupt();
  ack('session.output_audio.fixture.playing');
  const track = session.trackAudio;
  if (track) track.enqueue('fixture', resample(samples, 24000, track.sampleRate));
  const ms = (samples.length / 24000) * 1000;
  setTimeout(() => ack('session.output_audio.fixture.played'), ms).unref();
}

/** Nearest-sample resampling: enough for a fixture the emulator only has to make audible. */
function resample(samples: Int16Array, from: number, to: number): Int16Array {
  if (from === to) return samples;
  const out = new Int16Array(Math.round((samples.length * to) / from));
  for (let i = 0; i < out.length; i += 1) out[i] = samples[Math.min(samples.length - 1, Math.floor((i * from) / to))]!;
  return out;
}
