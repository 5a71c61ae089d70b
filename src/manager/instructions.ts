/**
 * Provider-neutral instructions: the generic spoken-output and tool-use rules, plus the character's
 * identity folded in. No provider or model defaults live here (those belong to transports and the server).
 * @packageDocumentation
 */
import type { RealtimeSessionConfig } from './session-config.js';
import type { RealtimeCharacter } from './types.js';

/** Generic rules for a spoken, in-character realtime assistant. */
export const DEFAULT_REALTIME_AGENT_INSTRUCTIONS = [
  'You are speaking with the user in a live voice conversation.',
  'Answer in short, natural spoken sentences; avoid lists, markdown, code blocks and URLs unless asked.',
  'Do not describe actions or stage directions in brackets or asterisks; speak only what should be heard.',
  'Stay in character and keep a consistent voice and personality.',
  'Use tools only when they clearly help the user or the scene; never invent tool results.',
  'If a tool fails, say so briefly and continue the conversation.',
].join('\n');

/** Options of {@link buildRealtimeSessionConfig}. */
export interface BuildSessionConfigOptions {
  character?: RealtimeCharacter | null;
  /** Fields to keep; its `instructions` are appended after the generated ones. */
  baseConfig?: RealtimeSessionConfig;
}

/** Builds the instruction block that introduces a character. */
export function buildCharacterInstructions(character: RealtimeCharacter): string {
  const lines = [`You are ${character.name}.`];
  if (character.description) lines.push(character.description.trim());
  if (character.personality) lines.push(`Personality: ${character.personality.trim()}`);
  return lines.join('\n');
}

/**
 * Folds the character (identity, description, personality, `voice.voiceId`) and the default rules into
 * a session config. `baseConfig.instructions` are kept after the generated block; an explicit
 * `baseConfig.voice` wins over the character's voice.
 */
export function buildRealtimeSessionConfig(options: BuildSessionConfigOptions = {}): RealtimeSessionConfig {
  const { character, baseConfig = {} } = options;
  const parts = [character ? buildCharacterInstructions(character) : '', DEFAULT_REALTIME_AGENT_INSTRUCTIONS];
  if (baseConfig.instructions?.trim()) parts.push(baseConfig.instructions.trim());
  const config: RealtimeSessionConfig = { ...baseConfig, instructions: parts.filter(Boolean).join('\n\n') };
  const voice = baseConfig.voice ?? character?.voice?.voiceId;
  if (voice) config.voice = voice;
  return config;
}
