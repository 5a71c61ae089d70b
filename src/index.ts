/**
 * charivo-elements: live voice conversations with OpenAI Realtime as Web Components.
 * Importing this entry defines the `charivo-*` elements. The transports load on the first start.
 * @packageDocumentation
 */
export * from './manager/index.js';
export * from './elements/index.js';
export * from './avatar/index.js';
export type * from './transports/index.js';
