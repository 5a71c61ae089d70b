/**
 * Which session fields the route's policy owns: the ones a page must not change on a live call. The
 * guard checks each against every `session.updated` and puts it back (or ends the call) when a page
 * changed it. Decided from the resolved policy alone, in one place, so the table test covers it.
 * @packageDocumentation
 */
import type { ResolvedRealtimeRoutePolicy } from '../policy.js';

/** Our names for session fields a policy can own (as `RealtimeSessionConfig` spells them, plus `prompt`). */
export type OwnedFieldName =
  | 'model'
  | 'instructions'
  | 'voice'
  | 'speed'
  | 'outputModalities'
  | 'maxOutputTokens'
  | 'toolChoice'
  | 'tools'
  | 'turnDetection'
  | 'inputTranscription'
  | 'noiseReduction'
  | 'prompt';

/** What the live value of an owned field must satisfy. */
export type OwnedFieldRule =
  /** Exactly the minted value (objects may carry defaults the provider filled in). */
  | { kind: 'equal' }
  /** One of these strings (an allow-list). */
  | { kind: 'oneOf'; values: readonly string[] }
  /** Starts with the server's instructions; what follows is at most `maxAppended` characters. */
  | { kind: 'prefix'; prefix: string; maxAppended: number }
  /** A string of at most `max` characters. */
  | { kind: 'maxLength'; max: number }
  /** A number no larger than `max` (`'inf'` fails). */
  | { kind: 'atMost'; max: number }
  /** A number from `min` to `max`. */
  | { kind: 'range'; min: number; max: number }
  /** At most `maxTools` tools in at most `maxToolBytes` bytes of JSON. */
  | { kind: 'toolLimits'; maxTools: number; maxToolBytes: number };

/** One field the policy owns. */
export interface OwnedField {
  field: OwnedFieldName;
  /** Where it sits in OpenAI's wire session, e.g. `['audio', 'output', 'voice']`. */
  path: readonly string[];
  rule: OwnedFieldRule;
  /** Which policy setting makes it owned (for logs and docs). */
  because: string;
}

/** Wire path of each field, in OpenAI's GA session object. */
export const WIRE_PATHS: Readonly<Record<OwnedFieldName, readonly string[]>> = {
  model: ['model'],
  instructions: ['instructions'],
  voice: ['audio', 'output', 'voice'],
  speed: ['audio', 'output', 'speed'],
  outputModalities: ['output_modalities'],
  maxOutputTokens: ['max_output_tokens'],
  toolChoice: ['tool_choice'],
  tools: ['tools'],
  turnDetection: ['audio', 'input', 'turn_detection'],
  inputTranscription: ['audio', 'input', 'transcription'],
  noiseReduction: ['audio', 'input', 'noise_reduction'],
  prompt: ['prompt'],
};

/** The separator `applyPolicy` puts between the server's instructions and the browser's. */
const APPEND_SEPARATOR = '\n\n';

/**
 * The fields `policy` owns, one entry per field (the strictest rule wins: a `fix` beats an
 * allow-list). A field not listed is the page's to change on a live call, as it was the page's to
 * ask for when the session was minted.
 *
 * - `fix` → each fixed field must stay equal to the minted value.
 * - `allowedModels` / `allowedVoices` → the model / voice must stay on the list.
 * - `instructions` → with `clientInstructions: 'refuse' | 'ignore'`, the instructions must stay the
 *   minted ones (the server's, or none); with `'append'` and server instructions, they must start with
 *   the server's, followed by at most `maxInstructionLength` characters; with `'append'` and none,
 *   they are bounded by `maxInstructionLength`.
 * - `maxTools: 0` → no tools; otherwise tools stay within `maxTools` and `maxToolBytes`.
 * - `transcription: false` → input transcription stays off.
 * - `bound.maxOutputTokens` → at most that many; `bound.speed` → within the range.
 * - `prompt` (a stored prompt, which carries its own instructions) always stays as minted (the route
 *   never lets the browser set it; `policy.fix` can).
 */
export function ownedSessionFields(policy: ResolvedRealtimeRoutePolicy): OwnedField[] {
  const owned = new Map<OwnedFieldName, OwnedField>();
  const own = (field: OwnedFieldName, rule: OwnedFieldRule, because: string): void => {
    if (!owned.has(field)) owned.set(field, { field, path: WIRE_PATHS[field], rule, because });
  };

  // Fixed values first: nothing is stricter than "exactly this".
  for (const key of Object.keys(policy.fix ?? {})) {
    if (key in WIRE_PATHS) own(key as OwnedFieldName, { kind: 'equal' }, `fix.${key}`);
  }

  if (policy.allowedModels) own('model', { kind: 'oneOf', values: [...policy.allowedModels] }, 'allowedModels');
  if (policy.allowedVoices) own('voice', { kind: 'oneOf', values: [...policy.allowedVoices] }, 'allowedVoices');

  if (policy.clientInstructions !== 'append') {
    own('instructions', { kind: 'equal' }, `clientInstructions: '${policy.clientInstructions}'`);
  } else if (policy.instructions) {
    const appended = policy.maxInstructionLength + APPEND_SEPARATOR.length;
    own('instructions', { kind: 'prefix', prefix: policy.instructions, maxAppended: appended }, 'instructions');
  } else {
    own('instructions', { kind: 'maxLength', max: policy.maxInstructionLength }, 'maxInstructionLength');
  }

  if (policy.maxTools === 0) own('tools', { kind: 'equal' }, 'maxTools: 0');
  else own('tools', { kind: 'toolLimits', maxTools: policy.maxTools, maxToolBytes: policy.maxToolBytes }, 'maxTools, maxToolBytes');

  if (!policy.transcription) own('inputTranscription', { kind: 'equal' }, 'transcription: false');

  const maxTokens = policy.bound.maxOutputTokens;
  if (maxTokens !== undefined) own('maxOutputTokens', { kind: 'atMost', max: maxTokens }, 'bound.maxOutputTokens');
  const speed = policy.bound.speed;
  if (speed) own('speed', { kind: 'range', min: speed.min ?? 0.25, max: speed.max ?? 1.5 }, 'bound.speed');

  // resolvePolicy refuses `prompt` in allowedProviderOptions: a stored prompt is always the server's to give.
  own('prompt', { kind: 'equal' }, 'always (set it with policy.fix)');

  return [...owned.values()];
}
