import { newId } from './ids.js';
import { checkNewerSessionFields } from './session-field-checks.js';
import { toAudioFormat, type AudioFormat } from './pcm.js';
import type { VadSettings } from './vad.js';
import { isJsonObject, type JsonObject, type SessionObject } from './types.js';

export const DEFAULT_MODEL = 'gpt-realtime';

/** Top-level fields a `realtime` session accepts (`RealtimeSessionCreateRequestGA`). */
const SESSION_FIELDS = new Set([
  'type',
  'model',
  'instructions',
  'output_modalities',
  'audio',
  'include',
  'tools',
  'tool_choice',
  'max_output_tokens',
  'tracing',
  'prompt',
  'truncation',
  'parallel_tool_calls',
  'reasoning',
]);

/** A complete session object with OpenAI's defaults, as `session.created` shows it. */
export function defaultSession(model = DEFAULT_MODEL, expiresAt?: number): SessionObject {
  return {
    type: 'realtime',
    object: 'realtime.session',
    id: newId('sess'),
    model,
    output_modalities: ['audio'],
    instructions: '',
    tools: [],
    tool_choice: 'auto',
    max_output_tokens: 'inf',
    tracing: null,
    prompt: null,
    truncation: 'auto',
    expires_at: expiresAt ?? Math.floor(Date.now() / 1000) + 30 * 60,
    audio: {
      input: {
        format: { type: 'audio/pcm', rate: 24000 },
        transcription: null,
        noise_reduction: null,
        turn_detection: turnDetectionDefaults({ type: 'server_vad' }),
      },
      output: {
        format: { type: 'audio/pcm', rate: 24000 },
        voice: 'alloy',
        speed: 1,
      },
    },
  };
}

/** The error an invalid update gets, OpenAI-style. */
export interface ConfigError {
  code: string;
  message: string;
  param?: string;
}

/**
 * Applies a `session.update` (or the `session` of a client-secret or call request) to `current`
 * and returns the new object; `current` is left untouched so a rejected update changes nothing.
 * Nested audio settings merge key by key; everything else, arrays included, is replaced, and an
 * explicit `null` (turn detection, transcription) switches the feature off.
 */
export function applySessionUpdate(current: SessionObject, patch: unknown): { session: SessionObject } | { error: ConfigError } {
  if (!isJsonObject(patch)) {
    return { error: { code: 'invalid_type', message: 'Invalid type for session: expected an object.', param: 'session' } };
  }
  if (patch.type === undefined) {
    return { error: { code: 'missing_required_parameter', message: "Missing required parameter: 'session.type'.", param: 'session.type' } };
  }
  if (patch.type !== 'realtime') {
    const message =
      patch.type === 'transcription'
        ? 'The emulator supports realtime sessions only, not transcription sessions.'
        : `Invalid value: '${String(patch.type)}'. Supported values are: 'realtime'.`;
    return { error: { code: 'invalid_value', message, param: 'session.type' } };
  }
  for (const key of Object.keys(patch)) {
    if (!SESSION_FIELDS.has(key)) {
      return { error: { code: 'unknown_parameter', message: `Unknown parameter: 'session.${key}'.`, param: `session.${key}` } };
    }
  }
  const problem = checkFieldTypes(patch) ?? checkNewerSessionFields(patch);
  if (problem) return { error: problem };

  const next = structuredClone(current);
  for (const [key, value] of Object.entries(patch)) {
    if (key === 'audio') continue;
    if (key === 'type') continue;
    next[key] = structuredClone(value);
  }
  if (isJsonObject(patch.audio)) {
    const audio = next.audio as { input: JsonObject; output: JsonObject };
    for (const direction of ['input', 'output'] as const) {
      const part = patch.audio[direction];
      if (!isJsonObject(part)) continue;
      for (const [key, value] of Object.entries(part)) {
        audio[direction][key] = key === 'turn_detection' && isJsonObject(value) ? turnDetectionDefaults(value) : structuredClone(value);
      }
    }
  }
  return { session: next };
}

