/**
 * Motions shared by the built-in renderers, as Web Animations keyframes of a CSS `transform`, plus the
 * still cue that replaces them under reduced motion.
 * @packageDocumentation
 */

/** One motion: its keyframes and timing, for `Element.animate`. */
export interface MotionAnimation {
  keyframes: Keyframe[];
  options: KeyframeAnimationOptions;
}

const frames = (transforms: string[]): Keyframe[] => transforms.map((transform) => ({ transform }));

/** The built-in motions; `index` picks a variant (tilt: 0 left, 1 right). */
export const BUILT_IN_MOTIONS: Record<string, (index: number) => MotionAnimation> = {
  nod: () => ({
    keyframes: frames(['translateY(0)', 'translateY(5px)', 'translateY(-1px)', 'translateY(4px)', 'translateY(0)']),
    options: { duration: 700, easing: 'ease-in-out' },
  }),
  shake: () => ({
    keyframes: frames(['translateX(0)', 'translateX(-6px)', 'translateX(6px)', 'translateX(-4px)', 'translateX(3px)', 'translateX(0)']),
    options: { duration: 700, easing: 'ease-in-out' },
  }),
  bounce: () => ({
    keyframes: frames(['translateY(0)', 'translateY(-12px)', 'translateY(0)', 'translateY(-5px)', 'translateY(0)']),
    options: { duration: 650, easing: 'ease-out' },
  }),
  tilt: (index) => {
    const angle = index === 1 ? 9 : -9;
    return {
      keyframes: [
        { transform: 'rotate(0deg)', offset: 0 },
        { transform: `rotate(${angle}deg)`, offset: 0.25 },
        { transform: `rotate(${angle}deg)`, offset: 0.75 },
        { transform: 'rotate(0deg)', offset: 1 },
      ],
      options: { duration: 1400, easing: 'ease-in-out' },
    };
  },
};

/** The variant counts of {@link BUILT_IN_MOTIONS}, in catalog shape. */
export const BUILT_IN_MOTION_COUNTS: Record<string, number> = { nod: 1, shake: 1, bounce: 1, tilt: 2 };

/** Under reduced motion a motion becomes this: a short fade of a cue, nothing moves. */
export const STILL_CUE: MotionAnimation = {
  keyframes: [{ opacity: 0 }, { opacity: 0.8 }, { opacity: 0 }],
  options: { duration: 450, easing: 'ease-in-out' },
};

/** Whether the user asked for reduced motion, where the platform can tell (false elsewhere). */
export function prefersReducedMotion(): boolean {
  return globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
}

/**
 * Runs an animation and resolves when it finishes or is cancelled (a newer motion replaces it), so a
 * caller awaiting a motion never sees a rejection.
 */
export function runAnimation(target: Element, animation: MotionAnimation): { animation: Animation; done: Promise<void> } {
  const running = target.animate(animation.keyframes, animation.options);
  const done = running.finished.then(
    () => undefined,
    () => undefined,
  );
  return { animation: running, done };
}
