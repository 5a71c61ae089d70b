/**
 * The provider-neutral session configuration (camelCase). Transports and the server map it to a
 * provider's wire shape; the manager only merges and forwards it.
 * @packageDocumentation
 */
import type { JsonSchema } from './tools/schema.js';

/** A function tool as the provider sees it (parameters always JSON Schema). */
export interface RealtimeFunctionDefinition {
  type: 'function';
  name: string;
  description?: string;
  parameters: JsonSchema;
}

/** Server-side voice activity detection tuned by audio energy. */
export interface ServerVadTurnDetection {
  type: 'server_vad';
  /** Activation threshold in [0, 1]. */
  threshold?: number;
  /** Audio kept before detected speech, in ms. */
  prefixPaddingMs?: number;
  /** Silence that ends a turn, in ms. */
  silenceDurationMs?: number;
  /** Ask the model to respond after this much user silence, in ms. */
  idleTimeoutMs?: number;
  createResponse?: boolean;
  interruptResponse?: boolean;
}

/** Model-based turn detection that judges when the user has finished. */
export interface SemanticVadTurnDetection {
  type: 'semantic_vad';
  eagerness?: 'low' | 'medium' | 'high' | 'auto';
  createResponse?: boolean;
  interruptResponse?: boolean;
}

/** Transcription of the user's speech. */
export interface InputTranscriptionConfig {
  model?: string;
  language?: string;
  prompt?: string;
}

/**
 * A realtime session. Every field is optional: what is left out falls back to the transport's or the
 * server's provider defaults.
 */
export interface RealtimeSessionConfig {
  /** Provider name, for routes that serve more than one; `openai` by default. */
  provider?: string;
  model?: string;
  instructions?: string;
  voice?: string;
  /** Speech rate multiplier. */
  speed?: number;
  outputModalities?: Array<'audio' | 'text'>;
  maxOutputTokens?: number | 'inf';
  toolChoice?: 'auto' | 'none' | 'required' | { type: 'function'; name: string };
  /** `null` turns detection off: the page drives turns (push-to-talk). */
  turnDetection?: ServerVadTurnDetection | SemanticVadTurnDetection | null;
  /** `null` turns transcription of the user's speech off. */
  inputTranscription?: InputTranscriptionConfig | null;
  noiseReduction?: 'near_field' | 'far_field' | null;
  /** Tools: set by the manager from its registry; a `tools` field passed by callers is ignored. */
  tools?: RealtimeFunctionDefinition[];
  /** Escape hatch for provider fields not modelled here; merged into the wire session as is. */
  providerOptions?: Record<string, unknown>;
}

/** Token usage of one response, as reported by the provider. */
export interface RealtimeUsage {
  totalTokens?: number;
  inputTokens?: number;
  outputTokens?: number;
  /** Provider-specific details (cached tokens, audio/text split, …). */
  details?: Record<string, unknown>;
}
