/**
 * The server's say over what a browser may ask for. The browser is untrusted: it may name any model,
 * voice, instructions or tools; the policy decides what reaches the provider (and the bill).
 * @packageDocumentation
 */
import type { RealtimeAdapter } from './bootstrap.js';
import { REALTIME_ADAPTERS } from './bootstrap.js';
import { InvalidConfigurationError, PolicyViolationError } from './errors.js';
import { describeIssue, realtimeSessionConfigObjectSchema, type RealtimeSessionConfig } from '../session/session-config.js';
import { composeInstructions } from '../session/session-policy.js';

/** What the route allows. Every field is optional; the defaults are noted on each. */
export interface RealtimeRoutePolicy {
  /**
   * Adapters the route makes bootstraps for. Default: the three Realtime adapters; GPT-Live
   * (`openai-live-webrtc`, billed by the second) is enabled only when listed here.
   */
  allowedAdapters?: RealtimeAdapter[];
  /**
   * Models the browser may name. When the browser names none, the provider's default is used if it
   * is listed, else the first entry. Default: any.
   */
  allowedModels?: string[];
  /** Voices the browser may name; same fallback rule as `allowedModels`. Default: any. */
  allowedVoices?: string[];
  /** Server-owned instructions; they always come first and the browser cannot remove them. */
  instructions?: string;
  /**
   * What to do with instructions the browser sends: `append` them after the server's (default),
   * `refuse` the request, or `ignore` them.
   */
  clientInstructions?: 'append' | 'refuse' | 'ignore';
  /** Longest browser instructions accepted, in characters. Default 8000. */
  maxInstructionLength?: number;
  /** Most tools a session may declare. Default 32. */
  maxTools?: number;
  /** Largest tools array, as UTF-8 JSON bytes. Default 32768. */
  maxToolBytes?: number;
  /** Largest request body in bytes. Default 65536 (64 KiB). */
  maxBodyBytes?: number;
  /** Whether the browser may turn on input transcription; `false` forces it off. Default `true`. */
  transcription?: boolean;
  /** Client secret lifetime in seconds, 10–7200. Default 60. */
  secretTtlSeconds?: number;
  /**
   * Origins (`https://app.example`) allowed to call the route, or `'*'` for any. Checked when the
   * request has an `Origin` header. Default: only the route's own host.
   */
  allowedOrigins?: string[] | '*';
  /** `providerOptions` keys the browser may set. Default: none (any key is refused). */
  allowedProviderOptions?: string[];
  /** Session fields the server forces, whatever the browser sent (applied last). */
  fix?: Partial<RealtimeSessionConfig>;
  /** Tighter bounds than the schema's for numeric fields; values outside are refused. */
  bound?: {
    speed?: { min?: number; max?: number };
    /** Highest `maxOutputTokens`; also used when the browser sets none (and `'inf'` is refused). */
    maxOutputTokens?: number;
  };
}

/** A policy with every default filled in and every number checked. */
export interface ResolvedRealtimeRoutePolicy extends Required<Omit<RealtimeRoutePolicy, 'allowedModels' | 'allowedVoices' | 'instructions' | 'allowedOrigins' | 'fix' | 'bound'>> {
  allowedModels: string[] | undefined;
  allowedVoices: string[] | undefined;
  instructions: string | undefined;
  allowedOrigins: string[] | '*' | undefined;
  fix: Partial<RealtimeSessionConfig> | undefined;
  bound: NonNullable<RealtimeRoutePolicy['bound']>;
}

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/** Fills defaults and checks ranges; throws {@link InvalidConfigurationError} on nonsense so a bad deploy fails at start-up. */
export function resolvePolicy(policy: RealtimeRoutePolicy = {}): ResolvedRealtimeRoutePolicy {
  const resolved: ResolvedRealtimeRoutePolicy = {
    allowedAdapters: policy.allowedAdapters ?? REALTIME_ADAPTERS.filter((adapter) => adapter !== 'openai-live-webrtc'),
    allowedModels: policy.allowedModels,
    allowedVoices: policy.allowedVoices,
    instructions: policy.instructions,
    clientInstructions: policy.clientInstructions ?? 'append',
    maxInstructionLength: policy.maxInstructionLength ?? 8000,
    maxTools: policy.maxTools ?? 32,
    maxToolBytes: policy.maxToolBytes ?? 32 * 1024,
    maxBodyBytes: policy.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    transcription: policy.transcription ?? true,
    secretTtlSeconds: policy.secretTtlSeconds ?? 60,
    allowedOrigins: policy.allowedOrigins,
    allowedProviderOptions: policy.allowedProviderOptions ?? [],
    fix: policy.fix,
    bound: policy.bound ?? {},
  };
  checkInteger('secretTtlSeconds', resolved.secretTtlSeconds, 10, 7200);
  checkInteger('maxBodyBytes', resolved.maxBodyBytes, 1, 16 * 1024 * 1024);
  checkInteger('maxInstructionLength', resolved.maxInstructionLength, 0, Number.MAX_SAFE_INTEGER);
  checkInteger('maxTools', resolved.maxTools, 0, Number.MAX_SAFE_INTEGER);
  checkInteger('maxToolBytes', resolved.maxToolBytes, 0, Number.MAX_SAFE_INTEGER);
  if (!['append', 'refuse', 'ignore'].includes(resolved.clientInstructions)) {
    throw new InvalidConfigurationError('policy.clientInstructions must be "append", "refuse" or "ignore".');
  }
  for (const [name, list] of [['allowedModels', resolved.allowedModels], ['allowedVoices', resolved.allowedVoices]] as const) {
    if (list && list.length === 0) throw new InvalidConfigurationError(`policy.${name} is empty: no session could be created.`);
  }
  if (resolved.allowedAdapters.length === 0) throw new InvalidConfigurationError('policy.allowedAdapters is empty.');
  if (resolved.bound.maxOutputTokens !== undefined) checkInteger('bound.maxOutputTokens', resolved.bound.maxOutputTokens, 1, 4096);
  if (resolved.fix) {
    // Checked here so a bad forced value is reported as the server's mistake, not the browser's 400.
    const checked = realtimeSessionConfigObjectSchema.safeParse(resolved.fix);
    if (!checked.success) {
      throw new InvalidConfigurationError(`policy.fix is not a valid session: ${describeIssue(checked.error.issues[0]!, ['fix']).message}`);
    }
  }
  return resolved;
}

function checkInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidConfigurationError(`policy.${name} must be an integer between ${min} and ${max} (got ${value}).`);
  }
}

/**
 * Applies the policy to the session the browser asked for and returns the one to create. Throws
 * {@link PolicyViolationError} naming the field when the request asks for something not allowed.
 */
export function applyPolicy(
  requested: RealtimeSessionConfig | undefined,
  policy: ResolvedRealtimeRoutePolicy,
  providerDefaults: { model?: string; voice?: string } = {},
): RealtimeSessionConfig {
  const session: RealtimeSessionConfig = { ...requested };

  if (session.providerOptions) {
    for (const key of Object.keys(session.providerOptions)) {
      if (!policy.allowedProviderOptions.includes(key)) {
        throw new PolicyViolationError(`session.providerOptions.${key} is not allowed by this server.`, `session.providerOptions.${key}`);
      }
    }
  }

  const model = pickAllowed('model', session.model, policy.allowedModels, providerDefaults.model);
  if (model !== undefined) session.model = model;
  const voice = pickAllowed('voice', session.voice, policy.allowedVoices, providerDefaults.voice);
  if (voice !== undefined) session.voice = voice;

  const instructions = combineInstructions(session.instructions, policy);
  if (instructions === undefined) delete session.instructions;
  else session.instructions = instructions;

  if (session.tools) {
    if (session.tools.length > policy.maxTools) {
      throw new PolicyViolationError(`session.tools: at most ${policy.maxTools} tools are allowed (got ${session.tools.length}).`, 'session.tools');
    }
    const bytes = new TextEncoder().encode(JSON.stringify(session.tools)).byteLength;
    if (bytes > policy.maxToolBytes) {
      throw new PolicyViolationError(`session.tools: at most ${policy.maxToolBytes} bytes of tool definitions are allowed (got ${bytes}).`, 'session.tools');
    }
  }

  if (!policy.transcription) session.inputTranscription = null;

  if (policy.fix) Object.assign(session, policy.fix);

  applyBounds(session, policy.bound);
  return session;
}

/** Checks a browser-named value against an allow-list, or picks the fallback when none was named. */
function pickAllowed(field: 'model' | 'voice', requested: string | undefined, allowed: string[] | undefined, providerDefault: string | undefined): string | undefined {
  if (!allowed) return requested;
  if (requested !== undefined) {
    if (!allowed.includes(requested)) {
      throw new PolicyViolationError(`session.${field} "${requested}" is not allowed; allowed: ${allowed.join(', ')}.`, `session.${field}`);
    }
    return requested;
  }
  return providerDefault !== undefined && allowed.includes(providerDefault) ? providerDefault : allowed[0];
}

function combineInstructions(client: string | undefined, policy: ResolvedRealtimeRoutePolicy): string | undefined {
  const fromClient = client !== undefined && client.trim() !== '' ? client : undefined;
  if (fromClient !== undefined) {
    if (policy.clientInstructions === 'refuse') {
      throw new PolicyViolationError('session.instructions: this server does not accept instructions from the browser.', 'session.instructions');
    }
    if (policy.clientInstructions === 'append' && fromClient.length > policy.maxInstructionLength) {
      throw new PolicyViolationError(
        `session.instructions: at most ${policy.maxInstructionLength} characters are allowed (got ${fromClient.length}).`,
        'session.instructions',
      );
    }
  }
  // The browser composes live updates with the same function (src/session/session-policy.ts).
  return composeInstructions(policy.instructions, fromClient, policy.clientInstructions);
}

function applyBounds(session: RealtimeSessionConfig, bound: ResolvedRealtimeRoutePolicy['bound']): void {
  const speed = bound.speed;
  if (speed && session.speed !== undefined) {
    const min = speed.min ?? 0.25;
    const max = speed.max ?? 1.5;
    if (session.speed < min || session.speed > max) {
      throw new PolicyViolationError(`session.speed must be between ${min} and ${max} on this server (got ${session.speed}).`, 'session.speed');
    }
  }
  const maxTokens = bound.maxOutputTokens;
  if (maxTokens !== undefined) {
    if (session.maxOutputTokens === undefined) session.maxOutputTokens = maxTokens;
    else if (session.maxOutputTokens === 'inf' || session.maxOutputTokens > maxTokens) {
      throw new PolicyViolationError(
        `session.maxOutputTokens must be an integer between 1 and ${maxTokens} on this server (got ${session.maxOutputTokens}).`,
        'session.maxOutputTokens',
      );
    }
  }
}
