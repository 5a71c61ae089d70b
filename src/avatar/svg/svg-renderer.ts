/**
 * The built-in avatar: a face drawn with inline SVG and CSS, no external assets. Expressions move the
 * brows, eyes and mouth; speech opens the mouth by rewriting one path; motions are Web Animations;
 * blinking runs on a jittered timer that stops on dispose.
 * @packageDocumentation
 */
import { clampUnit, type AvatarCatalog } from '../catalog.js';
import {
  BUILT_IN_MOTION_COUNTS,
  BUILT_IN_MOTIONS,
  prefersReducedMotion,
  runAnimation,
  STILL_CUE,
} from '../motion-keyframes.js';
import type { AvatarConnectionLook, AvatarRenderer } from '../renderer.js';
import { blendShape, FACE_SHAPES, mouthPath, OFFLINE_SHAPE, type FaceShape } from './face-shapes.js';
import { createFace } from './markup.js';

/** Options of {@link createSvgAvatarRenderer}. */
export interface SvgAvatarRendererOptions {
  /** Blink every `[min, max]` ms, picked at random each time (default `[2500, 6000]`); `false` never. */
  blinkInterval?: [number, number] | false;
  /** Randomness for the blink jitter, in [0, 1) (default `Math.random`). */
  random?: () => number;
  /** How far the pupils travel at the edge of the gaze range, in face units (default 4). */
  gazeRange?: number;
}

interface FaceNodes {
  /** The clipping frame the `<svg>` sways in (what is mounted). */
  frame: HTMLDivElement;
  svg: SVGSVGElement;
  motion: SVGGElement;
  cue: SVGElement;
  brows: [SVGElement, SVGElement];
  squints: SVGElement[];
  blinks: SVGElement[];
  pupils: SVGElement[];
  blush: SVGElement;
  mouth: SVGPathElement;
}

/** How long a blink holds the eyes shut, in milliseconds. */
const BLINK_MS = 130;

/** The built-in SVG renderer. Create it with {@link createSvgAvatarRenderer}. */
export class SvgAvatarRenderer implements AvatarRenderer {
  readonly catalog: AvatarCatalog = {
    expressions: Object.keys(FACE_SHAPES),
    motions: { ...BUILT_IN_MOTION_COUNTS },
    gaze: true,
  };
  #nodes: FaceNodes | undefined;
  #shape: FaceShape = FACE_SHAPES.neutral!;
  #expression = 'neutral';
  #connection: AvatarConnectionLook = 'ok';
  #open = 0;
  #gaze: [number, number] = [0, 0];
  #reduced: boolean | undefined;
  #motion: Animation | undefined;
  #blinkTimer: ReturnType<typeof setTimeout> | undefined;
  #reopenTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #options: SvgAvatarRendererOptions;

  constructor(options: SvgAvatarRendererOptions = {}) {
    this.#options = options;
  }

  /** The expression shown now. */
  get expression(): string {
    return this.#expression;
  }

  /** The connection look shown now (`ok` when the face shows its expression). */
  get connection(): AvatarConnectionLook {
    return this.#connection;
  }

  /** The mouth openness shown now, in [0, 1]. */
  get mouthOpen(): number {
    return this.#open;
  }

  /** The face's `<svg>` while mounted (inside the frame that clips its idle sway). */
  get element(): SVGSVGElement | undefined {
    return this.#nodes?.svg;
  }

  mount(container: HTMLElement | ShadowRoot): void {
    if (this.#nodes) this.dispose();
    const frame = createFace();
    const svg = frame.querySelector('svg')!;
    const all = (selector: string) => [...svg.querySelectorAll<SVGElement>(selector)];
    this.#nodes = {
      frame,
      svg,
      motion: svg.querySelector<SVGGElement>('.motion')!,
      cue: svg.querySelector<SVGElement>('.cue')!,
      brows: [svg.querySelector<SVGElement>('.brow-left')!, svg.querySelector<SVGElement>('.brow-right')!],
      squints: all('.squint'),
      blinks: all('.blink'),
      pupils: all('.pupil'),
      blush: svg.querySelector<SVGElement>('.blush')!,
      mouth: svg.querySelector<SVGPathElement>('.mouth')!,
    };
    this.#applyReduced();
    this.#drawShape();
    this.#drawGaze();
    container.append(frame);
    this.#scheduleBlink();
  }

