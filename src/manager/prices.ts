/**
 * The cost estimate: tokens by kind (from the provider's `response.done` usage) times the page's
 * prices. No prices ship with the kit: they change, and a stale default would be a wrong number
 * presented as a fact. Set them from your provider's price page (the README shows an example with its
 * date and source). The types and the table's check are here; counting and pricing are in
 * ./token-costs.ts (session code).
 */
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
