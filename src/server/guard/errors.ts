/**
 * Errors the call guard reports (through its `onEvent` hook and the route logger; a guard never
 * throws at its caller once started).
 * @packageDocumentation
 */

/** Stable codes of {@link RealtimeCallGuardError}. */
export type RealtimeCallGuardErrorCode =
  /** The control connection to the call could not be opened (refused, unreachable, timed out). */
  | 'guard_join_failed'
  /** The control connection closed while the call may still be running. */
  | 'guard_connection_lost'
  /** The provider refused the guard's own `session.update`. */
  | 'guard_update_rejected'
  /** Hanging up the call failed. */
  | 'guard_hangup_failed';

/** Something went wrong watching a call. The message never contains the API key. */
export class RealtimeCallGuardError extends Error {
  readonly code: RealtimeCallGuardErrorCode;
  /** The call being watched. */
  readonly callId: string;

  constructor(code: RealtimeCallGuardErrorCode, callId: string, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RealtimeCallGuardError';
    this.code = code;
    this.callId = callId;
  }
}
