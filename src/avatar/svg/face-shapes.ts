/**
 * The built-in face as numbers: each expression is a set of parameters, intensity blends them from
 * neutral, and the mouth outline is computed from the shape and the current openness.
 * @packageDocumentation
 */

/** The parameters of one face. */
export interface FaceShape {
  /** Vertical offset of the left and right brows (negative raises). */
  browLift: [number, number];
  /** Brow angle in degrees: positive lowers the inner ends (anger), negative raises them (sorrow). */
  browTilt: number;
  /** Vertical scale of the eyes (below 1 narrows them). */
  eyeOpen: number;
  /** Half-width of the mouth. */
  mouthWidth: number;
  /** Control point of the lips: positive curves up into a smile, negative into a frown. */
  mouthCurve: number;
  /** Opening at rest (the "o" of surprise), before any speech. */
  mouthGap: number;
  /** Sideways shift of the mouth. */
  mouthShift: number;
  /** Cheek colour, 0 to 1. */
  blush: number;
}

/** The expressions of the built-in face. */
export const FACE_SHAPES: Readonly<Record<string, FaceShape>> = {
  neutral: { browLift: [0, 0], browTilt: 0, eyeOpen: 1, mouthWidth: 15, mouthCurve: 3, mouthGap: 0, mouthShift: 0, blush: 0 },
  smile: { browLift: [-3, -3], browTilt: 0, eyeOpen: 0.8, mouthWidth: 21, mouthCurve: 12, mouthGap: 0, mouthShift: 0, blush: 0.7 },
  sad: { browLift: [-1, -1], browTilt: -16, eyeOpen: 0.85, mouthWidth: 14, mouthCurve: -8, mouthGap: 0, mouthShift: 0, blush: 0 },
  surprised: { browLift: [-9, -9], browTilt: 0, eyeOpen: 1.2, mouthWidth: 8, mouthCurve: 0, mouthGap: 7, mouthShift: 0, blush: 0 },
  angry: { browLift: [3, 3], browTilt: 20, eyeOpen: 0.75, mouthWidth: 14, mouthCurve: -5, mouthGap: 0, mouthShift: 0, blush: 0.15 },
  thinking: { browLift: [-7, 1], browTilt: 0, eyeOpen: 0.9, mouthWidth: 10, mouthCurve: -2, mouthGap: 0, mouthShift: 7, blush: 0 },
};

/**
 * The face while the connection is being recovered or is gone: eyes nearly shut, brows raised at the
 * inner ends, a flat mouth. Not an expression of the catalog, so the model cannot choose it.
 */
export const OFFLINE_SHAPE: FaceShape = {
  browLift: [-2, -2],
  browTilt: -8,
  eyeOpen: 0.12,
  mouthWidth: 11,
  mouthCurve: -1,
  mouthGap: 0,
  mouthShift: 0,
  blush: 0,
};

const lerp = (from: number, to: number, t: number) => from + (to - from) * t;

/** `target` blended from neutral by `intensity` in [0, 1]. */
export function blendShape(target: FaceShape, intensity: number): FaceShape {
  const base = FACE_SHAPES.neutral!;
  const t = Math.min(1, Math.max(0, intensity));
  return {
    browLift: [lerp(base.browLift[0], target.browLift[0], t), lerp(base.browLift[1], target.browLift[1], t)],
    browTilt: lerp(base.browTilt, target.browTilt, t),
    eyeOpen: lerp(base.eyeOpen, target.eyeOpen, t),
    mouthWidth: lerp(base.mouthWidth, target.mouthWidth, t),
    mouthCurve: lerp(base.mouthCurve, target.mouthCurve, t),
    mouthGap: lerp(base.mouthGap, target.mouthGap, t),
    mouthShift: lerp(base.mouthShift, target.mouthShift, t),
    blush: lerp(base.blush, target.blush, t),
  };
}

const r = (value: number) => Math.round(value * 100) / 100;

/**
 * The mouth outline: an upper and a lower lip curve between the two corners. Closed and at rest they
 * coincide (a line); speech (`open` in [0, 1]) pulls them apart.
 */
export function mouthPath(shape: FaceShape, open: number): string {
  const o = Math.min(1, Math.max(0, open));
  const half = shape.mouthWidth * (1 - 0.2 * o);
  const x = shape.mouthShift;
  const upper = shape.mouthCurve - shape.mouthGap - 8 * o;
  const lower = shape.mouthCurve + shape.mouthGap + 18 * o;
  return `M${r(x - half)} 0Q${r(x)} ${r(upper)} ${r(x + half)} 0Q${r(x)} ${r(lower)} ${r(x - half)} 0Z`;
}
