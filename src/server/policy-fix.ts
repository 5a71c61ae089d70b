/**
 * Start-up checks that the policy's forced fields (`fix`) agree with its own allow-lists and bounds:
 * a `fix` the policy would refuse from a browser is a deploy mistake, reported before the first request.
 * @packageDocumentation
 */
import { InvalidConfigurationError } from './errors.js';
import type { ResolvedRealtimeRoutePolicy } from './policy.js';
import type { RealtimeSessionConfig } from '../session/session-config.js';

/** Throws {@link InvalidConfigurationError} when `fix` contradicts the rest of the policy. */
export function checkFixAgainstPolicy(fix: Partial<RealtimeSessionConfig>, policy: ResolvedRealtimeRoutePolicy): void {
  const fail = (message: string): never => {
    throw new InvalidConfigurationError(`policy.fix contradicts the policy: ${message}`);
  };
  if (fix.model !== undefined && policy.allowedModels && !policy.allowedModels.includes(fix.model)) {
    fail(`model "${fix.model}" is not in allowedModels.`);
  }
  const voice = typeof fix.voice === 'object' ? fix.voice.id : fix.voice;
  if (voice !== undefined && policy.allowedVoices && !policy.allowedVoices.includes(voice)) {
    fail(`voice "${voice}" is not in allowedVoices.`);
  }
  const transcriptionModel = fix.inputTranscription?.model;
  if (transcriptionModel !== undefined && policy.allowedTranscriptionModels && !policy.allowedTranscriptionModels.includes(transcriptionModel)) {
    fail(`inputTranscription.model "${transcriptionModel}" is not in allowedTranscriptionModels.`);
  }
  if (fix.inputTranscription && !policy.transcription) fail('inputTranscription is set but transcription is false.');
  const maxTokens = policy.bound.maxOutputTokens;
  if (maxTokens !== undefined && fix.maxOutputTokens !== undefined && (fix.maxOutputTokens === 'inf' || fix.maxOutputTokens > maxTokens)) {
    fail(`maxOutputTokens ${fix.maxOutputTokens} is above bound.maxOutputTokens (${maxTokens}).`);
  }
  const speed = policy.bound.speed;
  if (speed && fix.speed !== undefined && (fix.speed < (speed.min ?? 0.25) || fix.speed > (speed.max ?? 1.5))) {
    fail(`speed ${fix.speed} is outside bound.speed.`);
  }
  const idle = policy.bound.idleTimeoutMs;
  const fixedIdle = fix.turnDetection?.type === 'server_vad' ? fix.turnDetection.idleTimeoutMs : undefined;
  if (idle && typeof fixedIdle === 'number' && (fixedIdle < (idle.min ?? 5000) || fixedIdle > (idle.max ?? 30_000))) {
    fail(`turnDetection.idleTimeoutMs ${fixedIdle} is outside bound.idleTimeoutMs.`);
  }
  if (fix.tools && policy.allowedTools) {
    const stray = fix.tools.find((tool) => !policy.allowedTools!.has(tool.name));
    if (stray) fail(`tool "${stray.name}" is not in allowedTools.`);
  }
}
