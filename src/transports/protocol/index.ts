/**
 * The OpenAI Realtime protocol shared by every adapter: the protocol client (acknowledgements, one
 * response at a time, interrupts, replay), the server event mapper and the output audio seam.
 * @packageDocumentation
 */
export { RealtimeProtocolClient } from './protocol-client.js';
export type { EventChannel, ProtocolClientOptions } from './protocol-client.js';
export type { OutputAudioHost, OutputAudioPath, ServerEvent } from './output-audio.js';
export { OpenAIServerEventMapper, mapUsage } from './server-events.js';
export type { TransportEmission } from './server-events.js';
export { OpenAIServerError } from './server-error.js';
