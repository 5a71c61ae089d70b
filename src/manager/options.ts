/**
 * The manager's options with defaults applied and ranges checked, so a typo fails at construction
 * (with a {@link RealtimeError} `invalid_argument` naming the option) rather than mid-conversation.
 */
import { browserNetworkStatus, resolveReconnectOptions, type ResolvedReconnectOptions } from './backoff.js';
import { RealtimeError } from './errors.js';
import { DEFAULT_HISTORY_LIMITS } from './history.js';
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
}

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