function checkFieldTypes(patch: JsonObject): ConfigError | undefined {
  const bad = (param: string, expected: string): ConfigError => ({
    code: 'invalid_type',
    message: `Invalid type for 'session.${param}': expected ${expected}.`,
    param: `session.${param}`,
  });
  if (patch.instructions !== undefined && typeof patch.instructions !== 'string') return bad('instructions', 'a string');
  if (patch.model !== undefined && typeof patch.model !== 'string') return bad('model', 'a string');
  if (patch.tools !== undefined && !Array.isArray(patch.tools)) return bad('tools', 'an array');
  if (Array.isArray(patch.tools) && !patch.tools.every(isJsonObject)) return bad('tools', 'an array of objects');
  if (patch.output_modalities !== undefined) {
    const modalities = patch.output_modalities;
    if (!Array.isArray(modalities) || !modalities.every((m) => m === 'audio' || m === 'text')) {
      return bad('output_modalities', "an array of 'audio' or 'text'");
    }
  }
  if (patch.audio !== undefined && !isJsonObject(patch.audio)) return bad('audio', 'an object');
  const turnDetection = isJsonObject(patch.audio) && isJsonObject(patch.audio.input) ? patch.audio.input.turn_detection : undefined;
  if (turnDetection !== undefined && turnDetection !== null) {
    if (!isJsonObject(turnDetection) || (turnDetection.type !== 'server_vad' && turnDetection.type !== 'semantic_vad')) {
      return bad('audio.input.turn_detection.type', "'server_vad' or 'semantic_vad'");
    }
  }
  return undefined;
}

/** Fills in what OpenAI reports for a turn-detection object that left fields out. */
function turnDetectionDefaults(value: JsonObject): JsonObject {
  if (value.type === 'semantic_vad') {
    return { type: 'semantic_vad', eagerness: 'auto', create_response: true, interrupt_response: true, ...value };
  }
  return {
    type: 'server_vad',
    threshold: 0.5,
    prefix_padding_ms: 300,
    silence_duration_ms: 500,
    idle_timeout_ms: null,
    create_response: true,
    interrupt_response: true,
    ...value,
  };
}

function inputAudio(session: SessionObject): JsonObject {
  const audio = isJsonObject(session.audio) ? session.audio : {};
  return isJsonObject(audio.input) ? audio.input : {};
}

function outputAudio(session: SessionObject): JsonObject {
  const audio = isJsonObject(session.audio) ? session.audio : {};
  return isJsonObject(audio.output) ? audio.output : {};
}

/** The session's turn detection, or null when the client turned it off (push-to-talk). */
export function turnDetection(session: SessionObject): JsonObject | null {
  const value = inputAudio(session).turn_detection;
  return isJsonObject(value) ? value : null;
}

/**
 * Silence that ends a turn under `semantic_vad`, by eagerness. The emulator has no model to judge
 * whether the user has finished, so eagerness becomes a silence duration: low waits longest.
 */
export const SEMANTIC_VAD_SILENCE_MS = { low: 1000, medium: 500, auto: 500, high: 250 } as const;

/**
 * Energy thresholds for the session's turn detection. OpenAI's `threshold` (0..1, default 0.5) is a
 * voice-activity probability; here it scales an RMS level so 0.5 means about -30 dBFS. `semantic_vad`
 * uses the default threshold and {@link SEMANTIC_VAD_SILENCE_MS}.
 */
export function vadSettings(session: SessionObject): VadSettings | null {
  const td = turnDetection(session);
  if (!td) return null;
  const threshold = typeof td.threshold === 'number' ? td.threshold : 0.5;
  if (td.type === 'semantic_vad') {
    const eagerness = typeof td.eagerness === 'string' && td.eagerness in SEMANTIC_VAD_SILENCE_MS ? td.eagerness : 'auto';
    const silence = SEMANTIC_VAD_SILENCE_MS[eagerness as keyof typeof SEMANTIC_VAD_SILENCE_MS];
    return { rmsThreshold: 0.03, prefixPaddingMs: 300, silenceDurationMs: silence };
  }
  return {
    rmsThreshold: Math.max(0.002, threshold * 0.06),
    prefixPaddingMs: typeof td.prefix_padding_ms === 'number' ? td.prefix_padding_ms : 300,
    silenceDurationMs: typeof td.silence_duration_ms === 'number' ? td.silence_duration_ms : 500,
  };
}

export function inputFormat(session: SessionObject): AudioFormat {
  return toAudioFormat(inputAudio(session).format);
}

export function outputFormat(session: SessionObject): AudioFormat {
  return toAudioFormat(outputAudio(session).format);
}

export function outputVoice(session: SessionObject): string {
  const voice = outputAudio(session).voice;
  return typeof voice === 'string' ? voice : isJsonObject(voice) && typeof voice.id === 'string' ? voice.id : 'alloy';
}

export function transcriptionEnabled(session: SessionObject): boolean {
  return isJsonObject(inputAudio(session).transcription);
}

export function outputModalities(session: SessionObject): Array<'audio' | 'text'> {
  const value = session.output_modalities;
  return Array.isArray(value) && value.length > 0 ? (value as Array<'audio' | 'text'>) : ['audio'];
}

/** Names of the function tools the session declares. */
export function functionToolNames(session: SessionObject): string[] {
  const tools = Array.isArray(session.tools) ? session.tools : [];
  return tools.flatMap((tool) => (isJsonObject(tool) && tool.type === 'function' && typeof tool.name === 'string' ? [tool.name] : []));
}
