/**
 * `openai-live-webrtc`: GPT-Live over WebRTC through the page's route. Loaded by the remote client's
 * adapter registry on the first connect.
 * @packageDocumentation
 */
export { createLiveWebRTCAdapter, LiveWebRTCTransport } from './live-transport.js';
export type { LiveWebRTCAdapterOptions } from './live-transport.js';
export { OpenAILiveError, OpenAILiveServerError } from './errors.js';
export type { OpenAILiveErrorCode } from './errors.js';
