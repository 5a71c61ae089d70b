/**
 * The OpenAI provider's GPT-Live path (`openai-live-webrtc`): maps the checked session to a Live
 * session config (`MediaSessionConfig` of the `openai` package's resources/live), with the server's
 * delegation and the data-channel permissions the page gets, and posts the browser's offer to
 * `POST {base}/live/sessions` with the server's key.
 * @packageDocumentation
 */
import { z } from 'zod';
import type { LiveBootstrapInfo, OpenAILiveWebRTCBootstrap } from './bootstrap.js';
import { PolicyViolationError, UpstreamError } from './errors.js';
import { DEFAULT_MAX_JSON_DEPTH, findJsonShapeFault } from './json-limits.js';
import { toLiveInput, type LiveHistoryTurn } from './live-history.js';
import { readBody, send, type UpstreamContext } from './openai-http.js';
import type { RealtimeSessionConfig } from '../session/session-config.js';

/** GPT-Live's model, used when the session names none. */
export const OPENAI_LIVE_DEFAULT_MODEL = 'gpt-live-1';

/**
 * Who handles the tasks the Live model delegates, in the Live API's own shape (`session.delegation`).
 * The server owns it: the page cannot change it. With `responses`, the page's function tools are added
 * to `responses.tools` and run in the page.
 */
export type OpenAILiveDelegation =
  | { type: 'client'; acknowledgement_delay_ms?: number }
  | { type: 'responses'; responses: { model: string; [setting: string]: unknown }; acknowledgement_delay_ms?: number };

/** GPT-Live settings of {@link createOpenAIRealtimeProvider}. */
export interface OpenAILiveOptions {
  /** Model when the session names none (default `gpt-live-1`). */
  defaultModel?: string;
  /** Voice when the session names none (default `marin`). */
  defaultVoice?: string;
  /** Delegation of every Live session (default `{ type: 'client' }`: the page answers delegations). */
  delegation?: OpenAILiveDelegation;
  /**
   * Client events the page may send beyond those the adapter needs (mute, unmute, close, and the
   * answers its delegation mode uses). `session.update`, `session.instructions.append` and
   * `session.output_audio.fixture.play` stay forbidden unless listed here.
   */
  extraClientEvents?: string[];
  /** Server events the page's data channel receives (default `'all'`), as the Live API's selectors. */
  allowedServerEvents?: 'all' | Array<{ type: string; response_event?: string }>;
  /** Store sessions for forking and recording download (default false). */
  store?: boolean;
}

/** The client events the adapter needs in each delegation mode. */
const NEEDED_EVENTS: Record<LiveBootstrapInfo['delegation'], string[]> = {
  client: ['session.input_audio.mute', 'session.input_audio.unmute', 'session.close', 'session.commentary.append', 'session.thinking.append'],
  responses: ['session.input_audio.mute', 'session.input_audio.unmute', 'session.close', 'response.item.create', 'response.create'],
  decisions: ['session.input_audio.mute', 'session.input_audio.unmute', 'session.close'],
};

/** Live session keys only the server writes (a `providerOptions` key of these names is refused). */
const LIVE_SERVER_OWNED_KEYS: readonly string[] = ['model', 'audio', 'instructions', 'delegation', 'client', 'input', 'store', 'type'];

/** What one Live session is made of: the wire config, the session that runs in our vocabulary, the page's view. */
export interface LiveSessionPlan {
  wire: Record<string, unknown>;
  runs: RealtimeSessionConfig;
  info: LiveBootstrapInfo;
}

/**
 * Maps `session` (policy applied, defaults filled) to the Live config. Fields GPT-Live has no use for
 * (turn detection, transcription, noise reduction, speed, modalities) are left out, and out of the
 * session reported as running; tools go to a Responses delegation, or nowhere under client delegation.
 */
