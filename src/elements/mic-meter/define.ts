import { CharivoMicMeter } from './mic-meter.js';

export { CharivoMicMeter };
export type { MicMeterState } from './mic-meter.js';

// Guarded: a second copy of the bundle on the page must not throw.
if (typeof customElements !== 'undefined' && !customElements.get('charivo-mic-meter')) {
  customElements.define('charivo-mic-meter', CharivoMicMeter);
}

declare global {
  interface HTMLElementTagNameMap {
    'charivo-mic-meter': CharivoMicMeter;
  }
}
