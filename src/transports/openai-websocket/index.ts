/**
 * The `openai-websocket` adapter: OpenAI Realtime over a WebSocket with PCM16 audio through
 * AudioWorklets. The remote client loads this module on the first connect.
 * @packageDocumentation
 */
import type { AdapterDeps, RealtimeAdapterFactory } from '../remote/adapters.js';
import type { RealtimeTransport } from '../types.js';
import type { WebSocketAdapterOptions } from './options.js';
import { WebSocketTransport } from './websocket-transport.js';

/**
 * Creates the WebSocket transport for the remote client. Nothing is opened until `connect()`, which
 * fetches a fresh bootstrap through `deps.bootstrap` each time (reconnects included).
 *
 * @example A custom registry entry with a deeper jitter buffer:
 * ```ts
 * createRemoteRealtimeClient({
 *   adapter: 'openai-websocket',
 *   adapters: [{ name: 'openai-websocket', transport: 'websocket',
 *     load: async () => (deps) => createWebSocketAdapter(deps, { playback: { startMs: 150 } }) }],
 * });
 * ```
 */
export function createWebSocketAdapter(deps: AdapterDeps, options: WebSocketAdapterOptions = {}): RealtimeTransport {
  return new WebSocketTransport(deps, options);
}

// Checks that the export fits the registry's factory type.
const factory: RealtimeAdapterFactory = createWebSocketAdapter;
void factory;

export type { WebSocketAdapterOptions } from './options.js';
export type { PcmPlaybackOptions, PlaybackReport } from './playback.js';
export type { PcmCaptureOptions } from './capture.js';
export { OpenAIWebSocketError, type OpenAIWebSocketErrorCode } from './errors.js';
