/**
 * The policy as the browser sees it: the bootstrap's `policy` field, so the manager can refuse a
 * change the server would not allow before anything is sent. One function reads the resolved policy;
 * a new policy setting that limits a session field is described here too (or the browser cannot
 * enforce it live).
 * @packageDocumentation
 */
import type { BootstrapPolicy } from '../session/session-policy.js';
import type { RealtimeAdapter } from './bootstrap.js';
import { LIVE_FIXED_FIELDS } from '../session/live-fixed-fields.js';
import type { ResolvedRealtimeRoutePolicy } from './policy.js';

/** Defaults of `bound.speed` (the schema's own range). */
const SPEED_RANGE = { min: 0.25, max: 1.5 };
/** Defaults of `bound.idleTimeoutMs` (the schema's own range). */
const IDLE_TIMEOUT_RANGE = { min: 5000, max: 30_000 };

/**
 * Describes what `policy` owns in every session the route creates for `adapter` (all adapters alike
 * but GPT-Live, `openai-live-webrtc`, whose sessions fix more at startup: {@link LIVE_FIXED_FIELDS}
 * are locked there too). Holds nothing secret: the server's instructions and pinned tools are in the
 * minted session the bootstrap carries anyway.
 *
 * This is the one description of what a policy owns in a running session: the browser's lock
 * enforces it before sending, and guarded mode's `ownedSessionFields` derives its wire rules from it
 * (src/server/guard/owned-fields.ts), so the two cannot drift. A new policy setting that limits a
 * session field is described here, or neither enforces it live
 * (src/server/policy-ownership.node.test.ts has a row per setting).
 */
export function describePolicyForBrowser(policy: ResolvedRealtimeRoutePolicy, adapter?: RealtimeAdapter): BootstrapPolicy {
  // The model is fixed when a session is created; a page asks for another one at its next start.
  const locked = new Set<string>(['model']);
  if (adapter === 'openai-live-webrtc') for (const field of LIVE_FIXED_FIELDS) locked.add(field);
  if (!policy.transcription) locked.add('inputTranscription');
  if (policy.maxTools === 0) locked.add('tools');
  if (policy.clientInstructions === 'refuse') locked.add('instructions');
  // A prompt's variables are page text: only under `append` may the page pick (listed) prompts live.
  if (policy.allowedPrompts.length === 0 || policy.clientInstructions !== 'append') locked.add('prompt');
  // `fix` is applied last at mint: whatever the page asks, these values run.
  for (const key of Object.keys(policy.fix ?? {})) locked.add(key);

  const view: BootstrapPolicy = { locked: [...locked] };

  const allowed: NonNullable<BootstrapPolicy['allowed']> = { providerOptions: [...policy.allowedProviderOptions] };
  if (policy.allowedModels) allowed.model = [...policy.allowedModels];
  if (policy.allowedVoices) allowed.voice = [...policy.allowedVoices];
  if (policy.allowedTranscriptionModels) allowed.inputTranscriptionModel = [...policy.allowedTranscriptionModels];
  if (policy.allowedTools) allowed.toolNames = [...policy.allowedTools.keys()];
  if (!locked.has('prompt')) allowed.prompt = [...policy.allowedPrompts];
  view.allowed = allowed;

  const bounds: NonNullable<BootstrapPolicy['bounds']> = { maxTools: policy.maxTools, maxToolBytes: policy.maxToolBytes };
  if (policy.bound.speed) bounds.speed = { min: policy.bound.speed.min ?? SPEED_RANGE.min, max: policy.bound.speed.max ?? SPEED_RANGE.max };
  if (policy.bound.maxOutputTokens !== undefined) bounds.maxOutputTokens = policy.bound.maxOutputTokens;
  if (policy.bound.reasoningEffort !== undefined) bounds.reasoningEffort = policy.bound.reasoningEffort;
  if (policy.bound.idleTimeoutMs) {
    const { min = IDLE_TIMEOUT_RANGE.min, max = IDLE_TIMEOUT_RANGE.max } = policy.bound.idleTimeoutMs;
    bounds.idleTimeoutMs = { min, max };
  }
  // The cap counts only the page's text, so it means something while the page may send tools.
  if (!locked.has('tools')) bounds.toolTextChars = policy.maxToolTextChars;
  view.bounds = bounds;

  const pins = [...(policy.allowedTools?.values() ?? [])].filter((pin) => pin.description !== undefined || pin.parameters !== undefined);
  if (pins.length > 0 && !locked.has('tools')) view.toolPins = pins.map((pin) => structuredClone(pin));

  view.instructions = {
    mode: policy.clientInstructions,
    ...(policy.instructions !== undefined && policy.instructions !== '' ? { server: policy.instructions } : {}),
    ...(policy.clientInstructions === 'append' ? { maxLength: policy.maxInstructionLength } : {}),
  };
  return view;
}
