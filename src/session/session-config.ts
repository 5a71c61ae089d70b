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

/** Transcription of the user's audio (runs beside the model; guidance, not what the model heard). */
export interface RealtimeInputTranscription {
  model?: string;
  /** ISO-639-1 language code, e.g. `en`. */
  language?: string;
  prompt?: string;
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
  model?: string;
  instructions?: string;
  voice?: string;
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

/** Schema for {@link RealtimeInputTranscription}. */
export const realtimeInputTranscriptionSchema = z.strictObject({
  model: z.optional(stringOfLength(1, 100)),
  language: z.optional(stringOfLength(2, 35)),
  prompt: z.optional(z.string().check(z.maxLength(4_000))),
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
  voice: z.optional(stringOfLength(1, 128)),
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
