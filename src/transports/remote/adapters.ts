/**
 * The adapter registry: which browser transport connects for a given bootstrap. Entries load their code
 * on demand, so `@openai/agents-realtime` is fetched only when a session starts.
 */
import type { ConversationTurn, RealtimeTransport } from '../types.js';
import type { AudioContextOwner } from '../audio/audio-context-owner.js';
import type { MicrophoneOptions } from '../audio/microphone.js';
import type { AudioDeviceChoice } from '../audio/device-choice.js';

/** Anything with zod's `safeParse` (classic or mini schemas, or a hand-written checker). */
export interface BootstrapSchema {
  safeParse(value: unknown):
    | { success: true; data: unknown }
    | { success: false; error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> } };
}

/** What an adapter's transport gets from the remote client. */
export interface AdapterDeps {
  /**
   * Fetches a fresh bootstrap for this adapter (a new short-lived secret every time: call it on every
   * connect, reconnects included). `extra.sdp` carries the offer for adapters that need one;
   * `extra.history` the conversation a GPT-Live reconnect starts its new session with.
   */
  bootstrap(extra: { sdp?: string; history?: readonly ConversationTurn[] } | undefined, signal: AbortSignal): Promise<unknown>;
  /** The AudioContext shared across reconnects; `prepareAudio()` resumes it from a user gesture. */
  audio: AudioContextOwner;
  /** Microphone choice (device, constraints, or a stream the page owns). */
  microphone?: MicrophoneOptions;
  /**
   * The page's microphone and speaker choice, followed live: open the microphone on `input`, play on
   * `output`, and apply changes while connected (see `linkAudioDevices`). Absent: system defaults.
   */
  devices?: AudioDeviceChoice;
}

/** Creates the adapter's transport. Called once per remote client. */
export type RealtimeAdapterFactory = (deps: AdapterDeps) => RealtimeTransport;

/** One registry entry. */
export interface RealtimeAdapterEntry {
  /** The adapter name the route knows (`openai-agents-webrtc`, …). */
  name: string;
  transport: 'webrtc' | 'websocket';
  /** Loads the factory (dynamic import keeps it out of the first load). */
  load(): Promise<RealtimeAdapterFactory>;
  /**
   * Schema of this adapter's bootstrap. Built-in adapters use the route's own schema; custom adapters
   * should give one, or they receive the route's answer unchecked beyond being an object.
   */
  bootstrapSchema?: BootstrapSchema;
}

/** The built-in adapters. Their modules import @openai/agents-realtime only when loaded. */
export const DEFAULT_ADAPTERS: readonly RealtimeAdapterEntry[] = [
  {
    name: 'openai-agents-webrtc',
    transport: 'webrtc',
    load: async () => (await import('../openai-webrtc/agents-adapter.js')).createAgentsWebRTCAdapter,
  },
  {
    name: 'openai-webrtc',
    transport: 'webrtc',
    // Its own module: the unified flow needs no @openai/agents-realtime, so it must not load it.
    load: async () => (await import('../openai-webrtc/unified-adapter.js')).createUnifiedWebRTCAdapter,
  },
  {
    name: 'openai-websocket',
    transport: 'websocket',
    load: async () => (await import('../openai-websocket/index.js')).createWebSocketAdapter,
  },
  {
    name: 'openai-live-webrtc',
    transport: 'webrtc',
    load: async () => (await import('../openai-live/index.js')).createLiveWebRTCAdapter,
  },
];

/** Builds a registry from the defaults plus `extra` (an extra entry with a default's name replaces it). */
export function createAdapterRegistry(extra: readonly RealtimeAdapterEntry[] = []): Map<string, RealtimeAdapterEntry> {
  const registry = new Map<string, RealtimeAdapterEntry>();
  for (const entry of [...DEFAULT_ADAPTERS, ...extra]) registry.set(entry.name, entry);
  return registry;
}
