/**
 * Errors the manager raises. Each has a stable `code` for programs and a message for people.
 * @packageDocumentation
 */

/** Stable codes of {@link RealtimeError}. */
export type RealtimeErrorCode =
  | 'session_active'
  | 'session_inactive'
  | 'reconnecting'
  | 'response_in_progress'
  | 'start_failed'
  | 'start_aborted'
  | 'update_failed'
  | 'connection_lost'
  | 'connection_failed'
  | 'reconnect_exhausted'
  | 'response_timeout'
  | 'transport_error'
  | 'invalid_argument'
  | 'turn_detection_on'
  | 'unsupported'
  | 'policy_locked'
  | 'invalid_image'
  | 'image_too_large'
  | 'disposed';

/** Base class of every error the manager raises or emits. */
export class RealtimeError extends Error {
  override readonly name: string = 'RealtimeError';
  readonly code: RealtimeErrorCode;

  constructor(code: RealtimeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** `startSession()` failed: the transport could not connect or configure the session. */
export class RealtimeStartError extends RealtimeError {
  override readonly name = 'RealtimeStartError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('start_failed', message, options);
  }
}

/** `startSession()` was cancelled by `stopSession()` or its AbortSignal. */
export class RealtimeAbortError extends RealtimeError {
  override readonly name = 'AbortError';
  constructor(message = 'The session start was cancelled.') {
    super('start_aborted', message);
  }
}

/** A call was made in a state that does not allow it (not active, reconnecting, response outstanding…). */
export class RealtimeStateError extends RealtimeError {
  override readonly name = 'RealtimeStateError';
}

/** `updateSession()` was refused by the transport or provider; the previous config stays in force. */
export class RealtimeUpdateError extends RealtimeError {
  override readonly name = 'RealtimeUpdateError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('update_failed', message, options);
  }
}

/**
 * A change the server's policy does not allow in the running session (a field it owns, a value
 * outside its allow-list or bounds). Raised before anything is sent; the session is unchanged.
 */
export class RealtimePolicyError extends RealtimeError {
  override readonly name = 'RealtimePolicyError';
  /** The session field the policy owns, e.g. `voice`, `instructions`, `tools`, `providerOptions.tracing`. */
  readonly field: string;
  constructor(field: string, message: string) {
    super('policy_locked', message);
    this.field = field;
  }
}

/** Wraps anything thrown by a transport so listeners always get a {@link RealtimeError}. */
export function toRealtimeError(
  error: unknown,
  code: RealtimeErrorCode = 'transport_error',
  prefix?: string,
): RealtimeError {
  if (error instanceof RealtimeError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new RealtimeError(code, prefix ? `${prefix}: ${message}` : message, { cause: error });
}

/** True for the error an aborted operation rejects with, whatever created it. */
export function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || (error as { code?: unknown }).code === 'start_aborted');
}

/** The message of anything thrown. */
export function errorMessage(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'unknown error';
  }
}
