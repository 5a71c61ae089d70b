/**
 * The upstream call's deadline: one signal that aborts when the timeout passes or when the browser's
 * request is aborted (the client went away).
 *
 * Not `AbortSignal.any([AbortSignal.timeout(ms), request.signal])`: on Node 20 nothing keeps the
 * composite signal's timeout alive, so after a garbage collection it never fires and a hung upstream
 * holds the request forever (nodejs/node#57736). Here the timer is ours: the event loop keeps it, the
 * timer keeps the controller, and `dispose` releases both.
 * @packageDocumentation
 */

/** A deadline for one upstream call. */
export interface UpstreamDeadline {
  /** Aborts with a `TimeoutError` when the time is up, or with the request's reason when it aborts. */
  readonly signal: AbortSignal;
  /** Clears the timer and the listener on the request signal. Call it once the upstream call is over. */
  dispose(): void;
}

/** Starts a deadline of `timeoutMs` that also follows `requestSignal`. */
export function startUpstreamDeadline(timeoutMs: number, requestSignal?: AbortSignal): UpstreamDeadline {
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort(new DOMException(`The upstream did not answer within ${timeoutMs} ms.`, 'TimeoutError'));
  }, timeoutMs);
  const follow = (): void => controller.abort(requestSignal?.reason);
  if (requestSignal?.aborted) follow();
  else requestSignal?.addEventListener('abort', follow, { once: true });
  return {
    signal: controller.signal,
    dispose() {
      clearTimeout(timer);
      requestSignal?.removeEventListener('abort', follow);
    },
  };
}
