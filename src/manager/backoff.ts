/**
 * Reconnect timing: exponential backoff with jitter, abortable waits, and waiting for the network.
 */
import { RealtimeError } from './errors.js';
import type { NetworkStatus, ReconnectOptions } from './types.js';

/** Reconnect options with defaults applied. */
export type ResolvedReconnectOptions = Required<ReconnectOptions>;

export const DEFAULT_RECONNECT: ResolvedReconnectOptions = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 8000,
  jitter: 0.3,
};

/**
 * Applies defaults and checks ranges, so a typo fails at construction rather than mid-outage.
 * @throws RealtimeError `invalid_argument` naming the option.
 */
export function resolveReconnectOptions(options: ReconnectOptions = {}): ResolvedReconnectOptions {
  const resolved = { ...DEFAULT_RECONNECT, ...stripUndefined(options) };
  const { maxAttempts, baseDelayMs, maxDelayMs, jitter } = resolved;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 0) {
    throw new RealtimeError('invalid_argument', `reconnect.maxAttempts must be an integer >= 0, got ${maxAttempts}`);
  }
  if (!(baseDelayMs >= 0) || !(maxDelayMs >= baseDelayMs)) {
    throw new RealtimeError(
      'invalid_argument',
      `reconnect delays must satisfy 0 <= baseDelayMs <= maxDelayMs, got ${baseDelayMs} and ${maxDelayMs}`,
    );
  }
  if (!(jitter >= 0 && jitter <= 1)) throw new RealtimeError('invalid_argument', `reconnect.jitter must be in [0, 1], got ${jitter}`);
  return resolved;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Delay before attempt `attempt` (1-based): `base * 2^(attempt-1)` capped at `max`, with up to `jitter`
 * of it taken away at random so many clients do not retry in lockstep.
 */
export function backoffDelay(attempt: number, options: ResolvedReconnectOptions, random: () => number): number {
  const exponential = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exponential * (1 - options.jitter * random()));
}

/**
 * How long a failure asks the caller to wait before trying again, in ms: the `retryAfterSeconds` a
 * refusal carries (the remote client's `rate_limited`, from the route's `Retry-After`), on the error
 * or on one of its causes. `undefined` when it says nothing.
 */
export function retryAfterMs(error: unknown): number | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    const seconds = (current as { retryAfterSeconds?: unknown }).retryAfterSeconds;
    if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Resolves after `ms`, or rejects with an AbortError as soon as `signal` aborts. */
export function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(abortReason(signal));
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Resolves once `network` reports online (at once if it already does); rejects when `signal` aborts. */
export function waitForOnline(network: NetworkStatus, signal: AbortSignal): Promise<void> {
  if (network.isOnline()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(abortReason(signal));
      return;
    }
    const cleanup = () => {
      unsubscribe();
      signal.removeEventListener('abort', onAbort);
    };
    const unsubscribe = network.onOnline(() => {
      cleanup();
      resolve();
    });
    const onAbort = () => {
      cleanup();
      reject(abortReason(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException('Aborted', 'AbortError');
}

/** The browser's view of the network; always online where there is no `navigator` (SSR, workers without it). */
export function browserNetworkStatus(): NetworkStatus {
  return {
    isOnline: () => typeof navigator === 'undefined' || navigator.onLine !== false,
    onOnline(listener) {
      if (typeof addEventListener !== 'function') return () => {};
      addEventListener('online', listener);
      return () => removeEventListener('online', listener);
    },
  };
}
