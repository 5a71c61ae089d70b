/**
 * The server's say over what a browser may ask for. The browser is untrusted: it may name any model,
 * voice, instructions or tools; the policy decides what reaches the provider (and the bill).
 * This file holds the settings and their checks at start-up; policy-apply.ts applies them to a request.
 * @packageDocumentation
 */
import type { RealtimeAdapter } from './bootstrap.js';
import { REALTIME_ADAPTERS } from './bootstrap.js';
import { InvalidConfigurationError } from './errors.js';
import { DEFAULT_MAX_JSON_DEPTH } from './json-limits.js';
import { checkFixAgainstPolicy } from './policy-fix.js';
import { resolveToolPins, type RealtimeToolPin } from './policy-tools.js';
import { describeIssue, realtimeSessionConfigObjectSchema, type RealtimeSessionConfig } from '../session/session-config.js';
import type { RealtimeReasoningEffort } from '../session/session-config.js';
import { isReasoningEffort } from './policy-surface.js';
import { REALTIME_REASONING_EFFORTS } from '../session/reasoning-efforts.js';

export { applyPolicy } from './policy-apply.js';
export type { RealtimeToolPin } from './policy-tools.js';

/** A closed range; either end may be left out. */
export interface RealtimeRange {
  min?: number;
  max?: number;
}

/** What the route allows. Every field is optional; the defaults are noted on each. */
export interface RealtimeRoutePolicy {
  /**
   * Adapters the route makes bootstraps for. Default: the three Realtime adapters; GPT-Live
   * (`openai-live-webrtc`, billed by the second) is enabled only when listed here.
   */
  allowedAdapters?: RealtimeAdapter[];
  /**
   * Models the browser may name, compared exactly (no case folding, trimming or Unicode
   * normalization). When the browser names none, the provider's default is used if it is listed,
   * else the first entry. Default: any.
   */
  allowedModels?: string[];
  /**
   * Voices the browser may name; same rules as `allowedModels`. A custom voice `{ id }` is allowed
   * when its id is listed. Default: any.
   */
  allowedVoices?: string[];
  /**
   * Ids of stored prompts the browser may reference (`session.prompt`). Their variables are page
   * text the model reads: refused under `clientInstructions: 'refuse'`, dropped under `'ignore'`, and
   * counted against `maxInstructionLength` under `'append'`. Default: none (a prompt from the browser
   * is refused; the server may set one with `fix`).
   */
  allowedPrompts?: string[];
  /** Server-owned instructions; they always come first and the browser cannot remove them. */
  instructions?: string;
  /**
   * What to do with instructions the browser sends: `append` them after the server's (default),
   * `refuse` the request, or `ignore` them. Tool descriptions are model-visible too: see
   * `allowedTools` and `maxToolTextChars`.
   */
  clientInstructions?: 'append' | 'refuse' | 'ignore';
  /** Longest browser instructions accepted, in characters. Default 8000. */
  maxInstructionLength?: number;
  /** Most tools a session may declare. Default 32. */
  maxTools?: number;
  /** Largest tools array, as UTF-8 JSON bytes. Default 32768. */
  maxToolBytes?: number;
  /**
   * Tool names the browser may declare. A string allows the name; an object may also pin the
   * tool's `description` and `parameters`, which then replace whatever the page sent, so the model
   * sees only the server's text. Default: any name.
   */
  allowedTools?: Array<string | RealtimeToolPin>;
  /**
   * Most characters of model-visible text the browser may put in its tools: each tool's
   * `description`, and inside `parameters` every `description` and `title` string and every string
   * in `enum`, `const`, `default` and `examples`. Pinned descriptions and parameters do not count.
   * `0` with `clientInstructions: 'refuse'` and pinned tools means the page adds no text the model
   * reads. Default: `maxInstructionLength`.
   */
  maxToolTextChars?: number;
  /** Largest request body in bytes. Default 65536 (64 KiB). */
  maxBodyBytes?: number;
  /** Deepest nesting of objects and arrays in the request body (8–1000). Default 64. */
  maxJsonDepth?: number;
  /** Whether the browser may turn on input transcription; `false` forces it off. Default `true`. */
  transcription?: boolean;
  /**
   * Transcription models the browser may name (exact match). A transcription asked for without a
   * model gets the first entry. Default: any.
   */
  allowedTranscriptionModels?: string[];
  /** Client secret lifetime in seconds, 10–7200. Default 60. */
  secretTtlSeconds?: number;
  /**
   * Origins (`https://app.example`) allowed to call the route, or `'*'` for any. Checked when the
   * request has an `Origin` header. Default: only the route's own host.
   */
  allowedOrigins?: string[] | '*';
  /**
   * `providerOptions` keys the browser may set. Default: none (any key is refused). Keys the policy
   * owns on the wire (`model`, `instructions`, `audio`, `tools`, `tool_choice`, `max_output_tokens`,
   * `output_modalities`, `prompt`, `type`) cannot be allowed: a start-up error says so.
   */
  allowedProviderOptions?: string[];
  /** Session fields the server forces, whatever the browser sent (applied last; checked against the rest of the policy at start-up). */
  fix?: Partial<RealtimeSessionConfig>;
  /** Tighter bounds than the schema's for numeric fields; values outside are refused. */
  bound?: {
    /** Within 0.25–1.5. */
    speed?: RealtimeRange;
    /** Highest `maxOutputTokens` (1–4096); also used when the browser sets none (and `'inf'` is refused). */
    maxOutputTokens?: number;
    /** Range for server VAD's `idleTimeoutMs`, within 5000–30000; `null` (off) stays allowed. */
    idleTimeoutMs?: RealtimeRange;
    /**
     * Highest `reasoning.effort` the browser may ask for (`minimal` < `low` < `medium` < `high` <
     * `xhigh`). A session that sets none gets the provider's default (`low`); to force one, use `fix`.
     */
    reasoningEffort?: RealtimeReasoningEffort;
  };
}

