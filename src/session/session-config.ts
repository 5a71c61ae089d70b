/**
 * The realtime session configuration the browser asks for, in our camelCase vocabulary, with the zod
 * schema that checks it at the server boundary. Provider-neutral: OpenAI's wire names appear only in
 * the OpenAI provider's mapping.
 *
 * Kept in one file, free of Node imports, so the browser side can import the same schema and the two
 * sides cannot drift.
 * @packageDocumentation
 */
// zod/mini: the manager parses with this schema in the first-load bundle, where classic zod would
// add ~90 KB gzip; mini keeps only the checks used here.
import * as z from 'zod/mini';
import { REALTIME_REASONING_EFFORTS, type RealtimeReasoningEffort } from './reasoning-efforts.js';

/** Server-side voice activity detection: silence after speech ends the user's turn. */
export interface ServerVadTurnDetection {
  type: 'server_vad';
  /** Activation threshold, 0–1; higher needs louder audio. */
  threshold?: number;
  /** Audio kept from before speech was detected, in ms (0–10000). */
  prefixPaddingMs?: number;
  /** Silence that ends a turn, in ms (0–10000). */
  silenceDurationMs?: number;
  /** After this much silence (5000–30000 ms) the model is prompted to respond; `null` turns it off. */
  idleTimeoutMs?: number | null;
  /** Start a response automatically when the turn ends. */
  createResponse?: boolean;
  /** Let the user's speech interrupt a response in progress. */
  interruptResponse?: boolean;
}

/** Semantic voice activity detection: a model judges whether the user has finished. */
export interface SemanticVadTurnDetection {
  type: 'semantic_vad';
  /** How eagerly the model takes the turn. */
  eagerness?: 'low' | 'medium' | 'high' | 'auto';
  createResponse?: boolean;
  interruptResponse?: boolean;
}

/** Turn detection: one of the two VAD modes, or `null` for push-to-talk. */
export type RealtimeTurnDetection = ServerVadTurnDetection | SemanticVadTurnDetection;

/**
 * Transcription models OpenAI documents (`openai` 7.60). Any other model id is accepted too (1–100
 * characters): the provider decides. `gpt-4o-transcribe-diarize` adds speaker labels;
 * `gpt-realtime-whisper` takes `delay` but no `prompt`; `gpt-transcribe` and `gpt-live-transcribe`
 * take `keywords` and `languages`.
 */
export type RealtimeTranscriptionModel =
  | 'gpt-transcribe'
  | 'gpt-live-transcribe'
  | 'gpt-realtime-whisper'
  | 'gpt-4o-transcribe'
  | 'gpt-4o-transcribe-diarize'
  | 'gpt-4o-mini-transcribe'
  | 'gpt-4o-mini-transcribe-2025-12-15'
  | 'whisper-1'
  | (string & {});

/** How long transcription waits before emitting text: more delay, more accuracy (`gpt-realtime-whisper`). */
export type RealtimeTranscriptionDelay = 'minimal' | 'low' | 'medium' | 'high' | 'xhigh';

/** Transcription of the user's audio (runs beside the model; guidance, not what the model heard). */
export interface RealtimeInputTranscription {
  model?: RealtimeTranscriptionModel;
  /** ISO-639-1 language code, e.g. `en`. */
  language?: string;
  /** Possible languages of the input (ISO-639-1, 1–16 of them; `gpt-transcribe`, `gpt-live-transcribe`). */
  languages?: string[];
  /** Free text guiding the transcription's style (up to 4000 characters; not for `gpt-realtime-whisper`). */
  prompt?: string;
  /** Words or phrases to listen for (up to 100, each 1–100 characters; `gpt-transcribe`, `gpt-live-transcribe`). */
  keywords?: string[];
  /** Latency against accuracy (`gpt-realtime-whisper` only). */
  delay?: RealtimeTranscriptionDelay;
}

/**
 * Realtime models OpenAI documents (`openai` 7.60); any other id is accepted too. The
 * `gpt-realtime-2` family reasons before it answers: tune it with {@link RealtimeSessionConfig.reasoning}.
 */
export type RealtimeModel =
  | 'gpt-realtime-2'
  | 'gpt-realtime-2.1'
  | 'gpt-realtime-2.1-mini'
  | 'gpt-realtime-1.5'
  | 'gpt-realtime'
  | 'gpt-realtime-mini'
  | 'gpt-audio-1.5'
  | 'gpt-audio-mini'
  | (string & {});

