import { CharivoAvatar } from './avatar.js';

// Guarded: a page that loads the bundle twice keeps the first definition instead of throwing.
if (typeof customElements !== 'undefined' && !customElements.get('charivo-avatar')) {
  customElements.define('charivo-avatar', CharivoAvatar);
}

export { CharivoAvatar };
export { CharivoAvatarReadyEvent } from './avatar-ready-event.js';

declare global {
  interface HTMLElementTagNameMap {
    'charivo-avatar': CharivoAvatar;
  }
}
