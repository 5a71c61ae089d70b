/**
 * Waits `ms` milliseconds unless `signal` aborts first. Resolves `true` when the full time
 * passed and `false` when aborted, so pacing loops read `if (!(await pause(...))) break` instead
 * of wrapping every step in try/catch.
 */
export function pause(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