/** Built-in voices (`marin` and `cedar` sound best); any other name is passed through. */
export type RealtimeVoiceName = 'alloy' | 'ash' | 'ballad' | 'coral' | 'echo' | 'sage' | 'shimmer' | 'verse' | 'marin' | 'cedar' | (string & {});

/** A custom voice made from audio samples, by its id (`{ id: 'voice_1234' }`). */
export interface RealtimeCustomVoice {
  /** 1–128 characters. */
  id: string;
}

/** The voice: a built-in name or a custom voice. Fixed once the model has spoken. */
export type RealtimeVoice = RealtimeVoiceName | RealtimeCustomVoice;

export type { RealtimeReasoningEffort } from './reasoning-efforts.js';
export { REALTIME_REASONING_EFFORTS } from './reasoning-efforts.js';

/** Reasoning settings of the `gpt-realtime-2` family. */
export interface RealtimeReasoning {
  effort?: RealtimeReasoningEffort;
}

/**
 * When the conversation outgrows the model's input limit: `'auto'` drops the oldest messages,
 * `'disabled'` makes the response fail instead, and `retention_ratio` drops enough to keep only
 * that fraction, so truncations (and cache misses) come less often.
 */
export type RealtimeTruncation = 'auto' | 'disabled' | RealtimeRetentionRatioTruncation;

/** Truncation that keeps a fraction of the post-instruction tokens. */
export interface RealtimeRetentionRatioTruncation {
  type: 'retention_ratio';
  /** Fraction of the post-instruction tokens to keep, 0–1 (0.8 drops messages until 80 % of the limit is used). */
  retentionRatio: number;
  tokenLimits?: {
    /** Most conversation tokens after the instructions (tools included) before truncating, 0–1 000 000. */
    postInstructions?: number;
  };
}

/**
 * A reusable prompt stored with the provider (OpenAI's dashboard), by id. Its text becomes the
 * session's instructions, with `variables` filled in. Variables are plain strings here: file and
 * image inputs are left out on purpose (a page must not point the model at stored files).
 */
export interface RealtimePromptReference {
  /** The prompt's id, e.g. `pmpt_123` (1–128 characters). */
  id: string;
  /** A version of the prompt (1–64 characters); the current one when left out. */
  version?: string;
  /** Values for the prompt's `{{variables}}`: up to 64, names 1–64 characters, values up to 8000. */
  variables?: Record<string, string>;
}

/** A function the model may call. `parameters` is a JSON Schema object. */
export interface RealtimeFunctionToolDefinition {
  type: 'function';
  /** 1–64 letters, digits, `_` or `-`. */
  name: string;
  description?: string;
  parameters?: Record<string, unknown>;
}

/** Which tool the model should use: a mode, or one named function. */
export type RealtimeToolChoice = 'auto' | 'none' | 'required' | { type: 'function'; name: string };

/** A realtime session as the browser asks for it. Every field is optional: the server fills defaults. */
export interface RealtimeSessionConfig {
  /** Which provider the session is meant for (informational; the route checks it matches). */
  provider?: string;
  model?: RealtimeModel;
  instructions?: string;
  /** A built-in voice name or a custom voice `{ id }`. */
  voice?: RealtimeVoice;
  /** Speech speed multiplier, 0.25–1.5. */
  speed?: number;
  /** `['audio']` (speech plus transcript) or `['text']`; providers answer in one modality. */
  outputModalities?: Array<'audio' | 'text'>;
  /** Cap per response, 1–4096 tokens, or `'inf'`. */
  maxOutputTokens?: number | 'inf';
  toolChoice?: RealtimeToolChoice;
  tools?: RealtimeFunctionToolDefinition[];
  /** `null` turns turn detection off. */
  turnDetection?: RealtimeTurnDetection | null;
  /** `null` turns input transcription off. */
  inputTranscription?: RealtimeInputTranscription | null;
  /** `null` turns noise reduction off. */
  noiseReduction?: 'near_field' | 'far_field' | null;
  /** Reasoning effort of a reasoning model (`gpt-realtime-2` family). */
  reasoning?: RealtimeReasoning;
  /** What happens when the conversation outgrows the model's input limit. */
  truncation?: RealtimeTruncation;
  /** A stored prompt to run with; `null` removes one set earlier. */
  prompt?: RealtimePromptReference | null;
  /** Provider-specific fields merged into the provider's wire session (the route's policy gates them). */
  providerOptions?: Record<string, unknown>;
}

