/**
 * The single-file script-tag build (`dist/charivo-elements.js`). Loading it makes the kit available as
 * ES module exports; the elements issue adds their definitions here.
 * @packageDocumentation
 */
export * from './index.js';
