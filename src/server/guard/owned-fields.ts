/**
 * Which session fields the route's policy owns on a live call, as wire rules the guard checks
 * against every `session.updated`. Derived from the one description of what a policy owns, the
 * bootstrap's `policy` (`describePolicyForBrowser`, which the browser's lock enforces too), so the
 * guard and the browser cannot drift: a setting described there is held here.
 * @packageDocumentation
 */
import type { BootstrapPolicy } from '../../session/session-policy.js';
import type { ToolPin } from '../../session/tool-pins.js';
import type { ResolvedRealtimeRoutePolicy } from '../policy.js';
import { describePolicyForBrowser } from '../policy-view.js';

/** Our names for session fields a policy can own (as `RealtimeSessionConfig` spells them). */
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
  | 'reasoning'
  | 'truncation'
  | 'prompt'
  | 'providerOptions';

/** What the live value of an owned field must satisfy. */
export type OwnedFieldRule =
  /** Exactly the minted value (objects may carry defaults the provider filled in). */
  | { kind: 'equal' }
  /** One of these strings (an allow-list; a custom voice `{ id }` counts by its id). */
  | { kind: 'oneOf'; values: readonly string[] }
  /** Starts with the server's instructions; what follows is at most `maxAppended` characters. */
  | { kind: 'prefix'; prefix: string; maxAppended: number }
  /** A string of at most `max` characters. */
  | { kind: 'maxLength'; max: number }
  /** A number no larger than `max` (`'inf'` fails). */
  | { kind: 'atMost'; max: number }
  /** A number from `min` to `max`. */
  | { kind: 'range'; min: number; max: number }
  /**
   * At most `maxTools` tools in at most `maxToolBytes` bytes of JSON (pinned parts not counted),
   * named from `names` when given, each pinned tool carrying exactly its pin, and at most
   * `maxTextChars` characters of model-visible text outside the pins.
   */
  | { kind: 'toolLimits'; maxTools: number; maxToolBytes: number; names?: readonly string[]; pins?: readonly ToolPin[]; maxTextChars?: number }
  /** Transcription off, or with one of these models. */
  | { kind: 'transcriptionModel'; models: readonly string[] }
  /** Server VAD's idle timeout within `min`–`max` ms, or off (any other turn detection is free). */
  | { kind: 'idleTimeout'; min: number; max: number }
  /** A reasoning effort no higher than `max` (or none: the provider's default). */
  | { kind: 'effortAtMost'; max: string }
  /** No stored prompt, or one of `ids` with at most `maxVariableChars` characters of variables. */
  | { kind: 'prompt'; ids: readonly string[]; maxVariableChars?: number };

/** One field the policy owns. */
export interface OwnedField {
  field: OwnedFieldName;
  /**
   * Where it sits in OpenAI's wire session, e.g. `['audio', 'output', 'voice']`. For
   * `providerOptions` (keys merged into the session's top level) it is empty until
   * {@link ownedFieldsForCall} expands it into one entry per key of the minted session.
   */
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
  reasoning: ['reasoning'],
  truncation: ['truncation'],
  prompt: ['prompt'],
  providerOptions: [],
};

/** The separator `composeInstructions` puts between the server's instructions and the page's. */
const APPEND_SEPARATOR = '\n\n';

/**
 * The fields `policy` owns on a live call: {@link ownedFieldsOf} its browser description (for the
 * Realtime adapters the guard watches), with each entry naming the setting behind it.
 */
export function ownedSessionFields(policy: ResolvedRealtimeRoutePolicy): OwnedField[] {
  return ownedFieldsOf(describePolicyForBrowser(policy), (field) => lockReason(field, policy));
}

/**
 * Wire rules for what `view` (a bootstrap's `policy`) says the server owns, one entry per field, the
 * strictest first (a locked field is held to its minted value, whatever list or bound also names it):
 *
 * - `locked` → equal to the minted value (`model` is always locked);
 * - `instructions` → `refuse` / `ignore` (or a mode unknown here): the minted ones; `append`: starting
 *   with the server's, at most `maxLength` after; without server instructions, at most `maxLength`;
 * - `allowed.voice` → on the list; `allowed.inputTranscriptionModel` → off or a listed model;
 *   `allowed.prompt` → none or a listed id, its variables within `instructions.maxLength`;
 * - `bounds`: `speed` and `idleTimeoutMs` ranges, `maxOutputTokens`, `reasoningEffort`, and the tool
 *   limits (`maxTools`, `maxToolBytes`, `toolTextChars`) with `allowed.toolNames` and `toolPins`;
 * - `allowed.providerOptions` needs no rule: the keys a page may send can never reach a field the
 *   policy owns on the wire (`resolvePolicy` refuses such keys), so what they set is the page's.
 */
