/**
 * The provider contract the realtime route depends on: turn a checked session request into a
 * bootstrap for the browser. The route knows nothing about OpenAI; a provider knows nothing about HTTP
 * requests from browsers.
 * @packageDocumentation
 */
import type { RealtimeAdapter, RealtimeBootstrap, RealtimeTransportKind } from './bootstrap.js';
import type { RealtimeSessionConfig } from '../session/session-config.js';

/** What a provider is asked to create. */
export interface RealtimeSessionRequest {
  adapter: RealtimeAdapter;
  /** Must match the adapter's transport when given. */
  transport?: RealtimeTransportKind;
  session?: RealtimeSessionConfig;
  /** The browser's SDP offer; required by, and only accepted with, `openai-webrtc` and `openai-live-webrtc`. */
  sdp?: string;
  /** `openai-live-webrtc` reconnects: the conversation so far, to start the new session with. */
  history?: Array<{ role: 'user' | 'assistant'; text: string; interrupted?: boolean }>;
  /** Lifetime of the client secret in seconds (10–7200). */
  ttlSeconds?: number;
}

/** Per-call options. */
export interface RealtimeProviderCallOptions {
  /** Aborts the upstream request; a `TimeoutError` reason is reported as `upstream_timeout`. */
  signal?: AbortSignal;
}

/** Creates realtime sessions with one vendor. */
export interface RealtimeProvider {
  /** Vendor name, e.g. `openai`; a session naming another `provider` is refused. */
  readonly name: string;
  /** Values the provider fills in when the session leaves them out. */
  readonly defaults?: { readonly model?: string; readonly voice?: string };
  /** The same, for one adapter when it differs (GPT-Live has its own model); `defaults` otherwise. */
  defaultsFor?(adapter: RealtimeAdapter): { readonly model?: string; readonly voice?: string };
  /** Creates the session upstream and returns what the browser needs to connect. */
  createSession(request: RealtimeSessionRequest, options?: RealtimeProviderCallOptions): Promise<RealtimeBootstrap>;
  /**
   * Removes the provider's secrets from a text. The route runs every error message and log line
   * through it as a last line of defence.
   */
  redact?(text: string): string;
  /**
   * The values that must never reach a browser or a log (the API key). The route scrubs them from
   * every message, in part and base64-encoded too, and answers 502 rather than send a bootstrap that
   * holds one.
   */
  secrets?(): ReadonlyArray<string | undefined>;
}
