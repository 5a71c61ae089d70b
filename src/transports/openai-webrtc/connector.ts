/**
 * The seam between the shared WebRTC transport and an adapter: the adapter's {@link PeerConnector}
 * brings up a configured connection from a {@link ConnectContext} and hands back a {@link PeerLink}.
 */
import type { RealtimeSessionConfig } from '../../manager/session-config.js';
import { toOpenAISession, type OpenAIRealtimeSession, type OpenAISessionDefaults } from '../../session/openai-session.js';
import type { AdapterDeps } from '../remote/adapters.js';
import type { TransportConnectRequest } from '../types.js';
import type { RealtimeProtocolClient } from '../protocol/protocol-client.js';
import type { SessionOpened } from '../../session/session-policy.js';

/** Options shared by both OpenAI WebRTC adapters. */
export interface OpenAIWebRTCAdapterOptions {
  /** How long ICE may stay `disconnected` before the connection counts as lost, in ms (default 2000). */
  disconnectGraceMs?: number;
  /** How long a `session.update` or the replayed conversation may wait for its ack, in ms (default 10 000). */
  sessionUpdateTimeoutMs?: number;
  /** How long the peer connection may take to open its data channel, in ms (default 15 000). */
  connectTimeoutMs?: number;
  /**
   * The element that plays the assistant. It stays yours: the adapter only sets its `srcObject`
   * (and clears it on disconnect). By default the adapter plays through a detached `<audio>` it owns.
   */
  audioElement?: HTMLAudioElement;
  /** Model and voice when the bootstrap's session names none (default `gpt-realtime`, `marin`). */
  defaults?: Partial<OpenAISessionDefaults>;
}

/** Everything a {@link PeerConnector} gets for one connection attempt. */
export interface ConnectContext {
  request: TransportConnectRequest;
  /** Aborts when the caller gives up or `disconnect()` runs; the connector releases what it made. */
  signal: AbortSignal;
  /**
   * The opened microphone stream (the adapter owns its tracks, the connector must not stop them), or
   * null: no microphone (denied, absent) or a connection prepared for a rollover. Without one the
   * connector still offers a send-and-receive audio transceiver, with no track: the microphone can be
   * put on it later with `replaceTrack` (see {@link audioSender}), which needs no renegotiation (a
   * receive-only line would, and OpenAI's calls endpoint offers none).
   */
  stream: MediaStream | null;
  /** Where the assistant plays. */
  audioElement: HTMLAudioElement;
  deps: AdapterDeps;
  options: Required<Pick<OpenAIWebRTCAdapterOptions, 'sessionUpdateTimeoutMs' | 'connectTimeoutMs'>>;
  /** The fallback model and voice. */
  defaults: OpenAISessionDefaults;
  /** Call with the remote stream when the peer's audio track arrives (drives the voice level). */
  onRemoteStream(stream: MediaStream): void;
  /** Makes the protocol client for `channel`, wired to this transport's events. */
  createClient(channel: RTCDataChannel): RealtimeProtocolClient;
  /** Maps a session config to the wire session with the given defaults (model pinned to the server's). */
  wire(session: RealtimeSessionConfig, defaults: OpenAISessionDefaults): OpenAIRealtimeSession;
}

/** A connection the connector brought up: configured and acknowledged, data channel open. */
export interface PeerLink {
  pc: RTCPeerConnection;
  dc: RTCDataChannel;
  client: RealtimeProtocolClient;
  /** The model and voice this connection's session was created with. */
  defaults: OpenAISessionDefaults;
  /** The session the connection opened with (the bootstrap's) and its policy. */
  opened: SessionOpened;
  /** The provider's call id (`rtc_…`), when known. */
  callId?: string | undefined;
  /** Releases what the connector created. Idempotent. */
  close(): void;
}

/** Brings up one connection; must release what it made and reject when `ctx.signal` aborts. */
export type PeerConnector = (ctx: ConnectContext) => Promise<PeerLink>;

/** The wire session: the whole config, with the model the server created the session with. */
export function wireSession(session: RealtimeSessionConfig, defaults: OpenAISessionDefaults): OpenAIRealtimeSession {
  return toOpenAISession({ ...session, model: defaults.model }, defaults);
}

/** The sender of the peer connection's audio transceiver (the microphone's place), with or without a track. */
export function audioSender(pc: RTCPeerConnection): RTCRtpSender | undefined {
  const transceiver = pc
    .getTransceivers()
    .find((t) => t.sender.track?.kind === 'audio' || t.receiver.track?.kind === 'audio');
  return transceiver?.sender;
}

/** Model and voice from a bootstrap's session, over `fallback`. */
export function sessionDefaults(session: unknown, fallback: OpenAISessionDefaults): OpenAISessionDefaults {
  const s = typeof session === 'object' && session !== null ? (session as { model?: unknown; voice?: unknown }) : {};
  return {
    model: typeof s.model === 'string' && s.model ? s.model : fallback.model,
    voice: typeof s.voice === 'string' && s.voice ? s.voice : fallback.voice,
  };
}
