/**
 * Applies the resolved policy to the session a browser asked for: refuses what is not allowed (400
 * `policy_violation` naming the field) and returns the session to create.
 * @packageDocumentation
 */
import { PolicyViolationError } from './errors.js';
import type { ResolvedRealtimeRoutePolicy } from './policy.js';
import { applySurfacePolicy } from './policy-surface.js';
import { applyToolPolicy } from './policy-tools.js';
import type { RealtimeSessionConfig } from '../session/session-config.js';
import { composeInstructions } from '../session/session-policy.js';

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

  const model = pickAllowed('session.model', session.model, policy.allowedModels, providerDefaults.model);
  if (model !== undefined) session.model = model;
  // A custom voice `{ id }` is checked by applySurfacePolicy, by its id.
  if (typeof session.voice !== 'object') {
    const voice = pickAllowed('session.voice', session.voice, policy.allowedVoices, providerDefaults.voice);
    if (voice !== undefined) session.voice = voice;
  }

  const instructions = combineInstructions(session.instructions, policy);
  if (instructions === undefined) delete session.instructions;
  else session.instructions = instructions;

  if (session.tools) session.tools = applyToolPolicy(session.tools, policy);

  if (!policy.transcription) session.inputTranscription = null;
  else if (session.inputTranscription) {
    const transcriptionModel = pickAllowed('session.inputTranscription.model', session.inputTranscription.model, policy.allowedTranscriptionModels, undefined);
    if (transcriptionModel !== undefined) session.inputTranscription = { ...session.inputTranscription, model: transcriptionModel };
  }

  applySurfacePolicy(session, policy);

  if (policy.fix) Object.assign(session, policy.fix);

  applyBounds(session, policy.bound);
  return session;
}

/**
 * Checks a browser-named value against an allow-list (exactly: `GPT-realtime`, `gpt-realtime ` and
 * look-alike letters are other names), or picks the fallback when none was named.
 */
function pickAllowed(field: string, requested: string | undefined, allowed: string[] | undefined, providerDefault: string | undefined): string | undefined {
  if (!allowed) return requested;
  if (requested !== undefined) {
    if (!allowed.includes(requested)) {
      throw new PolicyViolationError(`${field} ${JSON.stringify(requested)} is not allowed; allowed: ${allowed.join(', ')}.`, field);
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
  const idle = bound.idleTimeoutMs;
  const detection = session.turnDetection;
  if (idle && detection?.type === 'server_vad' && typeof detection.idleTimeoutMs === 'number') {
    const min = idle.min ?? 5000;
    const max = idle.max ?? 30_000;
    if (detection.idleTimeoutMs < min || detection.idleTimeoutMs > max) {
      throw new PolicyViolationError(
        `session.turnDetection.idleTimeoutMs must be between ${min} and ${max} ms on this server, or null (got ${detection.idleTimeoutMs}).`,
        'session.turnDetection.idleTimeoutMs',
      );
    }
  }
}
