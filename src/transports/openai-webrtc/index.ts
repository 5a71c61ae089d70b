/**
 * The OpenAI WebRTC adapters the remote client loads on the first connect:
 * `openai-agents-webrtc` (agents-realtime's transport with a client secret) and `openai-webrtc`
 * (the unified interface: the route posts the browser's offer). Both run on the shared protocol
 * client (`charivo-elements/transports`) and share the audio levels, loss detection and replay.
 * @packageDocumentation
 */
export { createAgentsWebRTCAdapter } from './agents-adapter.js';
export type { AgentsWebRTCAdapterOptions } from './agents-adapter.js';
export { createUnifiedWebRTCAdapter } from './unified-adapter.js';
export type { UnifiedWebRTCAdapterOptions } from './unified-adapter.js';
export type { OpenAIWebRTCAdapterOptions } from './connector.js';
export { OpenAIWebRTCError, OpenAIServerError } from './errors.js';
export type { OpenAIWebRTCErrorCode } from './errors.js';
