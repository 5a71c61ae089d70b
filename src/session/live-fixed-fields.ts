/**
 * What a running GPT-Live session cannot change: the one list both sides read. The route locks these
 * fields in every Live bootstrap's policy (`describePolicyForBrowser(policy, 'openai-live-webrtc')`), so
 * the manager refuses a live change with `policy_locked` before anything is sent; the Live transport
 * refuses the same fields (and whatever else the bootstrap's policy locks) should a caller bypass the
 * manager. Free of Node imports: the browser reads it.
 * @packageDocumentation
 */
import type { BootstrapPolicy } from './session-policy.js';

/**
 * Session fields a running Live session cannot change. GPT-Live fixes model, voice, instructions and
 * the backend's tools at startup and the route gives the page no `session.update`; the Realtime-only
 * ones (`reasoning`, `truncation`, `prompt`, …) are never sent to GPT-Live: locking them says so
 * instead of accepting a change that does nothing.
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

/** The fields a running Live session holds fixed under `policy` (the bootstrap's): Live's own and what the policy locks. */
export function liveLockedFields(policy: BootstrapPolicy | undefined): readonly string[] {
  return [...new Set<string>([...LIVE_FIXED_FIELDS, ...(policy?.locked ?? [])])];
}
