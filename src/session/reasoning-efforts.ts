/**
 * The reasoning efforts of OpenAI's reasoning Realtime models, least to most (and costliest), in a
 * module of their own so browser code can order them without loading the session schema.
 * @packageDocumentation
 */

/** How hard a reasoning model (`gpt-realtime-2` family) thinks before it answers; more is slower and costs more. */
export type RealtimeReasoningEffort = 'minimal' | 'low' | 'medium' | 'high' | 'xhigh';

/** Every {@link RealtimeReasoningEffort}, least to most. */
export const REALTIME_REASONING_EFFORTS = ['minimal', 'low', 'medium', 'high', 'xhigh'] as const satisfies readonly RealtimeReasoningEffort[];

/** Whether `effort` is above `max` (both known efforts; anything else is never above). */
export function effortAbove(effort: unknown, max: unknown): boolean {
  const at = REALTIME_REASONING_EFFORTS.indexOf(effort as RealtimeReasoningEffort);
  const limit = REALTIME_REASONING_EFFORTS.indexOf(max as RealtimeReasoningEffort);
  return at >= 0 && limit >= 0 && at > limit;
}

/** The efforts up to `max`, for messages (`minimal, low`). */
export function effortsUpTo(max: RealtimeReasoningEffort): string {
  return REALTIME_REASONING_EFFORTS.slice(0, REALTIME_REASONING_EFFORTS.indexOf(max) + 1).join(', ');
}
