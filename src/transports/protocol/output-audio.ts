/**
 * The seam between the protocol client and how the assistant's audio reaches the user, which is what
 * differs between adapters: over WebRTC the provider plays it from a server-side buffer on the media
 * track (`output_audio_buffer.*`), over a WebSocket it arrives as deltas that the page plays itself.
 * Response sequencing, acknowledgements and interrupts stay in the client; a path only stops what the
 * user hears and tells the provider what was heard.
 * @packageDocumentation
 */
import type { ClientEvent } from './client-events.js';
import type { TransportEmission } from './server-events.js';

/** A parsed server event (untrusted: only `type` is known to be a string). */
export interface ServerEvent {
  type: string;
  [field: string]: unknown;
}

/** What the protocol client offers its output audio path, for one connection. */
export interface OutputAudioHost {
  /**
   * Sends a client event whose refusal is an expected race (a clear or truncate after the audio
   * ended), so its error is not reported. Returns false when the connection is closed.
   */
  sendBestEffort(event: ClientEvent): boolean;
  /** Emits a transport event (dropped once the connection closed). */
  emit(emission: TransportEmission): void;
  /** The responses the provider is generating now. */
  readonly activeResponses: ReadonlySet<string>;
  /** The assistant message item of `responseId` (the newest one when undefined), for truncation. */
  assistantItem(responseId: string | undefined): string | undefined;
  /** Resolves when `responseId` is done or the connection closed (at once when it is not running). */
  responseSettled(responseId: string): Promise<void>;
}

/** How the assistant's audio reaches the user: one per transport, attached to each new connection. */
export interface OutputAudioPath {
  /** A new connection's client starts using this path. */
  attach(host: OutputAudioHost): void;
  /** Sees every server event before it is mapped; `consumed` keeps it from the mapper. Never throws. */
  receive(event: ServerEvent): 'consumed' | undefined;
  /** True while the user hears the assistant (or its audio is about to start). */
  readonly playing: boolean;
  /**
   * The user interrupted (the client already cancelled the response): stop what is heard at once,
   * emit `audio:end` with reason `interrupted` if something was heard, and truncate the heard item
   * at what was heard. Resolves when done.
   */
  interrupt(): Promise<void>;
  /** The connection is gone: forget it and silence what plays, sending and emitting nothing. */
  detach(): void;
}
