/**
 * Token counts and their cost: OpenAI's usage read into counts by kind, summed, and priced with the
 * page's table (./prices.ts). Session code: the manager's metrics use it; what answers before the manager
 * loads needs only the table's check, which stays in ./prices.ts.
 * @packageDocumentation
 */
import type { RealtimeUsage } from './session-config.js';
import type { RealtimePriceTable, RealtimeTokenCounts } from './prices.js';

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

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}