export function planLiveSession(session: RealtimeSessionConfig, options: OpenAILiveOptions, history: readonly LiveHistoryTurn[] = []): LiveSessionPlan {
  const delegation = structuredClone(options.delegation ?? { type: 'client' as const });
  const mode = delegation.type;
  const runs: RealtimeSessionConfig = {};
  if (session.provider !== undefined) runs.provider = session.provider;
  const wire: Record<string, unknown> = { model: session.model ?? OPENAI_LIVE_DEFAULT_MODEL };
  runs.model = wire.model as string;
  if (session.voice !== undefined) {
    wire.audio = { output: { voice: session.voice } };
    runs.voice = session.voice;
  }
  if (session.instructions !== undefined) {
    wire.instructions = session.instructions;
    runs.instructions = session.instructions;
  }
  if (delegation.type === 'responses') {
    const responses = delegation.responses;
    const tools = (session.tools ?? []).map((tool) => ({ type: 'function', name: tool.name, ...(tool.description ? { description: tool.description } : {}), parameters: tool.parameters ?? { type: 'object', properties: {} } }));
    if (tools.length) {
      responses.tools = [...(Array.isArray(responses.tools) ? responses.tools : []), ...tools];
      runs.tools = session.tools;
    }
    if (session.toolChoice !== undefined) {
      responses.tool_choice = session.toolChoice;
      runs.toolChoice = session.toolChoice;
    }
    if (typeof session.maxOutputTokens === 'number') {
      responses.max_output_tokens = session.maxOutputTokens;
      runs.maxOutputTokens = session.maxOutputTokens;
    }
  }
  wire.delegation = delegation;
  const allowedClientEvents = [...new Set([...NEEDED_EVENTS[mode], ...(options.extraClientEvents ?? [])])];
  wire.client = { data_channel: { allowed_client_events: allowedClientEvents, allowed_server_events: options.allowedServerEvents ?? 'all' } };
  if (history.length) wire.input = toLiveInput(history);
  if (options.store !== undefined) wire.store = options.store;
  // Provider options the policy let through go on the wire as they are (e.g. safety_identifier), but
  // never over what the server set here: the delegation and the data-channel permissions above all.
  for (const [key, value] of Object.entries(session.providerOptions ?? {})) {
    if (key in wire || LIVE_SERVER_OWNED_KEYS.includes(key)) {
      throw new PolicyViolationError(`session.providerOptions.${key}: the server sets "${key}" of GPT-Live sessions.`, `session.providerOptions.${key}`);
    }
    wire[key] = value;
  }
  if (session.providerOptions) runs.providerOptions = session.providerOptions;
  return { wire, runs, info: { delegation: mode, allowedClientEvents } };
}

const liveAnswerSchema = z.object({
  session: z.object({ id: z.string().min(1) }),
  transport: z.object({ type: z.literal('webrtc'), sdp: z.string().regex(/^v=0\r?\n/) }),
});

/**
 * `POST {base}/live/sessions`: OpenAI answers the browser's offer and creates the session. Goes
 * through the provider's upstream helpers (openai-http.ts) like every other call: errors classified
 * and scrubbed, the answer read with the `maxResponseBytes` cap, the route's deadline on `ctx.signal`.
 */
export async function createLiveSession(ctx: UpstreamContext, plan: LiveSessionPlan, sdp: string): Promise<OpenAILiveWebRTCBootstrap> {
  const response = await send(ctx, `${ctx.base}/live/sessions`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ctx.key}`, 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ session: plan.wire, transport: { type: 'webrtc', sdp } }),
  });
  const text = await readBody(ctx, response, false);
  let answer: z.infer<typeof liveAnswerSchema>;
  try {
    const json: unknown = JSON.parse(text);
    if (findJsonShapeFault(json, DEFAULT_MAX_JSON_DEPTH)) throw new Error('the answer nests too deep');
    answer = liveAnswerSchema.parse(json);
  } catch (cause) {
    throw new UpstreamError('upstream_invalid_response', `${ctx.name.charAt(0).toUpperCase()}${ctx.name.slice(1)} answered the Live session without a session id and an SDP answer.`, {
      upstreamStatus: response.status,
      cause,
    });
  }
  return {
    adapter: 'openai-live-webrtc',
    transport: 'webrtc',
    answerSdp: answer.transport.sdp,
    sessionId: answer.session.id,
    session: plan.runs,
    live: plan.info,
  };
}
