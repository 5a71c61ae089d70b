/**
 * The provider-neutral session configuration. Its types and zod schema live in
 * `src/session/session-config.ts`, shared with the server route so the two sides cannot drift; this
 * module re-exports them for the manager and adds the usage shape.
 * @packageDocumentation
 */
export type {
  RealtimeCustomVoice,
  RealtimeModel,
  RealtimePromptReference,
  RealtimeReasoning,
  RealtimeReasoningEffort,
  RealtimeRetentionRatioTruncation,
  RealtimeTranscriptionDelay,
  RealtimeTranscriptionModel,
  RealtimeTruncation,
  RealtimeVoice,
  RealtimeVoiceName,
  RealtimeFunctionToolDefinition,
  RealtimeInputTranscription as InputTranscriptionConfig,
  RealtimeSessionConfig,
  RealtimeToolChoice,
  RealtimeTurnDetection,
  SemanticVadTurnDetection,
  ServerVadTurnDetection,
} from '../session/session-config.js';

/**
 * Usage as reported by the provider: tokens of one response, and (GPT-Live, billed by the second)
 * the session's audio seconds so far. Every field is optional; a report carries what the provider said.
 */
export interface RealtimeUsage {
  totalTokens?: number;
  inputTokens?: number;
  outputTokens?: number;
  /** GPT-Live: cumulative audio seconds of the session (a running total; do not add reports up). */
  seconds?: number;
  /** GPT-Live: share of the model's context window in use, in [0, 1], when known. */
  contextUsageRatio?: number;
  /** Provider-specific details (cached tokens, audio/text split, …). */
  details?: Record<string, unknown>;
}
