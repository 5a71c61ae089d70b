/**
 * What a running GPT-Live session cannot change. Beside what the route's policy owns, GPT-Live fixes
 * nearly everything at startup (model, voice, instructions, the backend's tools), and the route does
 * not let the page send `session.update`, so `describePolicyForBrowser(policy, 'openai-live-webrtc')`
 * locks these fields too: the manager refuses a live change to them (`policy_locked`) instead of
 * sending something the session cannot apply. The page's next start asks for a new session.
 * @packageDocumentation
 */
import { LIVE_FIXED_FIELDS } from '../session/live-fixed-fields.js';
import type { BootstrapPolicy } from '../session/session-policy.js';

export { LIVE_FIXED_FIELDS };

/** `view` (the route's policy as the browser sees it) with the fields Live fixes at startup locked. */
export function describeLivePolicy(view: BootstrapPolicy): BootstrapPolicy {
  return { ...view, locked: [...new Set([...view.locked, ...LIVE_FIXED_FIELDS])] };
}
