import { CharivoDevicePicker } from './device-picker.js';

export { CharivoDevicePicker };
export type { CharivoDevicePickerPart } from './device-picker.js';

// Guarded: a second copy of the bundle on the page must not throw.
if (typeof customElements !== 'undefined' && !customElements.get('charivo-device-picker')) {
  customElements.define('charivo-device-picker', CharivoDevicePicker);
}

declare global {
  interface HTMLElementTagNameMap {
    'charivo-device-picker': CharivoDevicePicker;
  }
}
