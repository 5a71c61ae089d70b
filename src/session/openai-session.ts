/**
 * Maps our camelCase {@link RealtimeSessionConfig} to OpenAI's GA realtime session object (the
 * `session` of `POST /realtime/client_secrets` and of the multipart `POST /realtime/calls`).
 * Pure and Web-only so it can be tested alone and reused by any runtime.
 * @packageDocumentation
 */
import type {
  RealtimeInputTranscription,
  RealtimePromptReference,
  RealtimeSessionConfig,
  RealtimeTruncation,
  RealtimeTurnDetection,
} from './session-config.js';

/** OpenAI's audio format object. We always ask for 24 kHz PCM: WebRTC ignores it, WebSocket needs it. */
export interface OpenAIAudioFormat {
  type: 'audio/pcm' | 'audio/pcmu' | 'audio/pcma';
  rate?: 24000;
}

/** OpenAI's GA realtime session object, as far as we write it. Extra keys come from `providerOptions`. */
export interface OpenAIRealtimeSession {
  type: 'realtime';
  model: string;
  instructions?: string;
  output_modalities?: Array<'audio' | 'text'>;
  audio: {
    input: {
      format: OpenAIAudioFormat;
      transcription?: OpenAITranscription | null;
      noise_reduction?: { type: 'near_field' | 'far_field' } | null;
      turn_detection?: Record<string, unknown> | null;
    };
    output: { voice: string | { id: string }; speed?: number; format: OpenAIAudioFormat };
  };
  tools?: Array<{ type: 'function'; name: string; description?: string; parameters?: Record<string, unknown> }>;
  tool_choice?: 'auto' | 'none' | 'required' | { type: 'function'; name: string };
  max_output_tokens?: number | 'inf';
  reasoning?: { effort?: 'minimal' | 'low' | 'medium' | 'high' | 'xhigh' };
  truncation?: 'auto' | 'disabled' | { type: 'retention_ratio'; retention_ratio: number; token_limits?: { post_instructions?: number } };
  prompt?: { id: string; version?: string; variables?: Record<string, string> } | null;
  [providerOption: string]: unknown;
}

/** OpenAI's input transcription object (`AudioTranscription`). */
export interface OpenAITranscription {
  model?: string;
  language?: string;
  languages?: string[];
  prompt?: string;
  keywords?: string[];
  delay?: 'minimal' | 'low' | 'medium' | 'high' | 'xhigh';
}

/** Values used when the session leaves model or voice out. */
export interface OpenAISessionDefaults {
  model: string;
  voice: string;
}

const PCM_24K: OpenAIAudioFormat = { type: 'audio/pcm', rate: 24000 };

/**
 * Builds the wire session. Fields the config leaves out are left out (OpenAI's defaults apply),
 * except model and voice, which always get a value so the session is deterministic; `null` is kept
 * because it is how OpenAI turns a feature off.
 */
export function toOpenAISession(config: RealtimeSessionConfig, defaults: OpenAISessionDefaults): OpenAIRealtimeSession {
  const input: OpenAIRealtimeSession['audio']['input'] = { format: { ...PCM_24K } };
  if (config.inputTranscription !== undefined) {
    input.transcription = config.inputTranscription === null ? null : mapTranscription(config.inputTranscription);
  }
  if (config.noiseReduction !== undefined) {
    input.noise_reduction = config.noiseReduction === null ? null : { type: config.noiseReduction };
  }
  if (config.turnDetection !== undefined) input.turn_detection = mapTurnDetection(config.turnDetection);

  const output: OpenAIRealtimeSession['audio']['output'] = {
    voice: typeof config.voice === 'object' ? { id: config.voice.id } : (config.voice ?? defaults.voice),
    format: { ...PCM_24K },
  };
  if (config.speed !== undefined) output.speed = config.speed;

  const mapped: OpenAIRealtimeSession = {
    type: 'realtime',
    model: config.model ?? defaults.model,
    audio: { input, output },
  };
  if (config.instructions !== undefined) mapped.instructions = config.instructions;
  if (config.outputModalities !== undefined) mapped.output_modalities = [...config.outputModalities];
  if (config.tools !== undefined) {
    mapped.tools = config.tools.map((tool) =>
      definedOnly({ type: 'function' as const, name: tool.name, description: tool.description, parameters: tool.parameters }),
    );
  }
  if (config.toolChoice !== undefined) {
    mapped.tool_choice = typeof config.toolChoice === 'string' ? config.toolChoice : { type: 'function', name: config.toolChoice.name };
  }
  if (config.maxOutputTokens !== undefined) mapped.max_output_tokens = config.maxOutputTokens;
  if (config.reasoning !== undefined) mapped.reasoning = definedOnly({ effort: config.reasoning.effort });
  if (config.truncation !== undefined) mapped.truncation = mapTruncation(config.truncation);
  if (config.prompt !== undefined) mapped.prompt = config.prompt === null ? null : mapPrompt(config.prompt);

  // providerOptions fill in what we do not map (tracing, include, …); the mapped,
  // policy-checked fields win where both speak, and the session type is never overridable.
  const merged = config.providerOptions ? (deepMerge(config.providerOptions, mapped) as OpenAIRealtimeSession) : mapped;
  merged.type = 'realtime';
  return merged;
}

function mapTurnDetection(detection: RealtimeTurnDetection | null): Record<string, unknown> | null {
  if (detection === null) return null;
  if (detection.type === 'server_vad') {
    return definedOnly({
      type: 'server_vad',
      threshold: detection.threshold,
      prefix_padding_ms: detection.prefixPaddingMs,
      silence_duration_ms: detection.silenceDurationMs,
      idle_timeout_ms: detection.idleTimeoutMs,
      create_response: detection.createResponse,
      interrupt_response: detection.interruptResponse,
    });
  }
  return definedOnly({
    type: 'semantic_vad',
    eagerness: detection.eagerness,
    create_response: detection.createResponse,
    interrupt_response: detection.interruptResponse,
  });
}

/** Copies field by field (arrays too), so the wire object shares nothing with the config. */
function mapTranscription(transcription: RealtimeInputTranscription): OpenAITranscription {
  return definedOnly({
    model: transcription.model,
    language: transcription.language,
    languages: transcription.languages && [...transcription.languages],
    prompt: transcription.prompt,
    keywords: transcription.keywords && [...transcription.keywords],
    delay: transcription.delay,
  });
}

function mapTruncation(truncation: RealtimeTruncation): NonNullable<OpenAIRealtimeSession['truncation']> {
  if (typeof truncation === 'string') return truncation;
  const mapped: NonNullable<OpenAIRealtimeSession['truncation']> = { type: 'retention_ratio', retention_ratio: truncation.retentionRatio };
  if (truncation.tokenLimits !== undefined) {
    mapped.token_limits = definedOnly({ post_instructions: truncation.tokenLimits.postInstructions });
  }
  return mapped;
}

function mapPrompt(prompt: RealtimePromptReference): NonNullable<OpenAIRealtimeSession['prompt']> {
  return definedOnly({ id: prompt.id, version: prompt.version, variables: prompt.variables && { ...prompt.variables } });
}

/** Drops `undefined` values so the JSON carries only what was set. */
function definedOnly<T extends Record<string, unknown>>(value: T): T {
  for (const key of Object.keys(value)) if (value[key] === undefined) delete value[key];
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Merges `top` over `base`, recursing into plain objects; arrays and scalars are replaced. */
function deepMerge(base: Record<string, unknown>, top: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(top)) {
    const below = out[key];
    out[key] = isPlainObject(below) && isPlainObject(value) ? deepMerge(below, value) : value;
  }
  return out;
}
