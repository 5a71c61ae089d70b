import { CharivoControls } from './controls.js';

export { CharivoControls };
export type { CharivoControlName } from './controls.js';

// Guarded: a second copy of the bundle on the page must not throw.
if (typeof customElements !== 'undefined' && !customElements.get('charivo-controls')) {
  customElements.define('charivo-controls', CharivoControls);
}

declare global {
  interface HTMLElementTagNameMap {
    'charivo-controls': CharivoControls;
  }
}
