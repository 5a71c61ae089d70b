/**
 * A minimal image-sprite avatar: one frame set per expression, the mouth frame picked from the speech
 * level by thresholds, motions as CSS transforms of the image. Proves that `<charivo-avatar>` needs
 * nothing but the {@link AvatarRenderer} contract.
 * @packageDocumentation
 */
import { clampUnit, type AvatarCatalog } from './catalog.js';
import {
  BUILT_IN_MOTIONS,
  prefersReducedMotion,
  runAnimation,
  STILL_CUE,
  type MotionAnimation,
} from './motion-keyframes.js';
import type { AvatarRenderer } from './renderer.js';

/** The images of one expression: mouth closed, open, and optionally half open. */
export interface SpriteFrameSet {
  closed: string;
  open: string;
  half?: string;
}

/** Options of {@link createSpriteAvatarRenderer}. */
export interface SpriteAvatarRendererOptions {
  /** Frame sets by expression id; the first one is shown initially. */
  frames: Record<string, SpriteFrameSet>;
  /** Motions by id: a function of the variant index, or one animation (default: nod, shake, bounce, tilt). */
  motions?: Record<string, MotionAnimation | ((index: number) => MotionAnimation)>;
  /** Levels at which the mouth shows `half` and `open` (default `{ half: 0.15, open: 0.45 }`). */
  thresholds?: { half?: number; open?: number };
  /** How far the image leans toward the gaze, in px (default 3). */
  gazeShift?: number;
}

type MouthFrame = keyof SpriteFrameSet;

/** The sprite renderer. Create it with {@link createSpriteAvatarRenderer}. */
export class SpriteAvatarRenderer implements AvatarRenderer {
  readonly catalog: AvatarCatalog;
  #img: HTMLImageElement | undefined;
  #expression: string;
  #frame: MouthFrame = 'closed';
  #reduced: boolean | undefined;
  #motion: Animation | undefined;
  #gaze: [number, number] = [0, 0];
  /** Kept while mounted so every frame is decoded before the mouth first switches to it. */
  #preloaded: HTMLImageElement[] = [];
  readonly #motions: Record<string, (index: number) => MotionAnimation>;
  readonly #options: SpriteAvatarRendererOptions;

  constructor(options: SpriteAvatarRendererOptions) {
    const expressions = Object.keys(options.frames);
    if (expressions.length === 0) throw new TypeError('createSpriteAvatarRenderer: `frames` needs at least one expression');
    this.#options = options;
    this.#expression = expressions[0]!;
    this.#motions = Object.fromEntries(
      Object.entries(options.motions ?? BUILT_IN_MOTIONS).map(([id, motion]) => [id, typeof motion === 'function' ? motion : () => motion]),
    );
    this.catalog = { expressions, motions: Object.keys(this.#motions), gaze: true };
  }

  /** The expression shown now. */
  get expression(): string {
    return this.#expression;
  }

  /** The mouth frame shown now. */
  get mouthFrame(): MouthFrame {
    return this.#frame;
  }

  /** The `<img>` while mounted. */
  get element(): HTMLImageElement | undefined {
    return this.#img;
  }

  mount(container: HTMLElement | ShadowRoot): void {
    if (this.#img) this.dispose();
    const img = document.createElement('img');
    img.setAttribute('part', 'sprite');
    img.alt = '';
    img.draggable = false;
    Object.assign(img.style, { display: 'block', width: '100%', height: '100%', objectFit: 'contain', transformOrigin: '50% 90%' });
    this.#img = img;
    this.#preloaded = Object.values(this.#options.frames)
      .flatMap((set) => [set.closed, set.open, set.half])
      .filter((src): src is string => typeof src === 'string')
      .map((src) => Object.assign(new Image(), { src }));
    this.#draw();
    this.#drawGaze();
    container.append(img);
  }

  setMouthOpen(value: number): void {
    const level = Number.isFinite(value) ? value : 0;
    const half = this.#options.thresholds?.half ?? 0.15;
    const open = this.#options.thresholds?.open ?? 0.45;
    const frames = this.#frames();
    const frame: MouthFrame = level >= open ? 'open' : level >= half ? (frames.half ? 'half' : 'open') : 'closed';
    if (frame === this.#frame) return;
    this.#frame = frame;
    this.#draw();
  }

  setExpression(id: string): void {
    if (!Object.hasOwn(this.#options.frames, id) || id === this.#expression) return;
    this.#expression = id;
    this.#draw();
  }

  playMotion(id: string, index = 0): Promise<void> {
    const motion = Object.hasOwn(this.#motions, id) ? this.#motions[id] : undefined;
    const img = this.#img;
    if (!motion || !img) return Promise.resolve();
    this.#motion?.cancel();
    const reduced = this.#reduced ?? prefersReducedMotion();
    const { animation, done } = runAnimation(img, reduced ? stillCue() : motion(index));
    this.#motion = animation;
    return done;
  }

  lookAt(x: number, y: number): void {
    this.#gaze = [clampUnit(x), clampUnit(y)];
    this.#drawGaze();
  }

  setReducedMotion(reduced: boolean): void {
    this.#reduced = reduced;
  }

  dispose(): void {
    this.#motion?.cancel();
    this.#motion = undefined;
    this.#img?.remove();
    this.#img = undefined;
    this.#preloaded.length = 0;
  }

  #frames(): SpriteFrameSet {
    return this.#options.frames[this.#expression]!;
  }

  #draw(): void {
    if (!this.#img) return;
    const frames = this.#frames();
    const src = frames[this.#frame] ?? frames.open;
    if (this.#img.getAttribute('src') !== src) this.#img.src = src;
    this.#img.dataset.expression = this.#expression;
    this.#img.dataset.mouth = this.#frame;
  }

  #drawGaze(): void {
    if (!this.#img) return;
    const shift = this.#options.gazeShift ?? 3;
    this.#img.style.translate = `${this.#gaze[0] * shift}px ${this.#gaze[1] * shift}px`;
  }
}

/** A still cue for an image: it dims briefly instead of moving. */
function stillCue(): MotionAnimation {
  return { keyframes: STILL_CUE.keyframes.map((frame) => ({ opacity: 1 - Number(frame.opacity) * 0.4 })), options: STILL_CUE.options };
}

/** Creates an image-sprite avatar from frame sets by expression. */
export function createSpriteAvatarRenderer(options: SpriteAvatarRendererOptions): SpriteAvatarRenderer {
  return new SpriteAvatarRenderer(options);
}
