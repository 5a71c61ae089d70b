/**
 * `openai-live-webrtc`: GPT-Live over WebRTC through the page's route. Loaded by the remote client's
 * adapter registry on the first connect.
 * @packageDocumentation
 */
export { createLiveWebRTCAdapter, LiveWebRTCTransport } from './live-transport.js';
export type { LiveWebRTCAdapterOptions } from './live-transport.js';
export { OpenAILiveError } from './errors.js';
export { OpenAIServerError } from '../protocol/server-error.js';
export type { OpenAILiveErrorCode } from './errors.js';
