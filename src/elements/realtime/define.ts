import { CharivoRealtime } from './realtime.js';

export { CharivoRealtime };

// Guarded so that loading the bundle twice (or two bundles) does not throw.
if (typeof customElements !== 'undefined' && !customElements.get('charivo-realtime')) customElements.define('charivo-realtime', CharivoRealtime);

declare global {
  interface HTMLElementTagNameMap {
    'charivo-realtime': CharivoRealtime;
  }
}
