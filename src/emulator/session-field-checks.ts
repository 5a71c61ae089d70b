/**
 * The emulator's checks of the newer session fields (reasoning, truncation, prompt, custom voice,
 * transcription options), answering a bad value as OpenAI does: an `error` event with a code, a
 * message naming the parameter and `param`, and the session left as it was. Only the shape is
 * checked: the emulator knows no stored prompts or custom voices, so any id is taken.
 */
import type { ConfigError } from './session-config.js';
import { isJsonObject, type JsonObject } from './types.js';

const EFFORTS = ['minimal', 'low', 'medium', 'high', 'xhigh'];

/** The first problem with the newer fields of a `session.update` (or a client-secret / call session), if any. */
export function checkNewerSessionFields(patch: JsonObject): ConfigError | undefined {
  return (
    checkReasoning(patch.reasoning) ??
    checkTruncation(patch.truncation) ??
    checkPrompt(patch.prompt) ??
    checkVoice(isJsonObject(patch.audio) && isJsonObject(patch.audio.output) ? patch.audio.output.voice : undefined) ??
    checkTranscription(isJsonObject(patch.audio) && isJsonObject(patch.audio.input) ? patch.audio.input.transcription : undefined)
  );
}

const invalidType = (param: string, expected: string): ConfigError => ({
  code: 'invalid_type',
  message: `Invalid type for 'session.${param}': expected ${expected}.`,
  param: `session.${param}`,
});

const invalidValue = (param: string, value: unknown, allowed: string[]): ConfigError => ({
  code: 'invalid_value',
  message: `Invalid value: '${String(value)}'. Supported values are: ${allowed.map((v) => `'${v}'`).join(', ')}.`,
  param: `session.${param}`,
});

const missing = (param: string): ConfigError => ({
  code: 'missing_required_parameter',
  message: `Missing required parameter: 'session.${param}'.`,
  param: `session.${param}`,
});

const unknown = (param: string): ConfigError => ({ code: 'unknown_parameter', message: `Unknown parameter: 'session.${param}'.`, param: `session.${param}` });

function onlyKeys(value: JsonObject, param: string, keys: string[]): ConfigError | undefined {
  const extra = Object.keys(value).find((key) => !keys.includes(key));
  return extra === undefined ? undefined : unknown(`${param}.${extra}`);
}

function checkReasoning(value: unknown): ConfigError | undefined {
  if (value === undefined) return undefined;
  if (!isJsonObject(value)) return invalidType('reasoning', 'an object');
  const extra = onlyKeys(value, 'reasoning', ['effort']);
  if (extra) return extra;
  if (value.effort !== undefined && !EFFORTS.includes(value.effort as string)) return invalidValue('reasoning.effort', value.effort, EFFORTS);
  return undefined;
}

function checkTruncation(value: unknown): ConfigError | undefined {
  if (value === undefined || value === 'auto' || value === 'disabled') return undefined;
  if (typeof value === 'string') return invalidValue('truncation', value, ['auto', 'disabled']);
  if (!isJsonObject(value)) return invalidType('truncation', "'auto', 'disabled' or an object");
  if (value.type !== 'retention_ratio') return invalidValue('truncation.type', value.type, ['retention_ratio']);
  const extra = onlyKeys(value, 'truncation', ['type', 'retention_ratio', 'token_limits']);
  if (extra) return extra;
  const ratio = value.retention_ratio;
  if (ratio === undefined) return missing('truncation.retention_ratio');
  if (typeof ratio !== 'number' || !Number.isFinite(ratio)) return invalidType('truncation.retention_ratio', 'a number');
  if (ratio < 0 || ratio > 1) {
    const above = ratio > 1;
    return {
      code: above ? 'decimal_above_max_value' : 'decimal_below_min_value',
      message: `Invalid 'session.truncation.retention_ratio': decimal ${above ? 'above maximum' : 'below minimum'} value. Expected a value ${above ? '<= 1' : '>= 0'}, but got ${ratio} instead.`,
      param: 'session.truncation.retention_ratio',
    };
  }
  const limits = value.token_limits;
  if (limits === undefined) return undefined;
  if (!isJsonObject(limits)) return invalidType('truncation.token_limits', 'an object');
  const extraLimit = onlyKeys(limits, 'truncation.token_limits', ['post_instructions']);
  if (extraLimit) return extraLimit;
  const post = limits.post_instructions;
  if (post !== undefined && (!Number.isInteger(post) || (post as number) < 0)) {
    return invalidType('truncation.token_limits.post_instructions', 'a non-negative integer');
  }
  return undefined;
}

function checkPrompt(value: unknown): ConfigError | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isJsonObject(value)) return invalidType('prompt', 'an object');
  const extra = onlyKeys(value, 'prompt', ['id', 'version', 'variables']);
  if (extra) return extra;
  if (value.id === undefined) return missing('prompt.id');
  if (typeof value.id !== 'string' || value.id === '') return invalidType('prompt.id', 'a non-empty string');
  if (value.version !== undefined && value.version !== null && typeof value.version !== 'string') return invalidType('prompt.version', 'a string');
  const variables = value.variables;
  if (variables === undefined || variables === null) return undefined;
  if (!isJsonObject(variables)) return invalidType('prompt.variables', 'an object');
  const bad = Object.entries(variables).find(([, v]) => typeof v !== 'string' && !isJsonObject(v));
  return bad ? invalidType(`prompt.variables.${bad[0]}`, 'a string or an input object') : undefined;
}

function checkVoice(value: unknown): ConfigError | undefined {
  if (value === undefined || typeof value === 'string') return undefined;
  if (!isJsonObject(value)) return invalidType('audio.output.voice', 'a string or an object with an id');
  const extra = onlyKeys(value, 'audio.output.voice', ['id']);
  if (extra) return extra;
  if (value.id === undefined) return missing('audio.output.voice.id');
  return typeof value.id === 'string' && value.id !== '' ? undefined : invalidType('audio.output.voice.id', 'a non-empty string');
}

function checkTranscription(value: unknown): ConfigError | undefined {
  if (!isJsonObject(value)) return undefined;
  if (value.delay !== undefined && !EFFORTS.includes(value.delay as string)) return invalidValue('audio.input.transcription.delay', value.delay, EFFORTS);
  for (const key of ['keywords', 'languages'] as const) {
    const list = value[key];
    if (list !== undefined && (!Array.isArray(list) || !list.every((entry) => typeof entry === 'string'))) {
      return invalidType(`audio.input.transcription.${key}`, 'an array of strings');
    }
  }
  if (Array.isArray(value.languages) && value.languages.length === 0) {
    return { code: 'array_too_short', message: "Invalid 'session.audio.input.transcription.languages': empty array. Expected an array with minimum length 1, but got an empty array instead.", param: 'session.audio.input.transcription.languages' };
  }
  return undefined;
}
