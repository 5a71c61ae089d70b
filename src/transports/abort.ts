/**
 * Cancellation and time limits shared by the transports: the `AbortError` a cancelled connect rejects
 * with (the manager checks the name), and wrappers that end a wait on an `AbortSignal` or a timeout.
 * @packageDocumentation
 */

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
