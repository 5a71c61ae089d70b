/**
 * A session's life: start (cancellable), stop, a loss handed to the reconnect loop, and the end after
 * an unrecoverable error. Each end releases everything the run holds and publishes the loss or the
 * stop in the same snapshot that closes the response and ends the audio.
 */
import type { ConnectionLossCause } from '../transports/types.js';
import type { ManagerCore } from './core.js';
import { RealtimeAbortError, RealtimeError, RealtimeStartError, RealtimeStateError } from './errors.js';
import { errorMessage } from './manager-log.js';
import { recoverConnection } from './reconnect.js';
import type { RealtimeSessionConfig } from './session-config.js';
import { parseSessionConfig } from './session-config-parse.js';
import { createRun, type SessionRun } from './session-run.js';
import { IDLE_RESPONSE, type StatePatch } from './state-store.js';
import { relayTransportEvents } from './transport-relay.js';
import type { StartSessionOptions } from './types.js';

type EndReason = 'stopped' | 'aborted';

export class SessionLifecycle {
  constructor(private readonly core: ManagerCore) {
    core.rollover.bind({ lost: (run, cause, error) => this.#reconnect(run, cause, error) });
  }

  async start(config: RealtimeSessionConfig | undefined, options: StartSessionOptions): Promise<void> {
    const { core } = this;
    core.assertNotDisposed();
    const status = core.state.current.session.status;
    if (status === 'active' || status === 'starting') {
      throw new RealtimeStateError('session_active', `startSession: a session is already ${status}; call stopSession() first.`);
    }
    if (config !== undefined) core.config.cache(parseSessionConfig(config, 'startSession'));
    const run = createRun(core.options.createSessionId());
    core.run = run;
    core.history.clear();
    core.responses.reset();
    core.audio.reset();
    core.tools.reset();
    core.metrics.reset(run.id);
    const startedAt = core.now();
    const external = options.signal;
    if (external?.aborted) run.controller.abort(external.reason);
    const onExternalAbort = () => void this.#end(run, 'aborted');
    external?.addEventListener('abort', onExternalAbort, { once: true });

    relayTransportEvents(core, run, (cause, error) => this.#onConnectionLost(run, cause, error));
    core.state.set({
      connection: 'connecting',
      session: { status: 'starting', id: run.id, config: null },
      response: IDLE_RESPONSE,
      audioPlaying: false,
      awaitingResponse: false,
      pendingToolCalls: 0,
      reconnecting: false,
      lastError: null,
    });
    core.log.info('session starting');

    const included = core.config.takeForConnect('start');
    const effective = core.config.effective();
    try {
      if (run.controller.signal.aborted) throw new RealtimeAbortError();
      await core.transport.connect({ session: effective, reason: 'start', history: [], sessionId: run.id }, run.controller.signal);
      if (run.ended || run.controller.signal.aborted) throw new RealtimeAbortError();
    } catch (error) {
      external?.removeEventListener('abort', onExternalAbort);
      if (run.ended || run.controller.signal.aborted) {
        await (run.ending ?? this.#end(run, 'aborted'));
        throw new RealtimeAbortError();
      }
      const failure = new RealtimeStartError(`could not start the session: ${errorMessage(error)}`, { cause: error });
      core.config.refused(included, failure, error);
      await this.#fail(run, failure);
      throw failure;
    }
    external?.removeEventListener('abort', onExternalAbort);
    core.config.accepted(included);
    core.config.connectedWith(effective);
    // What runs: the session the server created (with a policy, not quite what the page asked).
    const running = core.config.running(effective);
    core.state.set({ connection: 'connected', session: { status: 'active', id: run.id, config: running } });
    core.log.info('session started');
    core.state.emit('realtime:session:start', { sessionId: run.id, config: running });
    core.metrics.connected('start', startedAt);
    core.rollover.opened(run);
    core.config.refreshIfPending();
  }

  /** Ends the run at once (starting, live or reconnecting); afterwards nothing of it is left in the state. */
  async stop(): Promise<void> {
    const { core } = this;
    const run = core.run;
    if (!run) return;
    await (run.ending ?? this.#end(run, core.state.current.session.status === 'starting' ? 'aborted' : 'stopped'));
    // A run that failed left its error and an `error` connection: stopping is the app moving on.
    const { lastError, connection } = core.state.current;
    if (core.run === run && (lastError !== null || connection === 'error')) core.state.set({ lastError: null, connection: 'idle' });
  }

  #end(run: SessionRun, reason: EndReason): Promise<void> {
    run.ending ??= this.#finish(run, reason);
    return run.ending;
  }

  async #finish(run: SessionRun, reason: EndReason): Promise<void> {
    await this.#close(run, new RealtimeAbortError(), 'stopped', { connection: 'disconnecting' });
    this.core.state.set({
      connection: 'idle',
      session: { ...this.core.state.current.session, status: 'stopped' },
      reconnecting: false,
      lastError: null,
    });
    this.core.log.info('session ended', { reason });
    this.core.state.emit('realtime:session:end', { sessionId: run.id, reason });
  }

  /** Ends `run` after an unrecoverable error: one `realtime:error`, state error/stopped. */
  #fail(run: SessionRun, error: RealtimeError, endReason?: 'error' | 'reconnect_exhausted'): Promise<void> {
    run.ending ??= this.#finishFailed(run, error, endReason);
    return run.ending;
  }

  async #finishFailed(run: SessionRun, error: RealtimeError, endReason?: 'error' | 'reconnect_exhausted'): Promise<void> {
    const { state, log } = this.core;
    await this.#close(run, error, 'disconnected', {});
    state.batch(() => {
      state.set({
        connection: 'error',
        session: { ...state.current.session, status: 'stopped' },
        reconnecting: false,
        lastError: { code: error.code, message: error.message },
      });
      log.error(error.message, { code: error.code });
      state.emit('realtime:error', { sessionId: run.id, error });
      if (endReason) state.emit('realtime:session:end', { sessionId: run.id, reason: endReason });
    });
  }

  /**
   * What every end shares: waits cancelled, transport listeners off, tool calls aborted, the reply
   * closed and the audio ended (in one snapshot with `patch`), patches kept for the next start, and
   * the transport disconnected (a failing disconnect is only logged).
   */
  async #close(run: SessionRun, reason: Error, audioReason: 'stopped' | 'disconnected', patch: StatePatch): Promise<void> {
    const { core } = this;
    run.ended = true;
    run.controller.abort(reason);
    core.rollover.stop();
    for (const unsubscribe of run.unsubscribe) unsubscribe();
    run.unsubscribe = [];
    core.state.batch(() => {
      core.settleLocally(audioReason, 'session ended', patch);
      core.tools.reset();
      core.microphone.reset();
    });
    core.config.endSession();
    try {
      await core.transport.disconnect();
    } catch (error) {
      core.log.warn('transport disconnect failed', { error: errorMessage(error) });
    }
  }

  #onConnectionLost(run: SessionRun, cause: ConnectionLossCause, error?: Error): void {
    const { core } = this;
    if (core.state.current.session.status !== 'active' || core.state.current.reconnecting) return;
    const expired = core.rollover.takeExpired();
    core.rollover.stop();
    // The provider ended the session at its cap (it said so first): a fresh one at once, no visible gap.
    if (expired) {
      void core.rollover.recoverExpired(run, cause, error);
      return;
    }
    this.#reconnect(run, cause, error);
  }

  /** The usual recovery: the loss is shown (`reconnecting`) and the reconnect loop runs. */
  #reconnect(run: SessionRun, cause: ConnectionLossCause, error?: Error): void {
    const { core } = this;
    if (run.ended || core.run !== run || core.state.current.reconnecting) return;
    core.rollover.stop();
    core.log.warn('connection lost', { cause, error: error?.message });
    const message = `the connection was lost (${cause})${error ? `: ${error.message}` : ''}`;
    core.settleLocally('disconnected', 'connection lost', {
      connection: 'connecting',
      reconnecting: true,
      lastError: { code: 'connection_lost', message },
    });
    void recoverConnection(core, run, cause, (failure) => this.#fail(run, failure, 'reconnect_exhausted'));
  }
}
