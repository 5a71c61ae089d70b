/**
 * Recovering a lost connection: attempts with backoff and jitter, abortable waits, waiting for the
 * network while offline. An attempt the route refused with a `Retry-After` (429 `rate_limited`) makes
 * the next one wait at least that long, so a rate-limited page does not spend its attempts inside the
 * window it was told to wait out. `lastError` follows each failed attempt and clears when one
 * succeeds; the conversation kept so far is handed to the transport to replay.
 */
import type { ConnectionLossCause } from '../transports/types.js';
import { abortableDelay, backoffDelay, retryAfterMs, waitForOnline } from './backoff.js';
import type { ManagerCore } from './core.js';
import { RealtimeError, toRealtimeError } from './errors.js';
import type { IncludedPatches } from './live-config.js';
import type { SessionRun } from './session-run.js';
import { codeOf } from './transport-relay.js';

/** Ends the run when reconnecting gives up. */
export type GiveUp = (error: RealtimeError) => Promise<void>;

export async function recoverConnection(core: ManagerCore, run: SessionRun, initialCause: ConnectionLossCause, giveUp: GiveUp): Promise<void> {
  const signal = run.controller.signal;
  const { reconnect, network, random } = core.options;
  const { maxAttempts } = reconnect;
  let cause: ConnectionLossCause | 'connect-failed' = initialCause;
  let lastError: RealtimeError | null = null;
  /** The wait the last refusal asked for (its `Retry-After`), if any. */
  let askedMs = 0;
  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    const delayMs = Math.max(backoffDelay(attempt, reconnect, random), askedMs);
    core.state.emit('realtime:reconnect:attempt', { sessionId: run.id, attempt, maxAttempts, delayMs, cause });
    core.log.info('reconnect attempt', { attempt, delayMs, cause });
    let included: IncludedPatches = [];
    try {
      await abortableDelay(delayMs, signal);
      // Offline: wait for the network instead of spending attempts that cannot succeed.
      await waitForOnline(network, signal);
      included = core.config.takeForConnect('reconnect');
      const connectStarted = core.now();
      const config = core.config.effective();
      // The page's live changes ride along, as the running session's policy allows them.
      const session = core.config.forReconnect(config);
      await core.transport.connect({ session, reason: 'reconnect', history: core.history.snapshot(), sessionId: run.id }, signal);
      if (run.ended || signal.aborted) return;
      core.config.accepted(included);
      core.config.connectedWith(config);
      const running = core.config.running(config);
      core.state.set({ connection: 'connected', reconnecting: false, lastError: null, session: { ...core.state.current.session, config: running } });
      core.log.info('reconnected', { attempt });
      core.state.emit('realtime:reconnect:success', { sessionId: run.id, attempt });
      core.metrics.connected('reconnect', connectStarted);
      core.rollover.opened(run);
      core.config.refreshIfPending();
      return;
    } catch (attemptError) {
      // Keep the patches for the next attempt: a failed connect is not a refusal of the config.
      core.config.requeue(included);
      if (run.ended || signal.aborted) return;
      lastError = toRealtimeError(attemptError, 'connection_failed', `reconnect attempt ${attempt} failed`);
      askedMs = retryAfterMs(attemptError) ?? 0;
      core.state.set({ lastError: { code: codeOf(attemptError) ?? lastError.code, message: lastError.message } });
      cause = 'connect-failed';
      core.log.warn('reconnect attempt failed', { attempt, code: core.state.current.lastError?.code, error: lastError.message, ...(askedMs ? { retryAfterMs: askedMs } : {}) });
    }
  }
  if (run.ended) return;
  core.state.emit('realtime:reconnect:exhausted', { sessionId: run.id, attempts: maxAttempts, lastError });
  await giveUp(
    new RealtimeError(
      'reconnect_exhausted',
      `the connection was lost and ${maxAttempts} reconnect attempt(s) failed${lastError ? `: ${lastError.message}` : ''}`,
      { cause: lastError ?? undefined },
    ),
  );
}