/** A policy with every default filled in and every number checked. */
export interface ResolvedRealtimeRoutePolicy
  extends Required<
    Omit<
      RealtimeRoutePolicy,
      'allowedModels' | 'allowedVoices' | 'instructions' | 'allowedOrigins' | 'fix' | 'bound' | 'allowedTools' | 'allowedTranscriptionModels'
    >
  > {
  allowedModels: string[] | undefined;
  allowedVoices: string[] | undefined;
  instructions: string | undefined;
  allowedOrigins: string[] | '*' | undefined;
  /** By tool name; `undefined` allows any name. */
  allowedTools: ReadonlyMap<string, RealtimeToolPin> | undefined;
  allowedTranscriptionModels: string[] | undefined;
  fix: Partial<RealtimeSessionConfig> | undefined;
  bound: NonNullable<RealtimeRoutePolicy['bound']>;
}

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/** Wire fields of the session the policy decides; a browser `providerOptions` key must not reach them. */
export const POLICY_OWNED_WIRE_KEYS: readonly string[] = [
  'type',
  'model',
  'instructions',
  'audio',
  'tools',
  'tool_choice',
  'max_output_tokens',
  'output_modalities',
  'prompt',
];

/** Fills defaults and checks ranges; throws {@link InvalidConfigurationError} on nonsense so a bad deploy fails at start-up. */
export function resolvePolicy(policy: RealtimeRoutePolicy = {}): ResolvedRealtimeRoutePolicy {
  const maxInstructionLength = policy.maxInstructionLength ?? 8000;
  const maxJsonDepth = policy.maxJsonDepth ?? DEFAULT_MAX_JSON_DEPTH;
  checkInteger('maxJsonDepth', maxJsonDepth, 8, 1000);
  const resolved: ResolvedRealtimeRoutePolicy = {
    allowedAdapters: policy.allowedAdapters ?? REALTIME_ADAPTERS.filter((adapter) => adapter !== 'openai-live-webrtc'),
    allowedModels: policy.allowedModels,
    allowedVoices: policy.allowedVoices,
    instructions: policy.instructions,
    clientInstructions: policy.clientInstructions ?? 'append',
    maxInstructionLength,
    maxTools: policy.maxTools ?? 32,
    maxToolBytes: policy.maxToolBytes ?? 32 * 1024,
    allowedTools: policy.allowedTools === undefined ? undefined : resolveToolPins(policy.allowedTools, maxJsonDepth),
    maxToolTextChars: policy.maxToolTextChars ?? maxInstructionLength,
    maxBodyBytes: policy.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    maxJsonDepth,
    transcription: policy.transcription ?? true,
    allowedTranscriptionModels: policy.allowedTranscriptionModels,
    secretTtlSeconds: policy.secretTtlSeconds ?? 60,
    allowedOrigins: policy.allowedOrigins,
    allowedProviderOptions: policy.allowedProviderOptions ?? [],
    allowedPrompts: policy.allowedPrompts ?? [],
    fix: policy.fix,
    bound: policy.bound ?? {},
  };
  checkInteger('secretTtlSeconds', resolved.secretTtlSeconds, 10, 7200);
  checkInteger('maxBodyBytes', resolved.maxBodyBytes, 1, 16 * 1024 * 1024);
  checkInteger('maxInstructionLength', resolved.maxInstructionLength, 0, Number.MAX_SAFE_INTEGER);
  checkInteger('maxTools', resolved.maxTools, 0, Number.MAX_SAFE_INTEGER);
  checkInteger('maxToolBytes', resolved.maxToolBytes, 0, Number.MAX_SAFE_INTEGER);
  checkInteger('maxToolTextChars', resolved.maxToolTextChars, 0, Number.MAX_SAFE_INTEGER);
  if (!['append', 'refuse', 'ignore'].includes(resolved.clientInstructions)) {
    throw new InvalidConfigurationError('policy.clientInstructions must be "append", "refuse" or "ignore".');
  }
  const lists = [
    ['allowedModels', resolved.allowedModels],
    ['allowedVoices', resolved.allowedVoices],
    ['allowedTranscriptionModels', resolved.allowedTranscriptionModels],
  ] as const;
  for (const [name, list] of lists) checkNameList(name, list);
  if (!Array.isArray(resolved.allowedAdapters) || resolved.allowedAdapters.length === 0) {
    throw new InvalidConfigurationError('policy.allowedAdapters is empty.');
  }
  for (const adapter of resolved.allowedAdapters) {
    if (!REALTIME_ADAPTERS.includes(adapter)) throw new InvalidConfigurationError(`policy.allowedAdapters: unknown adapter "${adapter}".`);
  }
  for (const key of resolved.allowedProviderOptions) {
    if (POLICY_OWNED_WIRE_KEYS.includes(key) || key === '__proto__' || key === 'constructor' || key === 'prototype') {
      throw new InvalidConfigurationError(
        `policy.allowedProviderOptions: "${key}" is decided by the policy and cannot be left to the browser (set it with policy.fix instead).`,
      );
    }
  }
  checkBounds(resolved.bound);
  if (resolved.bound.reasoningEffort !== undefined && !isReasoningEffort(resolved.bound.reasoningEffort)) {
    throw new InvalidConfigurationError(`policy.bound.reasoningEffort must be one of ${REALTIME_REASONING_EFFORTS.join(', ')}.`);
  }
  if (resolved.fix) {
    // Checked here so a bad forced value is reported as the server's mistake, not the browser's 400.
    const checked = realtimeSessionConfigObjectSchema.safeParse(resolved.fix);
    if (!checked.success) {
      throw new InvalidConfigurationError(`policy.fix is not a valid session: ${describeIssue(checked.error.issues[0]!, ['fix']).message}`);
    }
    checkFixAgainstPolicy(resolved.fix, resolved);
  }
  return resolved;
}