const between = (min: number, max: number) => `must be between ${min} and ${max}`;
const numberBetween = (min: number, max: number) => {
  const error = between(min, max);
  return z.number({ error }).check(z.minimum(min, { error }), z.maximum(max, { error }));
};
const integerBetween = (min: number, max: number, error = `must be an integer between ${min} and ${max}`) =>
  z.int({ error }).check(z.minimum(min, { error }), z.maximum(max, { error }));
const stringOfLength = (min: number, max: number) => z.string().check(z.minLength(min), z.maxLength(max));
/** A string field with its own message, for the newer fields (zod's default says only "Invalid input" inside unions). */
const text = (min: number, max: number) => {
  const error = `must be a string of ${min}–${max} characters`;
  return z.string({ error }).check(z.minLength(min, { error }), z.maxLength(max, { error }));
};
const listOf = <T extends z.core.$ZodType>(item: T, min: number, max: number, what: string) => {
  const error = min > 0 ? `must hold ${min}–${max} ${what}` : `must hold at most ${max} ${what}`;
  return z.array(item, { error }).check(z.minLength(min, { error }), z.maxLength(max, { error }));
};

const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Schema for {@link RealtimeFunctionToolDefinition}. */
export const realtimeFunctionToolSchema = z.strictObject({
  type: z.literal('function'),
  name: z.string().check(z.regex(TOOL_NAME, { error: 'must be 1–64 letters, digits, underscores or hyphens' })),
  description: z.optional(z.string()),
  parameters: z.optional(z.record(z.string(), z.unknown())),
});

/** Schema for {@link RealtimeToolChoice}. */
export const realtimeToolChoiceSchema = z.union(
  [z.enum(['auto', 'none', 'required']), z.strictObject({ type: z.literal('function'), name: stringOfLength(1, 64) })],
  { error: 'must be "auto", "none", "required" or { type: "function", name }' },
);

const booleanField = z.optional(z.boolean());

/** Schema for {@link RealtimeTurnDetection} (without `null`). */
export const realtimeTurnDetectionSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({
      type: z.literal('server_vad'),
      threshold: z.optional(numberBetween(0, 1)),
      prefixPaddingMs: z.optional(integerBetween(0, 10_000)),
      silenceDurationMs: z.optional(integerBetween(0, 10_000)),
      idleTimeoutMs: z.optional(z.nullable(integerBetween(5_000, 30_000))),
      createResponse: booleanField,
      interruptResponse: booleanField,
    }),
    z.strictObject({
      type: z.literal('semantic_vad'),
      eagerness: z.optional(z.enum(['low', 'medium', 'high', 'auto'])),
      createResponse: booleanField,
      interruptResponse: booleanField,
    }),
  ],
  { error: 'must be "server_vad" or "semantic_vad"' },
);

// Transcription delays take the same five steps as reasoning efforts.
const EFFORTS = REALTIME_REASONING_EFFORTS;
const effortSchema = () => z.enum(EFFORTS, { error: `must be one of ${EFFORTS.map((e) => `"${e}"`).join(', ')}` });
const languageCode = () => stringOfLength(2, 35);

/** Schema for {@link RealtimeInputTranscription}. */
export const realtimeInputTranscriptionSchema = z.strictObject({
  model: z.optional(stringOfLength(1, 100)),
  language: z.optional(languageCode()),
  languages: z.optional(listOf(text(2, 35), 1, 16, 'language codes')),
  prompt: z.optional(z.string().check(z.maxLength(4_000))),
  keywords: z.optional(listOf(text(1, 100), 0, 100, 'keywords')),
  delay: z.optional(effortSchema()),
});

const VOICE_ERROR = 'must be a voice name (1–128 characters) or a custom voice { id }';

/** Schema for {@link RealtimeVoice}. */
export const realtimeVoiceSchema = z.union([text(1, 128), z.strictObject({ id: text(1, 128) }, { error: VOICE_ERROR })], { error: VOICE_ERROR });

/** Schema for {@link RealtimeReasoning}. */
export const realtimeReasoningSchema = z.strictObject({ effort: z.optional(effortSchema()) });

const TRUNCATION_ERROR = 'must be "auto", "disabled" or { type: "retention_ratio", retentionRatio }';

