/**
 * The cost estimate: tokens by kind (from the provider's `response.done` usage) times the page's
 * prices. No prices ship with the kit: they change, and a stale default would be a wrong number
 * presented as a fact. Set them from your provider's price page (the README shows an example with its
 * date and source).
 */
import type { RealtimeUsage } from './session-config.js';
import { RealtimeError } from './errors.js';

/** USD per one million tokens of each kind. Cached prices default to the uncached ones. */
export interface RealtimeTokenPrices {
  textInput: number;
  cachedTextInput?: number;
  textOutput: number;
  audioInput: number;
  cachedAudioInput?: number;
  audioOutput: number;
  imageInput?: number;
  cachedImageInput?: number;
}

/** Prices by model name (as the session reports it); `'*'` applies to any other model. */
export type RealtimePriceTable = Readonly<Record<string, RealtimeTokenPrices>>;

/** Tokens of one response (or a sum), by kind. Cached counts are part of the input counts. */
export interface RealtimeTokenCounts {
  inputText: number;
  inputAudio: number;
  inputImage: number;
  cachedText: number;
  cachedAudio: number;
  cachedImage: number;
  outputText: number;
  outputAudio: number;
  input: number;
  output: number;
  total: number;
}

export const ZERO_TOKENS: RealtimeTokenCounts = Object.freeze({
  inputText: 0,
  inputAudio: 0,
  inputImage: 0,
  cachedText: 0,
  cachedAudio: 0,
  cachedImage: 0,
  outputText: 0,
  outputAudio: 0,
  input: 0,
  output: 0,
  total: 0,
});

/** Reads OpenAI's usage (`input_token_details`, `output_token_details`) into counts by kind. */
export function tokenCounts(usage: RealtimeUsage): RealtimeTokenCounts {
  const details = (usage.details ?? {}) as Record<string, unknown>;
  const input = record(details.input_token_details);
  const output = record(details.output_token_details);
  const cached = record(input.cached_tokens_details);
  const counts = {
    inputText: count(input.text_tokens),
    inputAudio: count(input.audio_tokens),
    inputImage: count(input.image_tokens),
    cachedText: count(cached.text_tokens),
    cachedAudio: count(cached.audio_tokens),
    cachedImage: count(cached.image_tokens),
    outputText: count(output.text_tokens),
    outputAudio: count(output.audio_tokens),
    input: count(usage.inputTokens),
    output: count(usage.outputTokens),
    total: count(usage.totalTokens),
  };
  // Without details, all input is text and so is all output (the split is the provider's to tell).
  if (counts.inputText + counts.inputAudio + counts.inputImage === 0) counts.inputText = counts.input;
  if (counts.outputText + counts.outputAudio === 0) counts.outputText = counts.output;
  if (counts.input === 0) counts.input = counts.inputText + counts.inputAudio + counts.inputImage;
  if (counts.output === 0) counts.output = counts.outputText + counts.outputAudio;
  if (counts.total === 0) counts.total = counts.input + counts.output;
  return Object.freeze(counts);
}

export function addTokens(a: RealtimeTokenCounts, b: RealtimeTokenCounts): RealtimeTokenCounts {
  const sum = { ...a };
  for (const key of Object.keys(sum) as Array<keyof RealtimeTokenCounts>) sum[key] = a[key] + b[key];
  return Object.freeze(sum);
}

/** The estimated cost in USD, or undefined when the table has no prices for `model`. */
export function estimateCost(tokens: RealtimeTokenCounts, table: RealtimePriceTable | null, model: string | undefined): number | undefined {
  if (!table) return undefined;
  const prices = (model !== undefined && Object.hasOwn(table, model) ? table[model] : undefined) ?? (Object.hasOwn(table, '*') ? table['*'] : undefined);
  if (!prices) return undefined;
  const part = (all: number, cached: number, price: number, cachedPrice: number | undefined) =>
    (Math.max(0, all - cached) * price + Math.min(all, cached) * (cachedPrice ?? price)) / 1_000_000;
  return (
    part(tokens.inputText, tokens.cachedText, prices.textInput, prices.cachedTextInput) +
    part(tokens.inputAudio, tokens.cachedAudio, prices.audioInput, prices.cachedAudioInput) +
    part(tokens.inputImage, tokens.cachedImage, prices.imageInput ?? prices.textInput, prices.cachedImageInput ?? prices.cachedTextInput) +
    (tokens.outputText * prices.textOutput + tokens.outputAudio * prices.audioOutput) / 1_000_000
  );
}

const PRICE_KEYS = ['textInput', 'cachedTextInput', 'textOutput', 'audioInput', 'cachedAudioInput', 'audioOutput', 'imageInput', 'cachedImageInput'] as const;
const REQUIRED = new Set(['textInput', 'textOutput', 'audioInput', 'audioOutput']);

/** Checks a price table from the page; a frozen copy, or `invalid_argument` naming the bad entry. */
export function parsePriceTable(table: unknown, where: string): RealtimePriceTable | null {
  if (table === null || table === undefined) return null;
  if (typeof table !== 'object' || Array.isArray(table)) {
    throw new RealtimeError('invalid_argument', `${where}: prices must be an object of model name → prices (USD per million tokens), or null.`);
  }
  const out: Record<string, RealtimeTokenPrices> = {};
  for (const [model, prices] of Object.entries(table as Record<string, unknown>)) {
    if (typeof prices !== 'object' || prices === null) throw new RealtimeError('invalid_argument', `${where}: prices["${model}"] must be an object.`);
    const copy: Record<string, number> = {};
    for (const key of PRICE_KEYS) {
      const value = (prices as Record<string, unknown>)[key];
      if (value === undefined && !REQUIRED.has(key)) continue;
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        throw new RealtimeError('invalid_argument', `${where}: prices["${model}"].${key} must be a number >= 0 (USD per million tokens), got ${String(value)}.`);
      }
      copy[key] = value;
    }
    out[model] = Object.freeze(copy) as unknown as RealtimeTokenPrices;
  }
  return Object.freeze(out);
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}
