/**
 * The single-file script-tag build (`dist/charivo-elements.js`): one ES module that defines every
 * element on load. `<script type="module" src=".../charivo-elements.js">` plus the tags is a working
 * page against a realtime route; the transport chunk loads on the first start.
 * @packageDocumentation
 */
export * from './index.js';