/** Schema for {@link RealtimeTruncation}. */
export const realtimeTruncationSchema = z.union(
  [
    z.enum(['auto', 'disabled']),
    z.strictObject({
      type: z.literal('retention_ratio'),
      retentionRatio: numberBetween(0, 1),
      tokenLimits: z.optional(
        z.strictObject({ postInstructions: z.optional(integerBetween(0, 1_000_000)) }),
      ),
    }),
  ],
  { error: TRUNCATION_ERROR },
);

const MAX_PROMPT_VARIABLES = 64;
const promptVariablesSchema = z
  .record(text(1, 64), text(0, 8_000))
  .check(z.refine((variables) => Object.keys(variables).length <= MAX_PROMPT_VARIABLES, { error: `at most ${MAX_PROMPT_VARIABLES} variables` }));
// The JSON Schema the manager validates with carries the count too (zod cannot express it natively).
z.globalRegistry.add(promptVariablesSchema, { maxProperties: MAX_PROMPT_VARIABLES } as never);

/** Schema for {@link RealtimePromptReference}. */
export const realtimePromptReferenceSchema = z.strictObject({
  id: text(1, 128),
  version: z.optional(text(1, 64)),
  variables: z.optional(promptVariablesSchema),
});

const MAX_TOKENS_ERROR = 'must be an integer between 1 and 4096, or "inf"';

/**
 * The fields of {@link RealtimeSessionConfig} without the cross-field checks, for callers that need
 * to extend or pick it (zod refuses to extend a refined object).
 */
export const realtimeSessionConfigObjectSchema = z.strictObject({
  provider: z.optional(stringOfLength(1, 64)),
  model: z.optional(stringOfLength(1, 128)),
  instructions: z.optional(z.string()),
  voice: z.optional(realtimeVoiceSchema),
  speed: z.optional(numberBetween(0.25, 1.5)),
  outputModalities: z.optional(
    z.array(z.enum(['audio', 'text'])).check(z.length(1, { error: 'must be ["audio"] or ["text"] (one modality at a time)' })),
  ),
  maxOutputTokens: z.optional(z.union([integerBetween(1, 4096, MAX_TOKENS_ERROR), z.literal('inf')], { error: MAX_TOKENS_ERROR })),
  toolChoice: z.optional(realtimeToolChoiceSchema),
  tools: z.optional(z.array(realtimeFunctionToolSchema)),
  turnDetection: z.optional(z.nullable(realtimeTurnDetectionSchema)),
  inputTranscription: z.optional(z.nullable(realtimeInputTranscriptionSchema)),
  noiseReduction: z.optional(z.nullable(z.enum(['near_field', 'far_field']))),
  reasoning: z.optional(realtimeReasoningSchema),
  truncation: z.optional(realtimeTruncationSchema),
  prompt: z.optional(z.nullable(realtimePromptReferenceSchema)),
  providerOptions: z.optional(z.record(z.string(), z.unknown())),
});

/** Schema for {@link RealtimeSessionConfig}, including checks across fields (unique tool names, a named tool choice that exists). */
export const realtimeSessionConfigSchema = realtimeSessionConfigObjectSchema.check(
  z.superRefine((session, ctx) => {
    const names = new Set<string>();
    session.tools?.forEach((tool, index) => {
      if (names.has(tool.name)) {
        ctx.addIssue({ code: 'custom', path: ['tools', index, 'name'], message: `duplicate tool name "${tool.name}"` });
      }
      names.add(tool.name);
    });
    const choice = session.toolChoice;
    if (typeof choice === 'object' && !names.has(choice.name)) {
      ctx.addIssue({ code: 'custom', path: ['toolChoice', 'name'], message: `names no tool in tools ("${choice.name}")` });
    }
  }),
);

/** One line for a zod issue: `session.speed: must be between 0.25 and 1.5`. */
export function describeIssue(issue: z.core.$ZodIssue, prefix: ReadonlyArray<PropertyKey> = []): { field: string; message: string } {
  const at = formatPath([...prefix, ...issue.path]);
  if (issue.code === 'unrecognized_keys') {
    // Name the unknown key itself, so a typo (`sesion`) is pointed at directly.
    const field = formatPath([...prefix, ...issue.path, issue.keys[0]!]);
    return { field, message: `${at || 'body'}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}` };
  }
  return { field: at || '(body)', message: `${at || 'body'}: ${issue.message}` };
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}
