/**
 * The route's audit trail: exactly one structured `realtime.mint` line for each request the route
 * answers (preflights only when refused), whatever the outcome. Fields are plain values, scrubbed of
 * secrets by the route before they reach the logger; never the API key, never the client secret.
 * @packageDocumentation
 */

/** Where the route reports what it did. Every method is optional; fields never hold secrets. */
export interface RealtimeRouteLogger {
  info?(message: string, fields?: Record<string, unknown>): void;
  warn?(message: string, fields?: Record<string, unknown>): void;
  error?(message: string, fields?: Record<string, unknown>): void;
}

/** The message of the audit line. */
export const MINT_LOG_MESSAGE = 'realtime.mint';

/** How a request ended, from the audit line's point of view. */
export type RealtimeMintOutcome =
  /** A bootstrap was sent. */
  | 'minted'
  /** `authorize` said no (401/403, or its own Response). */
  | 'denied'
  /** 429: the caller's budget was spent. */
  | 'rate_limited'
  /** Another 4xx: the request or its origin was refused. */
  | 'refused'
  /** The client went away before the answer (logged at info: nothing is wrong with the server). */
  | 'client_closed'
  /** 5xx: the upstream or the server failed. */
  | 'failed';

/** The fields of one `realtime.mint` line. */
export interface RealtimeMintRecord {
  /** Also sent to the browser as `X-Request-Id`. */
  requestId: string;
  outcome: RealtimeMintOutcome;
  status: number;
  method: string;
  subject?: string;
  ip?: string;
  origin?: string;
  adapter?: string;
  model?: string;
  /** Unix seconds; absent for adapters whose bootstrap holds no secret (`openai-webrtc`). */
  expiresAt?: number;
  code?: string;
  /** The error message as the browser got it (already scrubbed). */
  message?: string;
  field?: string;
  upstreamStatus?: number;
  /** For `internal_error` only: what the unexpected failure said (scrubbed), for operators. */
  cause?: string;
  durationMs: number;
}

/** The outcome for a status (and code, where the status alone is ambiguous). */
export function outcomeOf(status: number, code?: string): RealtimeMintOutcome {
  if (status < 400) return 'minted';
  if (code === 'client_closed_request') return 'client_closed';
  if (code === 'unauthorized' || code === 'forbidden') return 'denied';
  if (status === 429) return 'rate_limited';
  return status >= 500 ? 'failed' : 'refused';
}

/** Which logger method a record goes to. */
export function levelOf(record: RealtimeMintRecord): keyof RealtimeRouteLogger {
  if (record.outcome === 'minted' || record.outcome === 'client_closed') return 'info';
  return record.status >= 500 ? 'error' : 'warn';
}

/** Writes the record through `logger`, scrubbing every string; a throwing logger is ignored. */
export function writeMintRecord(logger: RealtimeRouteLogger | undefined, record: RealtimeMintRecord, scrub: (text: string) => string): void {
  writeLogLine(logger, levelOf(record), MINT_LOG_MESSAGE, record as unknown as Record<string, unknown>, scrub);
}

/**
 * Writes one line through `logger` with every string (message and fields) scrubbed and undefined
 * fields left out; a throwing logger is ignored, so logging never changes an answer.
 */
export function writeLogLine(
  logger: RealtimeRouteLogger | undefined,
  level: keyof RealtimeRouteLogger,
  message: string,
  record: Record<string, unknown>,
  scrub: (text: string) => string,
): void {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (value === undefined) continue;
    fields[key] = typeof value === 'string' ? scrub(value) : value;
  }
  try {
    logger?.[level]?.(scrub(message), fields);
  } catch {
    // A broken logger must not turn a good answer into a 500.
  }
}
