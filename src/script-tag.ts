/**
 * The script-tag build's main file (`dist/charivo-elements.js`): one ES module that defines every
 * element on load. `<script type="module" src=".../charivo-elements.js">` plus the tags is a working
 * page against a realtime route. It holds the tags only: the session code (manager, validator,
 * transports) is in `dist/chunks/` and loads on the first `start()`. Each tag also has a file of its own
 * (`dist/charivo-realtime.js`, …), and `dist/charivo-api.js` has the manager and avatar APIs.
 * @packageDocumentation
 */
export * from './elements/index.js';
