import { expect } from '@open-wc/testing';
import '../../../src/elements/index.js';

// React and Vue create elements with document.createElement (Svelte and lit-html clone templates instead,
// which upgrades the element later and hides the problem). For a defined tag the DOM runs the constructor
// synchronously there and throws NotSupportedError if the constructor added attributes or children: such
// attributes belong in connectedCallback.
describe('document.createElement, as React and Vue call it', () => {
  for (const tag of ['charivo-realtime', 'charivo-avatar', 'charivo-mic-meter', 'charivo-transcript', 'charivo-controls']) {
    it(`creates <${tag}> with no attributes until it is connected`, () => {
      expect(customElements.get(tag), 'defined').to.not.equal(undefined);
      const el = document.createElement(tag);
      expect(el.getAttributeNames()).to.deep.equal([]);
    });
  }
});
