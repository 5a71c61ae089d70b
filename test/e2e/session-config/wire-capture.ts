// Browser helpers for the transports' wire tests (src/transports/openai-*/session-wire.test.ts): adapter
// deps that bootstrap straight from the emulator (no route, so no route policy between the config and
// the wire), a recorder of what the page sends on data channels and sockets, and the field-by-field
// check of a `session.update` against a wire case.
import { expect } from '@open-wc/testing';
// @ts-expect-error virtual module served by test/wtr-emulator-plugin.mjs
import { apiKey, baseUrl, callsUrl, emulatorUrl, websocketUrl } from '/__charivo/emulator.js';
import { AudioContextOwner } from '../../../src/transports/audio/audio-context-owner.js';
import type { AdapterDeps } from '../../../src/transports/remote/adapters.js';
import type { TransportConnectRequest } from '../../../src/transports/types.js';
import type { RealtimeSessionConfig } from '../../../src/session/session-config.js';
import { expectedFields, jsonFields, wireFields, type ExpectedWire, type WireCase } from './wire-cases.js';

/** What the bootstraps below tell the adapters: the server's model and default voice. */
export const BOOTSTRAP_DEFAULTS = { model: 'gpt-realtime', voice: 'marin' };

async function post(url: string, body: BodyInit, headers: Record<string, string>): Promise<Response> {
  const response = await fetch(url, { method: 'POST', body, headers });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return response;
}

/** A fresh `ek_` secret whose session says nothing beyond the model: what reaches the emulator is what the adapter sends. */
async function mintSecret(): Promise<string> {
  const response = await post(`${baseUrl}/realtime/client_secrets`, JSON.stringify({ session: { type: 'realtime', model: BOOTSTRAP_DEFAULTS.model } }), {
    Authorization: `Bearer ${apiKey}`,
    'Content-Type': 'application/json',
  });
  return ((await response.json()) as { value: string }).value;
}

export type AdapterName = 'openai-agents-webrtc' | 'openai-webrtc' | 'openai-websocket';

/**
 * Adapter deps whose bootstrap comes straight from the emulator, shaped as a route without a policy
 * would answer for `adapter`: its session is `requested` with the server's model and default voice
 * (adapters open the bootstrap's session, never the page's request).
 */