  setMouthOpen(value: number): void {
    const open = Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
    if (open === this.#open) return;
    this.#open = open;
    this.#nodes?.mouth.setAttribute('d', mouthPath(this.#drawn(), open));
  }

  /** The offline face while the connection is not `ok`; the expression is kept for when it is. */
  setConnection(look: AvatarConnectionLook): void {
    if (look !== 'ok' && look !== 'reconnecting' && look !== 'lost') return;
    this.#connection = look;
    this.#drawShape();
  }

  setExpression(id: string, intensity = 1): void {
    const target = FACE_SHAPES[id];
    if (!target || !Object.hasOwn(FACE_SHAPES, id)) return;
    this.#expression = id;
    this.#shape = blendShape(target, Number.isFinite(intensity) ? intensity : 1);
    this.#drawShape();
  }

  playMotion(id: string, index = 0): Promise<void> {
    const motion = Object.hasOwn(BUILT_IN_MOTIONS, id) ? BUILT_IN_MOTIONS[id] : undefined;
    const nodes = this.#nodes;
    if (!motion || !nodes) return Promise.resolve();
    this.#motion?.cancel();
    const reduced = this.#reduced ?? prefersReducedMotion();
    const { animation, done } = reduced ? runAnimation(nodes.cue, STILL_CUE) : runAnimation(nodes.motion, motion(index));
    this.#motion = animation;
    return done;
  }

  lookAt(x: number, y: number): void {
    this.#gaze = [clampUnit(x), clampUnit(y)];
    this.#drawGaze();
  }

  setReducedMotion(reduced: boolean): void {
    this.#reduced = reduced;
    this.#applyReduced();
  }

  /**
   * Closes the eyes for {@link BLINK_MS}. Held shut, not tweened: a tweened blink made the page lay the
   * SVG out on each of its ten frames (+1.4 ms of main thread per second in the idle bench, against +0.5
   * for two changes), and a blink is too short for the eye to tell.
   */
  blink(): void {
    const lids = this.#nodes?.blinks ?? [];
    for (const lid of lids) lid.style.transform = 'scaleY(0.08)';
    clearTimeout(this.#reopenTimer);
    this.#reopenTimer = setTimeout(() => {
      for (const lid of lids) lid.style.transform = '';
    }, BLINK_MS);
  }

  dispose(): void {
    clearTimeout(this.#blinkTimer);
    this.#blinkTimer = undefined;
    clearTimeout(this.#reopenTimer);
    this.#reopenTimer = undefined;
    this.#motion?.cancel();
    this.#motion = undefined;
    this.#nodes?.frame.remove();
    this.#nodes = undefined;
  }

  #scheduleBlink(): void {
    const interval = this.#options.blinkInterval ?? [2500, 6000];
    if (interval === false) return;
    const [min, max] = interval;
    const random = this.#options.random ?? Math.random;
    this.#blinkTimer = setTimeout(() => {
      this.blink();
      this.#scheduleBlink();
    }, min + (max - min) * random());
  }

  /** The shape on screen: the expression's, or the offline face while the connection is not ok. */
  #drawn(): FaceShape {
    return this.#connection === 'ok' ? this.#shape : OFFLINE_SHAPE;
  }

  #drawShape(): void {
    const nodes = this.#nodes;
    if (!nodes) return;
    const shape = this.#drawn();
    const [left, right] = nodes.brows;
    left.style.transform = `translateY(${shape.browLift[0]}px) rotate(${shape.browTilt}deg)`;
    right.style.transform = `translateY(${shape.browLift[1]}px) rotate(${-shape.browTilt}deg)`;
    for (const squint of nodes.squints) squint.style.transform = `scaleY(${shape.eyeOpen})`;
    nodes.blush.setAttribute('opacity', String(shape.blush));
    nodes.mouth.setAttribute('d', mouthPath(shape, this.#open));
    nodes.svg.dataset.expression = this.#expression;
    // On the frame too: its styles pause the sway while the connection is not ok.
    for (const node of [nodes.svg, nodes.frame]) {
      if (this.#connection === 'ok') delete node.dataset.connection;
      else node.dataset.connection = this.#connection;
    }
  }

  #drawGaze(): void {
    const range = this.#options.gazeRange ?? 4;
    const [x, y] = this.#gaze;
    for (const pupil of this.#nodes?.pupils ?? []) pupil.style.transform = `translate(${x * range}px, ${y * range}px)`;
  }

  #applyReduced(): void {
    const nodes = this.#nodes;
    if (!nodes) return;
    for (const node of [nodes.svg, nodes.frame]) {
      if (this.#reduced) node.dataset.reducedMotion = '';
      else delete node.dataset.reducedMotion;
    }
  }
}

/** Creates the built-in SVG avatar (expressions: neutral, smile, sad, surprised, angry, thinking; motions: nod, shake, bounce, tilt ×2). */
export function createSvgAvatarRenderer(options: SvgAvatarRendererOptions = {}): SvgAvatarRenderer {
  return new SvgAvatarRenderer(options);
}