export function ownedFieldsOf(view: BootstrapPolicy, reason: (field: OwnedFieldName) => string = (field) => `locked: ${field}`): OwnedField[] {
  const owned = new Map<OwnedFieldName, OwnedField>();
  const own = (field: OwnedFieldName, rule: OwnedFieldRule, because: string): void => {
    if (!owned.has(field)) owned.set(field, { field, path: WIRE_PATHS[field], rule, because });
  };
  const { allowed = {}, bounds = {} } = view;

  for (const key of view.locked) if (isOwnedFieldName(key)) own(key, { kind: 'equal' }, reason(key));

  const mode = view.instructions?.mode ?? 'append';
  const max = view.instructions?.maxLength ?? Number.MAX_SAFE_INTEGER;
  const server = view.instructions?.server;
  if (mode !== 'append') own('instructions', { kind: 'equal' }, `clientInstructions: '${mode}'`);
  else if (server) own('instructions', { kind: 'prefix', prefix: server, maxAppended: max + APPEND_SEPARATOR.length }, 'instructions');
  else own('instructions', { kind: 'maxLength', max }, 'maxInstructionLength');

  if (allowed.voice) own('voice', { kind: 'oneOf', values: [...allowed.voice] }, 'allowedVoices');
  if (allowed.inputTranscriptionModel) own('inputTranscription', { kind: 'transcriptionModel', models: [...allowed.inputTranscriptionModel] }, 'allowedTranscriptionModels');
  if (allowed.prompt) {
    const rule: OwnedFieldRule = { kind: 'prompt', ids: [...allowed.prompt], ...(view.instructions?.maxLength !== undefined ? { maxVariableChars: max } : {}) };
    own('prompt', rule, 'allowedPrompts');
  }

  if (bounds.maxOutputTokens !== undefined) own('maxOutputTokens', { kind: 'atMost', max: bounds.maxOutputTokens }, 'bound.maxOutputTokens');
  if (bounds.speed) own('speed', { kind: 'range', ...bounds.speed }, 'bound.speed');
  if (bounds.idleTimeoutMs) own('turnDetection', { kind: 'idleTimeout', ...bounds.idleTimeoutMs }, 'bound.idleTimeoutMs');
  if (bounds.reasoningEffort !== undefined) own('reasoning', { kind: 'effortAtMost', max: bounds.reasoningEffort }, 'bound.reasoningEffort');

  const tools: Extract<OwnedFieldRule, { kind: 'toolLimits' }> = {
    kind: 'toolLimits',
    maxTools: bounds.maxTools ?? Number.MAX_SAFE_INTEGER,
    maxToolBytes: bounds.maxToolBytes ?? Number.MAX_SAFE_INTEGER,
    ...(allowed.toolNames ? { names: [...allowed.toolNames] } : {}),
    ...(view.toolPins?.length ? { pins: structuredClone(view.toolPins) } : {}),
    ...(bounds.toolTextChars !== undefined ? { maxTextChars: bounds.toolTextChars } : {}),
  };
  const limited = bounds.maxTools !== undefined || bounds.maxToolBytes !== undefined || tools.names || tools.pins || tools.maxTextChars !== undefined;
  if (limited) {
    const settings = ['maxTools', 'maxToolBytes', tools.names && 'allowedTools', tools.maxTextChars !== undefined && 'maxToolTextChars'].filter(Boolean);
    own('tools', tools, settings.join(', '));
  }
  return [...owned.values()];
}

/**
 * `owned` for one call whose minted session (camelCase) is `session`: a locked `providerOptions`
 * becomes one `equal` entry per key the minted session set (they sit at the wire session's top level).
 */
export function ownedFieldsForCall(owned: readonly OwnedField[], session: { providerOptions?: Record<string, unknown> }): OwnedField[] {
  return owned.flatMap((entry) => {
    if (entry.field !== 'providerOptions') return [entry];
    return Object.keys(session.providerOptions ?? {}).map((key) => ({ ...entry, path: [key] }));
  });
}

function isOwnedFieldName(key: string): key is OwnedFieldName {
  return Object.hasOwn(WIRE_PATHS, key);
}

/** Which setting locks `field` (labels only). */
function lockReason(field: OwnedFieldName, policy: ResolvedRealtimeRoutePolicy): string {
  if (policy.fix && field in policy.fix) return `fix.${field}`;
  switch (field) {
    case 'model':
      return 'the model is fixed when a session is created';
    case 'inputTranscription':
      return 'transcription: false';
    case 'tools':
      return 'maxTools: 0';
    case 'instructions':
      return `clientInstructions: '${policy.clientInstructions}'`;
    case 'prompt':
      return policy.allowedPrompts.length ? `allowedPrompts with clientInstructions: '${policy.clientInstructions}'` : 'allowedPrompts: none';
    default:
      return `locked: ${field}`;
  }
}