export function emulatorDeps(adapter: AdapterName, audio = new AudioContextOwner(), requested: RealtimeSessionConfig = {}): AdapterDeps {
  const session = { ...requested, model: BOOTSTRAP_DEFAULTS.model, voice: requested.voice ?? BOOTSTRAP_DEFAULTS.voice };
  return {
    audio,
    async bootstrap(extra) {
      const secret = await mintSecret();
      const clientSecret = { value: secret, expiresAt: Math.floor(Date.now() / 1000) + 60 };
      if (adapter === 'openai-agents-webrtc') return { adapter, transport: 'webrtc', clientSecret, callsUrl, session };
      if (adapter === 'openai-websocket') return { adapter, transport: 'websocket', clientSecret, url: `${websocketUrl}?model=${session.model}`, session };
      if (!extra?.sdp) throw new Error('openai-webrtc bootstraps with an offer');
      const response = await post(callsUrl, extra.sdp, { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/sdp' });
      const callId = response.headers.get('Location')?.split('/').pop();
      return { adapter, transport: 'webrtc', answerSdp: await response.text(), callId, session };
    },
  };
}

export function connectRequest(session: RealtimeSessionConfig): TransportConnectRequest {
  return { session, reason: 'start', history: [], sessionId: `wire-${Math.random().toString(36).slice(2)}` };
}

/** Records every JSON frame sent through `proto.send` (a data channel's or a socket's) until `restore()`. */
export function recordSends(proto: { send(data: never): void }): { sent: Array<Record<string, any>>; restore(): void } {
  const target = proto as unknown as { send(data: unknown): void };
  const original = target.send;
  const sent: Array<Record<string, any>> = [];
  target.send = function (this: unknown, data: unknown) {
    if (typeof data === 'string') {
      try {
        sent.push(JSON.parse(data) as Record<string, any>);
      } catch {
        // Not JSON: not a realtime event.
      }
    }
    return original.call(this, data);
  };
  return { sent, restore: () => void (target.send = original) };
}

/** The full `session.update` events in `sent` (not the agents SDK's tracing-only one), oldest first. */
export function sessionUpdates(sent: ReadonlyArray<Record<string, any>>): Array<Record<string, any>> {
  return sent.filter((event) => event.type === 'session.update' && event.session?.audio);
}

/**
 * Checks one sent `session.update` field by field against the wire case. `sdkFills`: the agents SDK
 * built it (its first update), so the fields the config leaves out may carry the SDK's defaults.
 */
export function expectWire(event: Record<string, any>, wireCase: WireCase, sdkFills = false): void {
  expect(event.type).to.equal('session.update');
  // Ours carry an event id (errors name it); the agents SDK sends its first update without one.
  if (!sdkFills) expect(event.event_id, 'the event has an id').to.be.a('string');
  const session = event.session;
  const actual = wireFields(session);
  const expected = jsonFields(expectedFields(wireCase, BOOTSTRAP_DEFAULTS.voice, sdkFills));
  for (const key of Object.keys(actual) as Array<keyof ExpectedWire>) {
    expect(actual[key], `${wireCase.name}: ${key}`).to.deep.equal(expected[key]);
  }
  expect(session.type).to.equal('realtime');
  expect(session.model, 'the model the server created the session with').to.equal(BOOTSTRAP_DEFAULTS.model);
  expect(session.audio.input.format).to.deep.equal({ type: 'audio/pcm', rate: 24000 });
  expect(session.audio.output.format).to.deep.equal({ type: 'audio/pcm', rate: 24000 });
  const input = session.audio.input as Record<string, unknown>;
  for (const [key, field] of [['transcription', 'inputTranscription'], ['noise_reduction', 'noiseReduction'], ['turn_detection', 'turnDetection']] as const) {
    expect(key in input, `${wireCase.name}: audio.input.${key} sent only when ${field} is set`).to.equal(wireCase.config[field] !== undefined);
  }
  for (const [key, value] of Object.entries(wireCase.extra ?? {})) expect(session[key], `${wireCase.name}: providerOptions.${key}`).to.deep.equal(value);
}

/** The emulator's log of a session (by session or call id). */
export async function emulatorLog(id: string): Promise<any> {
  const response = await fetch(`${emulatorUrl}/_emulator/sessions/${encodeURIComponent(id)}/events`);
  if (!response.ok) throw new Error(`emulator log ${id}: ${response.status}`);
  return response.json();
}

/** The id of the newest emulator session over `transport` (tests run one at a time in this page). */
export async function newestSessionId(transport: 'webrtc' | 'websocket'): Promise<string> {
  const response = await fetch(`${emulatorUrl}/_emulator/sessions`);
  const { sessions } = (await response.json()) as { sessions: Array<{ id: string; transport: string; createdAt: number }> };
  const newest = sessions.filter((s) => s.transport === transport).sort((a, b) => b.createdAt - a.createdAt)[0];
  if (!newest) throw new Error(`the emulator has no ${transport} session`);
  return newest.id;
}

/** The emulator's applied session and its schema violations, checked: none either way. */
export async function expectNoViolations(id: string): Promise<any> {
  const log = await emulatorLog(id);
  expect(log.violations, JSON.stringify(log.violations.slice(0, 3))).to.deep.equal([]);
  const errors = log.events.filter((e: any) => e.direction === 'server' && e.type === 'error').map((e: any) => e.event.error);
  expect(errors, 'the emulator answered no event with an error').to.deep.equal([]);
  return log;
}
