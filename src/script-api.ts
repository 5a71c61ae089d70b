/**
 * The script-tag build's API file (`dist/charivo-api.js`): the framework-free manager and the avatar kit
 * (tools, result projector, renderers) for pages without a bundler. It shares its chunks with
 * `dist/charivo-elements.js` and imports the code they have in common from that file (which defines the
 * tags), so a page that loads both fetches everything once.
 * @packageDocumentation
 */
export * from './manager/index.js';
export * from './avatar/index.js';
export type * from './transports/index.js';
