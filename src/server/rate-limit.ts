/**
 * Rate limiting for the route, by subject (or IP). The store is not ours: pass a limiter from
 * `rate-limiter-flexible` (`RateLimiterMemory` for one process, `RateLimiterRedis` and friends so
 * several instances share one budget). Any object with the same `consume` contract works.
 * @packageDocumentation
 */
import { RateLimitedError, RateLimitUnavailableError } from './errors.js';

/**
 * What the route needs of a limiter: `rate-limiter-flexible`'s `consume`. It resolves when points
 * were left, rejects with `{ msBeforeNext }` when the budget is spent, and rejects with an `Error`
 * when its store failed.
 */
export interface RealtimeRateLimiter {
  consume(key: string, points?: number): Promise<unknown>;
}

/** Who is asking, as the rate-limit key function sees it. */
export interface RateLimitSubject {
  /** What `authorize` returned, when it returned a subject. */
  subject?: string;
  /** The client address (see `clientIp`), when known. */
  ip?: string;
  request: Request;
}

/** The route's `rateLimit` option. */
export interface RealtimeRateLimitOptions {
  /** E.g. `new RateLimiterMemory({ points: 10, duration: 60 })`: ten mints a minute per key. */
  limiter: RealtimeRateLimiter;
  /**
   * The budget's key. Default: `subject:<subject>` when `authorize` named one, else `ip:<address>`,
   * else `ip:unknown` (all requests of unknown origin share one budget, which fails safe).
   */
  key?: (who: RateLimitSubject) => string;
  /** Points one request costs. Default 1. */
  points?: number;
}

/** The default key: subject, else IP, else one shared bucket. */
export function defaultRateLimitKey(who: RateLimitSubject): string {
  if (who.subject !== undefined) return `subject:${who.subject}`;
  return `ip:${who.ip ?? 'unknown'}`;
}

/**
 * Spends the request's points, throwing {@link RateLimitedError} (429) when the budget is spent and
 * {@link RateLimitUnavailableError} (503) when the store failed: the route fails closed, since an
 * open failure would let a flood through exactly when the store is under strain. (For the opposite
 * choice, give the limiter an `insuranceLimiter`.)
 */
export async function consumeRateLimit(options: RealtimeRateLimitOptions, who: RateLimitSubject): Promise<void> {
  const key = (options.key ?? defaultRateLimitKey)(who);
  try {
    await options.limiter.consume(key, options.points ?? 1);
  } catch (rejection) {
    const msBeforeNext = (rejection as { msBeforeNext?: unknown } | null)?.msBeforeNext;
    if (!(rejection instanceof Error) && typeof msBeforeNext === 'number') {
      throw new RateLimitedError(Math.max(1, Math.ceil(msBeforeNext / 1000)));
    }
    throw new RateLimitUnavailableError(rejection);
  }
}
