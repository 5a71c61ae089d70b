/**
 * The route's rules for the newer Realtime session fields: custom voices against `allowedVoices`,
 * stored prompts against `allowedPrompts` (their variables are page text the model reads, so they
 * follow `clientInstructions`), and the highest reasoning effort. Kept apart from policy.ts so the
 * older rules read as they were.
 * @packageDocumentation
 */
import { PolicyViolationError } from './errors.js';
import { effortAbove, effortsUpTo, REALTIME_REASONING_EFFORTS, type RealtimeReasoningEffort } from '../session/reasoning-efforts.js';
import type { RealtimeSessionConfig } from '../session/session-config.js';

/** The settings of the resolved policy these rules read. */
export interface SurfacePolicySettings {
  allowedVoices: string[] | undefined;
  allowedPrompts: string[];
  clientInstructions: 'append' | 'refuse' | 'ignore';
  maxInstructionLength: number;
  bound: { reasoningEffort?: RealtimeReasoningEffort };
}

/** Whether `effort` is a known reasoning effort. */
export function isReasoningEffort(effort: unknown): effort is RealtimeReasoningEffort {
  return REALTIME_REASONING_EFFORTS.includes(effort as RealtimeReasoningEffort);
}

/** A custom voice `{ id }` must be listed in `allowedVoices` by its id, as a name is by its name. */
export function checkCustomVoice(session: RealtimeSessionConfig, allowedVoices: string[] | undefined): void {
  const voice = session.voice;
  if (typeof voice !== 'object' || !allowedVoices || allowedVoices.includes(voice.id)) return;
  throw new PolicyViolationError(`session.voice ${JSON.stringify(voice)} is not allowed; allowed: ${allowedVoices.join(', ')}.`, 'session.voice');
}

/**
 * Applies the prompt and reasoning rules to `session` in place: a prompt the policy does not list is
 * refused, its variables are refused (`refuse`), dropped (`ignore`) or counted against
 * `maxInstructionLength` (`append`), and an effort above `bound.reasoningEffort` is refused.
 */
export function applySurfacePolicy(session: RealtimeSessionConfig, policy: SurfacePolicySettings): void {
  checkCustomVoice(session, policy.allowedVoices);
  const prompt = session.prompt;
  if (prompt) {
    if (!policy.allowedPrompts.includes(prompt.id)) {
      const allowed = policy.allowedPrompts.length ? `allowed: ${policy.allowedPrompts.join(', ')}` : 'this server allows no prompt from the browser';
      throw new PolicyViolationError(`session.prompt.id ${JSON.stringify(prompt.id)} is not allowed; ${allowed}.`, 'session.prompt.id');
    }
    const variables = Object.values(prompt.variables ?? {});
    if (variables.length > 0) {
      if (policy.clientInstructions === 'refuse') {
        throw new PolicyViolationError('session.prompt.variables: this server does not accept text for the model from the browser.', 'session.prompt.variables');
      }
      if (policy.clientInstructions === 'ignore') {
        const { variables: _dropped, ...kept } = prompt;
        session.prompt = kept;
      } else {
        const chars = variables.reduce((sum, value) => sum + value.length, 0);
        if (chars > policy.maxInstructionLength) {
          throw new PolicyViolationError(
            `session.prompt.variables: at most ${policy.maxInstructionLength} characters are allowed in all (got ${chars}).`,
            'session.prompt.variables',
          );
        }
      }
    }
  }
  const max = policy.bound.reasoningEffort;
  const effort = session.reasoning?.effort;
  if (max !== undefined && effortAbove(effort, max)) {
    const allowed = effortsUpTo(max);
    throw new PolicyViolationError(`session.reasoning.effort "${effort}" is above this server's limit; allowed: ${allowed}.`, 'session.reasoning.effort');
  }
}
