/**
 * The contract between `<charivo-avatar>` and whatever draws the character (the built-in SVG face,
 * image sprites, a Live2D or 3D model of the page's own). The element knows nothing else about it.
 * @packageDocumentation
 */
import type { AvatarCatalog } from './catalog.js';

/**
 * Draws an avatar. Per-frame calls (`setMouthOpen`) must write to the DOM directly and cheaply.
 *
 * Lifecycle: `mount` adds the renderer's nodes to a container and starts its timers; `dispose` removes
 * them and stops every timer and animation. A disposed renderer may be mounted again (an element that is
 * moved in the page disposes on disconnect and mounts on reconnect).
 */
export interface AvatarRenderer {
  /** What this avatar can show; the avatar tools are built from it. */
  readonly catalog: AvatarCatalog;
  mount(container: HTMLElement | ShadowRoot): void;
  /** Mouth openness in [0, 1]; 0 is exactly closed. Called at most once per animation frame. */
  setMouthOpen(value: number): void;
  /** Shows an expression of the catalog (unknown ids are ignored); `intensity` in [0, 1], default 1. */
  setExpression(id: string, intensity?: number): void;
  /** Plays a motion of the catalog once; resolves when it ends or is replaced. Unknown ids are ignored. */
  playMotion(id: string, index?: number): Promise<void> | void;
  /** Points the eyes: `x` -1 (left) … 1 (right), `y` -1 (up) … 1 (down); clamped. */
  lookAt(x: number, y: number): void;
  /** Removes the nodes `mount` added and stops all timers and animations. */
  dispose(): void;
  /** With `true`, no movement: idle sway stops and motions become a brief still cue or nothing. */
  setReducedMotion?(reduced: boolean): void;
  /** Blinks once now. */
  blink?(): void;
  /**
   * Shows (or stops showing) that the conversation's connection is being recovered (`reconnecting`)
   * or is gone (`lost`): a look of the renderer's own, outside the catalog so the model cannot pick it.
   * `ok` returns to the current expression. The element also dims its stage, so renderers without
   * this method still show it.
   */
  setConnection?(look: AvatarConnectionLook): void;
}

/** What {@link AvatarRenderer.setConnection} shows. */
export type AvatarConnectionLook = 'ok' | 'reconnecting' | 'lost';
