/**
 * charivo-elements: live voice conversations with OpenAI Realtime as Web Components.
 * @packageDocumentation
 */
export * from './manager/index.js';
export type * from './transports/index.js';
