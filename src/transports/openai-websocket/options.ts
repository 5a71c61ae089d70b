/** Options of the WebSocket adapter. */
import type { PcmPlaybackOptions } from './playback.js';

/** Options of {@link createWebSocketAdapter}; every field has a default that suits speech. */
export interface WebSocketAdapterOptions {
  /** Time for the socket to open and the server to send `session.created` (default 15 000 ms). */
  connectTimeoutMs?: number;
  /** Time for the provider to acknowledge a `session.update` or a replayed item (default 10 000 ms). */
  sessionUpdateTimeoutMs?: number;
  /** Playback jitter buffer (`startMs`, default 80 ms). */
  playback?: PcmPlaybackOptions;
  /** Microphone chunking: `chunkMs` per `input_audio_buffer.append` (default 40 ms). */
  capture?: { chunkMs?: number };
  /**
   * The element that plays the assistant. It stays yours: the adapter only sets its `srcObject` (a
   * MediaStream out of the playback worklet) and clears it on disconnect. By default the adapter plays
   * through a detached `<audio>` it owns. The chosen speaker is applied to it with `setSinkId`.
   */
  audioElement?: HTMLAudioElement;
}
