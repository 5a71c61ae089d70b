/**
 * `charivo-elements/avatar`: avatar control tools for the model, the result projector that turns their
 * results into `avatar:*` events, the instructions that teach the model to use them, and the renderers.
 * @packageDocumentation
 */
export { clampUnit, hasGaze, listMotions, motionCount } from './catalog.js';
export type { AvatarCatalog, AvatarMotionEntry } from './catalog.js';
export {
  AVATAR_EVENTS,
  avatarEffectFromEvent,
  avatarEffectFromToolResult,
  DEFAULT_AVATAR_TOOL_NAMES,
  resolveToolNames,
} from './effects.js';
export type {
  AvatarEffect,
  AvatarEventMap,
  AvatarExpressionPayload,
  AvatarGazePayload,
  AvatarMotionPayload,
  AvatarToolNames,
} from './effects.js';
export { createAvatarControlTools } from './tools.js';
export type { AvatarControlToolOptions, PlayMotionArgs, SetExpressionArgs, SetGazeArgs } from './tools.js';
export { createAvatarResultProjector } from './projector.js';
export type { AvatarResultProjectorOptions } from './projector.js';
export { buildAvatarControlInstructions } from './instructions.js';
export type { AvatarRenderer } from './renderer.js';
export { BUILT_IN_MOTIONS, BUILT_IN_MOTION_COUNTS } from './motion-keyframes.js';
export type { MotionAnimation } from './motion-keyframes.js';
export { createSvgAvatarRenderer, SvgAvatarRenderer } from './svg/svg-renderer.js';
export type { SvgAvatarRendererOptions } from './svg/svg-renderer.js';
export { FACE_SHAPES } from './svg/face-shapes.js';
export type { FaceShape } from './svg/face-shapes.js';
export { createSpriteAvatarRenderer, SpriteAvatarRenderer } from './sprite-renderer.js';
export type { SpriteAvatarRendererOptions, SpriteFrameSet } from './sprite-renderer.js';
