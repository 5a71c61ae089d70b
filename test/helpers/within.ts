/**
 * Bounds the wait for `pending` from now, not from when it was created: a test catches an event before
 * the steps that cause it (so it cannot be missed), and bounds the wait only once those steps are done,
 * so speaking for real time or a loaded machine's round trip do not eat into the bound.
 */
export function within<T>(pending: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  return Promise.race([pending, late]).finally(() => clearTimeout(timer));
}

/**
 * The bound of a hook whose job is to open a session (a connect is not what its tests check): with
 * three engines' runners on 2 cores a connect has taken over mocha's default 20 s (Firefox, the SDK
 * having given up on its session.updated ack after 5 s of it), and a hook that times out fails every
 * test under it.
 */
export const CONNECT_HOOK_TIMEOUT_MS = 45_000;