function checkBounds(bound: ResolvedRealtimeRoutePolicy['bound']): void {
  if (typeof bound !== 'object' || bound === null) throw new InvalidConfigurationError('policy.bound must be an object.');
  if (bound.maxOutputTokens !== undefined) checkInteger('bound.maxOutputTokens', bound.maxOutputTokens, 1, 4096);
  if (bound.speed) checkRange('bound.speed', bound.speed, 0.25, 1.5, false);
  if (bound.idleTimeoutMs) checkRange('bound.idleTimeoutMs', bound.idleTimeoutMs, 5000, 30_000, true);
}

function checkRange(name: string, range: RealtimeRange, min: number, max: number, integer: boolean): void {
  for (const end of ['min', 'max'] as const) {
    const value = range[end];
    if (value === undefined) continue;
    const ok = typeof value === 'number' && (integer ? Number.isInteger(value) : Number.isFinite(value)) && value >= min && value <= max;
    if (!ok) throw new InvalidConfigurationError(`policy.${name}.${end} must be ${integer ? 'an integer' : 'a number'} between ${min} and ${max} (got ${value}).`);
  }
  if (range.min !== undefined && range.max !== undefined && range.min > range.max) {
    throw new InvalidConfigurationError(`policy.${name}: min (${range.min}) is above max (${range.max}).`);
  }
}

function checkNameList(name: string, list: string[] | undefined): void {
  if (list === undefined) return;
  if (!Array.isArray(list) || list.length === 0) throw new InvalidConfigurationError(`policy.${name} is empty: no session could be created.`);
  for (const entry of list) {
    if (typeof entry !== 'string' || entry.trim() === '' || entry !== entry.trim()) {
      throw new InvalidConfigurationError(`policy.${name}: ${JSON.stringify(entry)} is not a usable name (empty or with surrounding spaces).`);
    }
  }
}

function checkInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidConfigurationError(`policy.${name} must be an integer between ${min} and ${max} (got ${value}).`);
  }
}
