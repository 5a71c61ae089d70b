/**
 * The bootstrap: what the realtime route returns to the browser so it can connect without ever seeing
 * the server's API key. One variant per browser adapter, discriminated by `adapter`.
 *
 * Imported by the browser too (it validates what the route sent), so this file must stay free of
 * Node imports and of anything heavier than zod.
 * @packageDocumentation
 */
// zod/mini: the browser parses bootstraps with this in the transport chunk; mini keeps it small.
import * as z from 'zod/mini';
import { realtimeSessionConfigSchema, type RealtimeSessionConfig } from '../session/session-config.js';
import { bootstrapPolicySchema, type BootstrapPolicy } from '../session/session-policy.js';

export type { BootstrapPolicy } from '../session/session-policy.js';
export { bootstrapPolicySchema } from '../session/session-policy.js';

/** The browser adapters a bootstrap can be made for. */
export const REALTIME_ADAPTERS = ['openai-agents-webrtc', 'openai-webrtc', 'openai-websocket', 'openai-live-webrtc'] as const;

/** One of {@link REALTIME_ADAPTERS}. */
export type RealtimeAdapter = (typeof REALTIME_ADAPTERS)[number];

/** How the browser talks to the provider. */
export type RealtimeTransportKind = 'webrtc' | 'websocket';

/** The transport each adapter uses; a request naming another is refused. */
export const ADAPTER_TRANSPORT: Readonly<Record<RealtimeAdapter, RealtimeTransportKind>> = {
  'openai-agents-webrtc': 'webrtc',
  'openai-webrtc': 'webrtc',
  'openai-websocket': 'websocket',
  'openai-live-webrtc': 'webrtc',
};

/** A short-lived credential the browser may use instead of the API key. */
export interface RealtimeClientSecret {
  /** The ephemeral key (OpenAI's start with `ek_`). */
  value: string;
  /** When it stops being accepted for new connections, in Unix seconds. */
  expiresAt: number;
}

/**
 * `openai-agents-webrtc`: the browser runs `@openai/agents-realtime`'s WebRTC transport with the
 * client secret as its key and posts its SDP offer to `callsUrl`.
 */
export interface OpenAIAgentsWebRTCBootstrap {
  adapter: 'openai-agents-webrtc';
  transport: 'webrtc';
  clientSecret: RealtimeClientSecret;
  /** The effective session the server created (policy applied, defaults filled): the session that runs. */
  session: RealtimeSessionConfig;
  /** What the server's policy owns in that session (absent from older servers). */
  policy?: BootstrapPolicy;
  /** Where the SDP offer goes, e.g. `https://api.openai.com/v1/realtime/calls`. */
  callsUrl: string;
}

/**
 * `openai-webrtc` (unified interface): the server already posted the browser's SDP offer; the
 * browser applies `answerSdp` and is connected.
 */
export interface OpenAIWebRTCBootstrap {
  adapter: 'openai-webrtc';
  transport: 'webrtc';
  /** The provider's SDP answer to the offer the browser sent. */
  answerSdp: string;
  /** The call's id (`rtc_…`), for server-side control such as hanging up. */
  callId: string;
  session: RealtimeSessionConfig;
  policy?: BootstrapPolicy;
}

/** `openai-websocket`: the browser opens `url` with the client secret. */
export interface OpenAIWebSocketBootstrap {
  adapter: 'openai-websocket';
  transport: 'websocket';
  clientSecret: RealtimeClientSecret;
  session: RealtimeSessionConfig;
  policy?: BootstrapPolicy;
  /** e.g. `wss://api.openai.com/v1/realtime?model=gpt-realtime`. */
  url: string;
}

/**
 * `openai-live-webrtc` (GPT-Live): the server posted the browser's SDP offer to
 * `POST /v1/live/sessions` with its key (Live has no client secrets); the browser applies `answerSdp`.
 */
export interface OpenAILiveWebRTCBootstrap {
  adapter: 'openai-live-webrtc';
  transport: 'webrtc';
  answerSdp: string;
  /** The Live session's id (`live_…`), for server-side controls such as a sideband connection. */
  sessionId: string;
  /** The session in our vocabulary: what runs (fields GPT-Live has no use for are left out). */
  session: RealtimeSessionConfig;
  policy?: BootstrapPolicy;
  live: LiveBootstrapInfo;
}

/** What the page needs to know about a GPT-Live session the server created. */
export interface LiveBootstrapInfo {
  /** Who handles delegated tasks: the page (`client`), or a backend the server configured. */
  delegation: 'client' | 'responses' | 'decisions';
  /** The client events this page's data channel may send (`all`, or the list the server allowed). */
  allowedClientEvents: 'all' | string[];
}

/** Any bootstrap the route can return. */
export type RealtimeBootstrap = OpenAIAgentsWebRTCBootstrap | OpenAIWebRTCBootstrap | OpenAIWebSocketBootstrap | OpenAILiveWebRTCBootstrap;

/** Schema for {@link RealtimeClientSecret}. */
export const realtimeClientSecretSchema = z.object({
  value: z.string().check(z.minLength(1)),
  expiresAt: z.int().check(z.nonnegative()),
});

const httpUrl = z.url({ protocol: /^https?$/ });
const wsUrl = z.url({ protocol: /^wss?$/ });

/** Schema for {@link OpenAIAgentsWebRTCBootstrap}. */
export const openAIAgentsWebRTCBootstrapSchema = z.object({
  adapter: z.literal('openai-agents-webrtc'),
  transport: z.literal('webrtc'),
  clientSecret: realtimeClientSecretSchema,
  session: realtimeSessionConfigSchema,
  policy: z.optional(bootstrapPolicySchema),
  callsUrl: httpUrl,
});

/** Schema for {@link OpenAIWebRTCBootstrap}. */
export const openAIWebRTCBootstrapSchema = z.object({
  adapter: z.literal('openai-webrtc'),
  transport: z.literal('webrtc'),
  answerSdp: z.string().check(z.minLength(1)),
  callId: z.string().check(z.minLength(1)),
  session: realtimeSessionConfigSchema,
  policy: z.optional(bootstrapPolicySchema),
});

/** Schema for {@link OpenAIWebSocketBootstrap}. */
export const openAIWebSocketBootstrapSchema = z.object({
  adapter: z.literal('openai-websocket'),
  transport: z.literal('websocket'),
  clientSecret: realtimeClientSecretSchema,
  session: realtimeSessionConfigSchema,
  policy: z.optional(bootstrapPolicySchema),
  url: wsUrl,
});

/** Schema for {@link OpenAILiveWebRTCBootstrap}. */
export const openAILiveWebRTCBootstrapSchema = z.object({
  adapter: z.literal('openai-live-webrtc'),
  transport: z.literal('webrtc'),
  answerSdp: z.string().check(z.minLength(1)),
  sessionId: z.string().check(z.minLength(1)),
  session: realtimeSessionConfigSchema,
  policy: z.optional(bootstrapPolicySchema),
  live: z.object({
    delegation: z.enum(['client', 'responses', 'decisions']),
    allowedClientEvents: z.union([z.literal('all'), z.array(z.string())]),
  }),
});

/**
 * Schema for {@link RealtimeBootstrap}: the browser parses the route's response with it before
 * trusting any field. Unknown extra fields are dropped, so a newer server does not break an older page.
 */
export const realtimeBootstrapSchema = z.discriminatedUnion('adapter', [
  openAIAgentsWebRTCBootstrapSchema,
  openAIWebRTCBootstrapSchema,
  openAIWebSocketBootstrapSchema,
  openAILiveWebRTCBootstrapSchema,
]);
