/**
 * The OpenAI WebRTC adapters the remote client loads on the first connect:
 * `openai-agents-webrtc` (agents-realtime's transport with a client secret) and `openai-webrtc`
 * (the unified interface: the route posts the browser's offer). Both share the protocol layer, the
 * audio levels, loss detection and replay.
 * @packageDocumentation
 */
export { createAgentsWebRTCAdapter } from './agents-adapter.js';
export type { AgentsWebRTCAdapterOptions } from './agents-adapter.js';
export { createUnifiedWebRTCAdapter } from './unified-adapter.js';
export type { UnifiedWebRTCAdapterOptions } from './unified-adapter.js';
export type { OpenAIWebRTCAdapterOptions } from './connector.js';
export { OpenAIWebRTCError, OpenAIServerError } from './errors.js';
export type { OpenAIWebRTCErrorCode } from './errors.js';
export { OpenAIServerEventMapper, mapUsage } from './server-events.js';
export type { TransportEmission } from './server-events.js';
export { RealtimeProtocolClient } from './protocol-client.js';
export type { EventChannel, ProtocolClientOptions } from './protocol-client.js';
