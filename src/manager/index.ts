export { createRealtimeManager } from './realtime-manager.js';
export { defineTool } from './define-tool.js';
export {
  buildCharacterInstructions,
  buildRealtimeSessionConfig,
  DEFAULT_REALTIME_AGENT_INSTRUCTIONS,
} from './instructions.js';
export type { BuildSessionConfigOptions } from './instructions.js';
export {
  RealtimeAbortError,
  RealtimeError,
  RealtimePolicyError,
  RealtimeStartError,
  RealtimeStateError,
  RealtimeUpdateError,
} from './errors.js';
export type { RealtimeErrorCode } from './errors.js';
export { backoffDelay, DEFAULT_RECONNECT } from './backoff.js';
export { DEFAULT_HISTORY_LIMITS } from './history.js';
export { DEFAULT_METRICS_TURNS, DEFAULT_RESPONSE_TIMEOUT_MS, DEFAULT_TOOL_TIMEOUT_MS } from './options.js';
export { DEFAULT_ROLLOVER_AFTER_MS, DEFAULT_ROLLOVER_RETRY_MS } from './rollover.js';
export { DEFAULT_IMAGE_OPTIONS } from './image-input.js';
export type { RealtimeImageInfo, RealtimeImageOptions, RealtimeImageSource } from './image-input.js';
export { estimateCost, tokenCounts } from './token-costs.js';
export type { RealtimePriceTable, RealtimeTokenCounts, RealtimeTokenPrices } from './prices.js';
export type { RealtimeConnectMetrics, RealtimeMetrics, RealtimeTurnMetrics, RealtimeTurnTrigger } from './metrics.js';
export { browserWakeLock } from './wake-lock.js';
export type { WakeLockEnvironment, WakeLockHandle } from './wake-lock.js';
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
  InputTranscriptionConfig,
  RealtimeFunctionToolDefinition,
  RealtimeSessionConfig,
  RealtimeUsage,
  SemanticVadTurnDetection,
  ServerVadTurnDetection,
} from './session-config.js';
export type {
  ConnectionStatus,
  HistoryOptions,
  MicrophoneStatus,
  NetworkStatus,
  RealtimeCharacter,
  RealtimeEventEmitter,
  RealtimeLogger,
  RealtimeManager,
  RealtimeManagerEventMap,
  RealtimeManagerEventName,
  RealtimeManagerOptions,
  RealtimeState,
  RealtimeToolContext,
  RealtimeToolExecution,
  RealtimeToolList,
  RealtimeToolOf,
  RealtimeToolParameters,
  RealtimeToolRegistration,
  RealtimeToolResult,
  RealtimeToolResultProjector,
  ReconnectOptions,
  ResponseStatus,
  RolloverOptions,
  SessionStatus,
  StartSessionOptions,
  ToolErrorCode,
} from './types.js';
export type { JsonSchema } from './tools/schema.js';
export type { JsonSchemaType, ToolArguments } from './tools/arguments-type.js';
