/**
 * Bridges the avatar tools' results into `avatar:expression`, `avatar:motion` and `avatar:gaze` events on
 * the manager, for pages that drive their own avatar from manager events.
 * @packageDocumentation
 */
import type { RealtimeToolResultProjector } from '../manager/types.js';
import { avatarEffectFromToolResult, type AvatarToolNames } from './effects.js';

/** Options of {@link createAvatarResultProjector}. */
export interface AvatarResultProjectorOptions {
  /** The tool names, when they were renamed in `createAvatarControlTools`. */
  names?: Partial<AvatarToolNames>;
}

/**
 * A result projector for `createRealtimeManager({ resultProjectors: [...] })`. Each payload carries the
 * tool call's `callId` so a listener that also reads `realtime:tool:result` can drop the duplicate.
 * Results of other tools, and failures, are ignored.
 */
export function createAvatarResultProjector(options: AvatarResultProjectorOptions = {}): RealtimeToolResultProjector {
  return (execution, context) => {
    const effect = avatarEffectFromToolResult(execution.name, execution.result, {
      ...(options.names ? { names: options.names } : {}),
      callId: execution.callId,
    });
    if (effect) context.emit(effect.event, effect.payload);
  };
}
