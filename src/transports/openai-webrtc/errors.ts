/**
 * Errors of the OpenAI WebRTC adapters, each with a stable `code` the manager and pages can branch on
 * (the manager wraps them; `cause` keeps the original).
 */

/** Stable codes of {@link OpenAIWebRTCError}. */
export type OpenAIWebRTCErrorCode =
  /** A method that needs a live connection was called before `connect()` or after a loss. */
  | 'not_connected'
  /** The operation has no meaning over WebRTC (see `sendAudio`). */
  | 'unsupported'
  /** The bootstrap from the route lacks what this adapter needs. */
  | 'invalid_bootstrap'
  /** The peer connection or its data channel did not come up. */
  | 'connection_failed'
  /** The provider did not acknowledge a `session.update` in time. */
  | 'session_update_timeout'
  /** The provider answered a `session.update` with an error. */
  | 'session_update_rejected'
  /** The conversation could not be replayed into a new connection. */
  | 'replay_failed'
  /** The connection closed while a request waited for its answer. */
  | 'connection_closed';

export class OpenAIWebRTCError extends Error {
  override readonly name = 'OpenAIWebRTCError';
  constructor(
    readonly code: OpenAIWebRTCErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * An `error` event from the provider. `code`, `type`, `param` and `eventId` are copied from the
 * event when they are strings; `eventId` names the client event that caused it.
 */
export class OpenAIServerError extends Error {
  override readonly name = 'OpenAIServerError';
  readonly code: string | undefined;
  readonly type: string | undefined;
  readonly param: string | undefined;
  readonly eventId: string | undefined;

  constructor(message: string, details: { code?: string; type?: string; param?: string; eventId?: string } = {}) {
    super(message);
    this.code = details.code;
    this.type = details.type;
    this.param = details.param;
    this.eventId = details.eventId;
  }
}

/** The error `connect()` rejects with when its signal aborts (the manager checks the name). */
export function abortError(message = 'The connection attempt was cancelled.'): DOMException {
  return new DOMException(message, 'AbortError');
}

/** Throws {@link abortError} if `signal` has aborted. */
export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw abortError();
}

/** Settles with `promise`, or rejects with an AbortError as soon as `signal` aborts. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(abortError());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      promise.catch(() => {});
      reject(abortError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Settles with `promise`, or rejects with `onTimeout()` after `ms`. The promise keeps running: the
 * caller decides what a late answer means.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
