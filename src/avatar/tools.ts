/**
 * The avatar control tools the model calls to act while it speaks: an expression, a motion, a gaze.
 * Arguments are validated by the manager against these schemas before a handler runs; the handlers only
 * echo what was applied, and the effect reaches the avatar through the result (projector or element).
 * @packageDocumentation
 */
import type { RealtimeToolRegistration } from '../manager/types.js';
import type { JsonSchemaObject } from '../manager/tools/schema.js';
import { clampUnit, hasGaze, listMotions, motionCount, type AvatarCatalog } from './catalog.js';
import { resolveToolNames, type AvatarToolNames } from './effects.js';

/** Options of {@link createAvatarControlTools}. */
export interface AvatarControlToolOptions {
  /** Rename the tools (defaults: `setExpression`, `playMotion`, `setGaze`). */
  names?: Partial<AvatarToolNames>;
  /** Intensity used when the model gives none, in [0, 1] (default 1). */
  defaultIntensity?: number;
}

/** Arguments of the expression tool. */
export interface SetExpressionArgs {
  expressionId: string;
  intensity?: number;
}
/** Arguments of the motion tool. */
export interface PlayMotionArgs {
  motionId: string;
  index?: number;
}
/** Arguments of the gaze tool. */
export interface SetGazeArgs {
  x: number;
  y: number;
}

const strictObject = (properties: Record<string, JsonSchemaObject>, required: string[]): JsonSchemaObject => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});

/**
 * Builds the avatar tools for `catalog`. A tool is left out when the catalog gives it nothing to do
 * (no expressions, no motions, or `gaze: false`). Register them with the manager (`tools` option or
 * `registerTool`) and bridge their results with {@link createAvatarResultProjector}.
 */
export function createAvatarControlTools(
  catalog: AvatarCatalog,
  options: AvatarControlToolOptions = {},
): RealtimeToolRegistration[] {
  const names = resolveToolNames(options.names);
  const defaultIntensity = Math.min(1, Math.max(0, options.defaultIntensity ?? 1));
  const tools: RealtimeToolRegistration[] = [];
  const expressions = [...new Set(catalog.expressions)];
  if (expressions.length > 0) tools.push(expressionTool(names.expression, expressions, defaultIntensity));
  const motions = listMotions(catalog);
  if (motions.length > 0) tools.push(motionTool(names.motion, catalog));
  if (hasGaze(catalog)) tools.push(gazeTool(names.gaze));
  return tools;
}

function expressionTool(name: string, expressions: string[], defaultIntensity: number): RealtimeToolRegistration<SetExpressionArgs> {
  return {
    definition: {
      type: 'function',
      name,
      description: 'Change the avatar\'s facial expression to match the feeling of what you are saying. It stays until changed.',
      parameters: strictObject(
        {
          expressionId: { type: 'string', enum: expressions, description: 'The expression to show.' },
          intensity: { type: 'number', minimum: 0, maximum: 1, description: 'How strong, 0 (faint) to 1 (full). Default 1.' },
        },
        ['expressionId'],
      ),
    },
    handler: ({ expressionId, intensity }) => ({ success: true, expressionId, intensity: intensity ?? defaultIntensity }),
  };
}

function motionTool(name: string, catalog: AvatarCatalog): RealtimeToolRegistration<PlayMotionArgs> {
  const motions = listMotions(catalog);
  const maxCount = Math.max(...motions.map((motion) => motion.count));
  const properties: Record<string, JsonSchemaObject> = {
    motionId: { type: 'string', enum: motions.map((motion) => motion.id), description: 'The motion to play once.' },
  };
  // A flat schema can only bound `index` by the largest group; the handler checks the group's own count.
  if (maxCount > 1) {
    const counts = motions.filter((motion) => motion.count > 1).map((motion) => `${motion.id}: 0-${motion.count - 1}`);
    properties.index = {
      type: 'integer',
      minimum: 0,
      maximum: maxCount - 1,
      description: `Which variant of the motion (${counts.join(', ')}; others only 0). Default 0.`,
    };
  }
  return {
    definition: {
      type: 'function',
      name,
      description: 'Play a short body motion (a gesture) that fits the moment. Use it for emphasis, not on every turn.',
      parameters: strictObject(properties, ['motionId']),
    },
    handler: ({ motionId, index = 0 }) => {
      const count = motionCount(catalog, motionId);
      if (index >= count) throw new RangeError(`motion "${motionId}" has ${count} variant(s): index must be 0-${count - 1}`);
      return { success: true, motionId, index };
    },
  };
}

function gazeTool(name: string): RealtimeToolRegistration<SetGazeArgs> {
  const axis = (description: string): JsonSchemaObject => ({ type: 'number', minimum: -1, maximum: 1, description });
  return {
    definition: {
      type: 'function',
      name,
      description: 'Point the avatar\'s eyes. (0, 0) looks straight at the user.',
      parameters: strictObject(
        { x: axis('Horizontal, -1 (left) to 1 (right).'), y: axis('Vertical, -1 (up) to 1 (down).') },
        ['x', 'y'],
      ),
    },
    handler: ({ x, y }) => ({ success: true, x: clampUnit(x), y: clampUnit(y) }),
  };
}
