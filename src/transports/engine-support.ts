/**
 * What the browser must have for each kind of transport, checked before a session asks the server for
 * anything: an engine without WebRTC (Debian's WebKitGTK, some embedded webviews, privacy builds) gets
 * an {@link EngineSupportError} with a stable code naming what is missing, not a raw
 * "Can't find variable: RTCPeerConnection" from deep inside an adapter.
 * @packageDocumentation
 */

/** Stable codes of {@link EngineSupportError}. */
export type EngineSupportErrorCode =
  /** No `RTCPeerConnection`: the `openai-agents-webrtc` and `openai-webrtc` adapters cannot run. */
  | 'webrtc_unsupported'
  /** No `WebSocket`, `AudioContext` or `AudioWorkletNode` (the last needs https or localhost): `openai-websocket` cannot run. */
  | 'websocket_unsupported';

/** The kinds of transport adapters declare (`RealtimeAdapterEntry.transport`). */
export type TransportKind = 'webrtc' | 'websocket';

/** The browser lacks what an adapter needs. `missing` lists the absent globals. */
export class EngineSupportError extends Error {
  override readonly name = 'EngineSupportError';
  constructor(
    readonly code: EngineSupportErrorCode,
    message: string,
    /** The globals this engine lacks, e.g. `['RTCPeerConnection']`. */
    readonly missing: readonly string[],
    /** The adapter that needed them. */
    readonly adapter?: string,
  ) {
    super(message);
  }
}

const NEEDS: Record<TransportKind, readonly string[]> = {
  webrtc: ['RTCPeerConnection'],
  websocket: ['WebSocket', 'AudioContext', 'AudioWorkletNode'],
};

/** The globals `transport` needs that `scope` (this browser, by default) lacks; empty when it can run. */
export function missingForTransport(transport: TransportKind, scope: object = globalThis): string[] {
  return NEEDS[transport].filter((name) => typeof (scope as Record<string, unknown>)[name] !== 'function');
}

/** Whether this browser has what `transport` needs. */
export function supportsTransport(transport: TransportKind, scope: object = globalThis): boolean {
  return missingForTransport(transport, scope).length === 0;
}
