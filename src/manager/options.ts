/**
 * The manager's options with defaults applied and ranges checked, so a typo fails at construction
 * (with a {@link RealtimeError} `invalid_argument` naming the option) rather than mid-conversation.
 */
import { browserNetworkStatus, resolveReconnectOptions, type ResolvedReconnectOptions } from './backoff.js';
import { RealtimeError } from './errors.js';
import { DEFAULT_HISTORY_LIMITS } from './history.js';
import { DEFAULT_IMAGE_OPTIONS, resolveImageOptions, type RealtimeImageOptions } from './image-input.js';
import { parsePriceTable, type RealtimePriceTable } from './prices.js';
import { resolveRolloverOptions, type ResolvedRolloverOptions } from './rollover.js';
import type { WakeLockEnvironment } from './wake-lock.js';
import type { HistoryOptions, NetworkStatus, RealtimeManagerOptions } from './types.js';

/** Default of `toolTimeoutMs`: a handler gets 10 s. */
export const DEFAULT_TOOL_TIMEOUT_MS = 10_000;
/** Default of `responseTimeoutMs`: 30 s without any event for an awaited reply or a streaming response. */
export const DEFAULT_RESPONSE_TIMEOUT_MS = 30_000;

/** The options the manager runs with. */
export interface ResolvedManagerOptions {
  reconnect: ResolvedReconnectOptions;
  toolTimeoutMs: number;
  responseTimeoutMs: number;
  history: Required<HistoryOptions>;
  network: NetworkStatus;
  random: () => number;
  createSessionId: () => string;
  rollover: ResolvedRolloverOptions;
  wakeLock: boolean;
  wakeLockEnvironment: WakeLockEnvironment | undefined;
  prices: RealtimePriceTable | null;
  images: ReturnType<typeof resolveImageOptions>;
  metricsTurns: number;
  now: () => number;
}

/** Default of `metricsTurns`. */
export const DEFAULT_METRICS_TURNS = 50;

export function resolveManagerOptions(options: RealtimeManagerOptions): ResolvedManagerOptions {
  return {
    reconnect: resolveReconnectOptions(options.reconnect),
    toolTimeoutMs: milliseconds(options.toolTimeoutMs, 'toolTimeoutMs', DEFAULT_TOOL_TIMEOUT_MS, false),
    responseTimeoutMs: milliseconds(options.responseTimeoutMs, 'responseTimeoutMs', DEFAULT_RESPONSE_TIMEOUT_MS, true),
    history: {
      maxTurns: count(options.history?.maxTurns, 'history.maxTurns', DEFAULT_HISTORY_LIMITS.maxTurns),
      maxChars: count(options.history?.maxChars, 'history.maxChars', DEFAULT_HISTORY_LIMITS.maxChars),
    },
    network: options.network ?? browserNetworkStatus(),
    random: options.random ?? Math.random,
    createSessionId: options.createSessionId ?? (() => crypto.randomUUID()),
    rollover: resolveRolloverOptions(options.rollover, 'createRealtimeManager'),
    wakeLock: options.wakeLock !== false,
    wakeLockEnvironment: typeof options.wakeLock === 'object' && options.wakeLock !== null ? options.wakeLock : undefined,
    prices: parsePriceTable(options.prices, 'createRealtimeManager'),
    images: resolveImageOptions(options.images as RealtimeImageOptions | undefined, { ...DEFAULT_IMAGE_OPTIONS }, 'createRealtimeManager: images'),
    metricsTurns: count(options.metricsTurns, 'metricsTurns', DEFAULT_METRICS_TURNS),
    now: options.now ?? (() => performance.now()),
  };
}

function milliseconds(value: unknown, name: string, fallback: number, infinityAllowed: boolean): number {
  if (value === undefined) return fallback;
  const ok = typeof value === 'number' && value > 0 && (Number.isFinite(value) || (infinityAllowed && value === Infinity));
  if (!ok) {
    const range = infinityAllowed ? 'a positive number of milliseconds, or Infinity' : 'a positive number of milliseconds';
    throw new RealtimeError('invalid_argument', `createRealtimeManager: ${name} must be ${range}, got ${String(value)}`);
  }
  return value as number;
}

function count(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new RealtimeError('invalid_argument', `createRealtimeManager: ${name} must be an integer >= 0, got ${String(value)}`);
  }
  return value;
}
