import { CharivoMetrics } from './metrics.js';

export { CharivoMetrics };

// Guarded: a second copy of the bundle on the page must not throw.
if (typeof customElements !== 'undefined' && !customElements.get('charivo-metrics')) {
  customElements.define('charivo-metrics', CharivoMetrics);
}

declare global {
  interface HTMLElementTagNameMap {
    'charivo-metrics': CharivoMetrics;
  }
}
