/**
 * The provider-neutral session configuration. Its types and zod schema live in
 * `src/session/session-config.ts`, shared with the server route so the two sides cannot drift; this
 * module re-exports them for the manager and adds the usage shape.
 * @packageDocumentation
 */
export type {
  RealtimeFunctionToolDefinition,
  RealtimeInputTranscription as InputTranscriptionConfig,
  RealtimeSessionConfig,
  RealtimeToolChoice,
  RealtimeTurnDetection,
  SemanticVadTurnDetection,
  ServerVadTurnDetection,
} from '../session/session-config.js';

/** Token usage of one response, as reported by the provider. */
export interface RealtimeUsage {
  totalTokens?: number;
  inputTokens?: number;
  outputTokens?: number;
  /** Provider-specific details (cached tokens, audio/text split, …). */
  details?: Record<string, unknown>;
}
