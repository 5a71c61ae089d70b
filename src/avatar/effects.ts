/**
 * The one mapping from avatar tool results to avatar effects, shared by the result projector and by
 * `<charivo-avatar>` (which applies `realtime:tool:result` itself) so the two cannot drift apart.
 * Payloads of `avatar:*` events come from any projector a page wired, so they are checked, not trusted.
 * @packageDocumentation
 */
import type { RealtimeToolResult } from '../manager/types.js';

/** Names of the three avatar tools; override them to avoid a clash with a page's own tools. */
export interface AvatarToolNames {
  expression: string;
  motion: string;
  gaze: string;
}

/** The default tool names, as in Charivo. */
export const DEFAULT_AVATAR_TOOL_NAMES: Readonly<AvatarToolNames> = Object.freeze({
  expression: 'setExpression',
  motion: 'playMotion',
  gaze: 'setGaze',
});

/** Resolves partial overrides against {@link DEFAULT_AVATAR_TOOL_NAMES}. */
export function resolveToolNames(names: Partial<AvatarToolNames> = {}): AvatarToolNames {
  return { ...DEFAULT_AVATAR_TOOL_NAMES, ...names };
}

/** Payload of `avatar:expression`. */
export interface AvatarExpressionPayload {
  expressionId: string;
  intensity: number;
  /** The tool call that caused it, when it came from one (lets listeners drop duplicates). */
  callId?: string;
}
/** Payload of `avatar:motion`. */
export interface AvatarMotionPayload {
  motionId: string;
  index: number;
  callId?: string;
}
/** Payload of `avatar:gaze`. */
export interface AvatarGazePayload {
  x: number;
  y: number;
  callId?: string;
}

/** Events the avatar projector emits, with their payloads. */
export interface AvatarEventMap {
  'avatar:expression': AvatarExpressionPayload;
  'avatar:motion': AvatarMotionPayload;
  'avatar:gaze': AvatarGazePayload;
}

/** One change to apply to an avatar. */
export type AvatarEffect =
  | { event: 'avatar:expression'; payload: AvatarExpressionPayload }
  | { event: 'avatar:motion'; payload: AvatarMotionPayload }
  | { event: 'avatar:gaze'; payload: AvatarGazePayload };

/** Names of the avatar events. */
export const AVATAR_EVENTS = ['avatar:expression', 'avatar:motion', 'avatar:gaze'] as const;

type Bag = Record<string, unknown>;

const isBag = (value: unknown): value is Bag => typeof value === 'object' && value !== null && !Array.isArray(value);
const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
const unit = (value: number) => Math.min(1, Math.max(-1, value));

/**
 * The effect of a successful avatar tool result, or `null` when `name` is not an avatar tool, the result
 * reports a failure, or its fields are malformed. `callId` is carried into the payload.
 */
export function avatarEffectFromToolResult(
  name: string,
  result: RealtimeToolResult,
  options: { names?: Partial<AvatarToolNames>; callId?: string } = {},
): AvatarEffect | null {
  if (!isBag(result) || result.success !== true) return null;
  const names = resolveToolNames(options.names);
  const event =
    name === names.expression ? 'avatar:expression' : name === names.motion ? 'avatar:motion' : name === names.gaze ? 'avatar:gaze' : null;
  if (!event) return null;
  return avatarEffectFromEvent(event, options.callId === undefined ? result : { ...result, callId: options.callId });
}

/**
 * Reads an `avatar:*` event (or its Charivo alias `realtime:expression` / `realtime:motion` /
 * `realtime:gaze`) into an effect, or `null` when the name is not one or the payload is malformed.
 */
export function avatarEffectFromEvent(event: string, payload: unknown): AvatarEffect | null {
  if (!isBag(payload)) return null;
  const callId = isNonEmptyString(payload.callId) ? { callId: payload.callId } : {};
  switch (event) {
    case 'avatar:expression':
    case 'realtime:expression': {
      if (!isNonEmptyString(payload.expressionId)) return null;
      const intensity = isFiniteNumber(payload.intensity) ? Math.min(1, Math.max(0, payload.intensity)) : 1;
      return { event: 'avatar:expression', payload: { expressionId: payload.expressionId, intensity, ...callId } };
    }
    case 'avatar:motion':
    case 'realtime:motion': {
      if (!isNonEmptyString(payload.motionId)) return null;
      const index = isFiniteNumber(payload.index) && payload.index >= 0 ? Math.floor(payload.index) : 0;
      return { event: 'avatar:motion', payload: { motionId: payload.motionId, index, ...callId } };
    }
    case 'avatar:gaze':
    case 'realtime:gaze': {
      if (!isFiniteNumber(payload.x) || !isFiniteNumber(payload.y)) return null;
      return { event: 'avatar:gaze', payload: { x: unit(payload.x), y: unit(payload.y), ...callId } };
    }
    default:
      return null;
  }
}
