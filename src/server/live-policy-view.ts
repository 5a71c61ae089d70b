/**
 * What a running GPT-Live session cannot change. Beside what the route's policy owns, GPT-Live fixes
 * nearly everything at startup (model, voice, instructions, the backend's tools), and the route does
 * not let the page send `session.update`, so `describePolicyForBrowser(policy, 'openai-live-webrtc')`
 * locks these fields too: the manager refuses a live change to them (`policy_locked`) instead of
 * sending something the session cannot apply. The page's next start asks for a new session.
 * @packageDocumentation
 */
import type { BootstrapPolicy } from '../session/session-policy.js';

/**
 * Session fields a running Live session cannot change (the Realtime-only ones, such as `reasoning`,
 * `truncation` and `prompt`, are never sent to GPT-Live: locking them says so instead of accepting a
 * change that does nothing).
 */
export const LIVE_FIXED_FIELDS = [
  'model',
  'voice',
  'instructions',
  'tools',
  'toolChoice',
  'maxOutputTokens',
  'speed',
  'outputModalities',
  'turnDetection',
  'inputTranscription',
  'noiseReduction',
  'reasoning',
  'truncation',
  'prompt',
  'providerOptions',
] as const;

/** `view` (the route's policy as the browser sees it) with the fields Live fixes at startup locked. */
export function describeLivePolicy(view: BootstrapPolicy): BootstrapPolicy {
  return { ...view, locked: [...new Set([...view.locked, ...LIVE_FIXED_FIELDS])] };
}
