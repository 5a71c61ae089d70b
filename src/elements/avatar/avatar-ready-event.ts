import type { AvatarRenderer } from '../../avatar/renderer.js';

/**
 * Fired by `<charivo-avatar>` each time a renderer has been mounted (first connect, reconnect, swap),
 * so a page can reach into the renderer it just drew. Lives here rather than in `src/events/` because
 * the avatar is its only sender.
 */
export class CharivoAvatarReadyEvent extends Event {
  readonly detail: { readonly renderer: AvatarRenderer };

  constructor(renderer: AvatarRenderer) {
    super('charivo-avatar-ready', { bubbles: true, composed: true });
    this.detail = { renderer };
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'charivo-avatar-ready': CharivoAvatarReadyEvent;
  }
}
