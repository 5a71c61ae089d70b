/**
 * Sessions longer than the provider allows. OpenAI ends a realtime session 60 minutes after it was
 * created; the manager rolls over to a fresh provider session before that, and recovers at once if the
 * cap comes first.
 *
 * Scheduled: `afterMs` after a provider session opened, the next one is prepared beside it (through
 * the route, so the server's policy applies again; the transport's `rollover()`). At the first pause
 * in the conversation (no reply outstanding, no audio, no tool call, the user not speaking or holding
 * talk) the manager hands over the conversation so far; the transport moves microphone and output to
 * the new session, replays the turns and releases the old one. The state never leaves `connected`;
 * actions made during the switch wait for it (`settled()`), and live config changes are held back
 * and sent to the new session after it. A transport without `rollover()` is switched by `connect()`
 * (reason `reconnect`) at a pause.
 *
 * Expired: the provider's `error` `session_expired` is expected, not the page's business; the loss
 * that follows is recovered at once the same way (the reply the cap cut is kept, interrupted), and
 * only if that connect fails does the usual, visible reconnect take over.
 */
import type { ConnectionLossCause, ConversationTurn } from '../transports/types.js';
import type { ManagerCore } from './core.js';
import { isAbortError, RealtimeError } from './errors.js';
import { errorMessage } from './manager-log.js';
import type { SessionRun } from './session-run.js';
import type { RealtimeState, RolloverOptions } from './types.js';

/** Default `afterMs`: 55 minutes, five before OpenAI's 60-minute cap. */
export const DEFAULT_ROLLOVER_AFTER_MS = 55 * 60_000;
/** Default `retryDelayMs`. */
export const DEFAULT_ROLLOVER_RETRY_MS = 30_000;

export type ResolvedRolloverOptions = Required<RolloverOptions> | null;

/** Checks rollover options; `invalid_argument` names the bad one. */
export function resolveRolloverOptions(options: RolloverOptions | false | undefined, where: string): ResolvedRolloverOptions {
  if (options === false) return null;
  if (options === undefined) return { afterMs: DEFAULT_ROLLOVER_AFTER_MS, retryDelayMs: DEFAULT_ROLLOVER_RETRY_MS };
  if (typeof options !== 'object' || options === null) {
    throw new RealtimeError('invalid_argument', `${where}: rollover must be an object ({ afterMs, retryDelayMs }) or false.`);
  }
  const check = (value: unknown, name: string, fallback: number): number => {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new RealtimeError('invalid_argument', `${where}: rollover.${name} must be a positive number of milliseconds, got ${String(value)}.`);
    }
    return value;
  };
  return { afterMs: check(options.afterMs, 'afterMs', DEFAULT_ROLLOVER_AFTER_MS), retryDelayMs: check(options.retryDelayMs, 'retryDelayMs', DEFAULT_ROLLOVER_RETRY_MS) };
}

/** What the rollover asks of the session's lifecycle. */
export interface RolloverHost {
  /** The connection is gone and could not be replaced seamlessly: the usual (visible) recovery. */
  lost(run: SessionRun, cause: ConnectionLossCause, error?: Error): void;
}

export class SessionRollover {
  #options: ResolvedRolloverOptions;
  #run: SessionRun | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #due = false;
  #attempt: AbortController | null = null;
  #switch: { done: Promise<void>; resolve: () => void; since: number } | null = null;
  #idleWaiters = new Set<() => void>();
  #userSpeaking = false;
  #talking = false;
  #expired = false;
  #openedAt = 0;
  #host: RolloverHost | null = null;

  constructor(
    private readonly core: ManagerCore,
    options: ResolvedRolloverOptions,
  ) {
    this.#options = options;
    core.state.tap((event) => {
      if (event === 'realtime:state') this.#stateChanged();
    });
  }

  bind(host: RolloverHost): void {
    this.#host = host;
  }

  /**
   * New options apply to the running provider session too, counted from when it was created; `null`
   * also gives up a rollover still preparing (one already switching finishes).
   */
  setOptions(options: ResolvedRolloverOptions): void {
    this.#options = options;
    this.#due = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (!options && !this.#switch) {
      this.#attempt?.abort(new DOMException('Rollover was turned off.', 'AbortError'));
      this.#attempt = null;
    }
    if (this.#attempt || !this.#run || this.#run.ended || !options) return;
    this.#arm(Math.max(0, this.#openedAt + options.afterMs - this.core.now()));
  }

  /** True from the hand-over until the new session runs: actions wait, config changes are held. */
  get switching(): boolean {
    return this.#switch !== null;
  }

  /** Resolves once no switch is in progress. */
  settled(): Promise<void> {
    return this.#switch?.done ?? Promise.resolve();
  }

  /**
   * A provider session of `run` opened (start, reconnect, rollover): its cap counts from when it was
   * created (`createdAt`, on the manager's clock; a rolled-over session was created when it was
   * prepared, which may be well before the hand-over), by default now.
   */
  opened(run: SessionRun, createdAt = this.core.now()): void {
    this.#run = run;
    this.#userSpeaking = false;
    this.#due = false;
    this.#openedAt = createdAt;
    const afterMs = this.#options?.afterMs;
    this.#arm(afterMs === undefined ? undefined : Math.max(0, createdAt + afterMs - this.core.now()));
  }

  /** The session ended or the connection was lost: nothing is scheduled or in flight any more. */
  stop(): void {
    this.#run = null;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#due = false;
    this.#expired = false;
    this.#attempt?.abort(new DOMException('The rollover was given up.', 'AbortError'));
    this.#attempt = null;
    this.#endSwitch();
    for (const wake of [...this.#idleWaiters]) wake();
  }

  userSpeech(speaking: boolean): void {
    this.#userSpeaking = speaking;
    if (!speaking) this.#stateChanged();
  }

  talking(talking: boolean): void {
    this.#talking = talking;
    if (!talking) this.#stateChanged();
  }

  /** The provider said the session hit its cap: the loss that follows is recovered at once. */
  noteExpired(): void {
    this.#expired = true;
    this.core.log.info('the provider ended the session at its length cap; recovering with a fresh session');
  }

  /** Whether the loss at hand is the cap's (and forgets it). */
  takeExpired(): boolean {
    const expired = this.#expired;
    this.#expired = false;
    return expired;
  }

  /** Recovers from the cap: a fresh session at once, the conversation replayed, no visible gap. */
  async recoverExpired(run: SessionRun, cause: ConnectionLossCause, error?: Error): Promise<void> {
    const { core } = this;
    clearTimeout(this.#timer);
    this.#attempt?.abort(new DOMException('The session expired.', 'AbortError'));
    this.#attempt = null;
    // The reply the cap cut is kept as far as it got, marked interrupted; the link itself stays "connected".
    core.settleLocally('disconnected', 'session expired');
    this.#beginSwitch();
    const started = core.now();
    const included = core.config.takeForConnect('rollover');
    const config = core.config.effective();
    const history = core.history.snapshot();
    try {
      await core.transport.connect({ session: core.config.forReconnect(config), reason: 'reconnect', history, sessionId: run.id }, run.controller.signal);
    } catch (failure) {
      core.config.requeue(included);
      this.#endSwitch();
      if (run.ended || core.run !== run) return;
      core.log.warn('a fresh session after the cap could not be opened; reconnecting', { error: errorMessage(failure) });
      this.#host?.lost(run, cause, error ?? (failure as Error));
      return;
    }
    if (run.ended || core.run !== run) return;
    this.#finish(run, { included, config, reason: 'expired', replayed: history.length, started, gapSince: this.#switch?.since ?? started });
  }

  #arm(afterMs: number | undefined): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const run = this.#run;
    if (afterMs === undefined || !run) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#due = true;
      this.#begin(run);
    }, afterMs);
  }

  #begin(run: SessionRun): void {
    if (!this.#due || this.#attempt || run.ended || this.core.run !== run || !this.core.live) return;
    this.#due = false;
    const attempt = new AbortController();
    this.#attempt = attempt;
    const signal = AbortSignal.any([attempt.signal, run.controller.signal]);
    void this.#roll(run, signal).finally(() => {
      if (this.#attempt === attempt) this.#attempt = null;
    });
  }

  async #roll(run: SessionRun, signal: AbortSignal): Promise<void> {
    const { core } = this;
    const started = core.now();
    const included = core.config.takeForConnect('rollover');
    const config = core.config.effective();
    const session = core.config.forReconnect(config);
    let handedOver = false;
    let replayed = 0;
    core.log.info('rolling over to a fresh provider session');
    try {
      if (core.transport.rollover) {
        await core.transport.rollover(
          {
            session,
            sessionId: run.id,
            handover: async (): Promise<readonly ConversationTurn[]> => {
              await this.#idle(signal);
              handedOver = true;
              this.#beginSwitch();
              const history = core.history.snapshot();
              replayed = history.length;
              return history;
            },
          },
          signal,
        );
      } else {
        await this.#idle(signal);
        handedOver = true;
        this.#beginSwitch();
        const history = core.history.snapshot();
        replayed = history.length;
        await core.transport.connect({ session, reason: 'reconnect', history, sessionId: run.id }, signal);
      }
      if (signal.aborted) throw new DOMException('The rollover was given up.', 'AbortError');
    } catch (error) {
      core.config.requeue(included);
      this.#endSwitch();
      if (run.ended || core.run !== run) return;
      if (!handedOver) {
        // The old session still runs: try again later (the cap may come first; then it recovers).
        if (isAbortError(error) && signal.aborted) return;
        core.log.warn('rollover could not open a fresh session; the current one goes on', { error: errorMessage(error) });
        this.#arm(this.#options?.retryDelayMs);
        return;
      }
      // The old session was released: the usual recovery takes over.
      core.log.warn('rollover failed after the hand-over; reconnecting', { error: errorMessage(error) });
      this.#host?.lost(run, 'unknown', error instanceof Error ? error : new Error(String(error)));
      return;
    }
    this.#attempt = null;
    this.#finish(run, { included, config, reason: 'scheduled', replayed, started, gapSince: this.#switch?.since ?? core.now() });
  }

  #finish(
    run: SessionRun,
    done: { included: ReturnType<ManagerCore['config']['takeForConnect']>; config: ReturnType<ManagerCore['config']['effective']>; reason: 'scheduled' | 'expired'; replayed: number; started: number; gapSince: number },
  ): void {
    const { core } = this;
    const gapMs = core.now() - done.gapSince;
    core.config.accepted(done.included);
    core.config.connectedWith(done.config);
    const running = core.config.running(done.config);
    this.#endSwitch();
    core.state.batch(() => {
      core.state.set({ session: { ...core.state.current.session, config: running } });
      core.state.emit('realtime:session:rollover', { sessionId: run.id, reason: done.reason, replayedTurns: done.replayed, gapMs: Math.round(gapMs) });
    });
    core.log.info('rolled over to a fresh provider session', { reason: done.reason, replayedTurns: done.replayed, gapMs: Math.round(gapMs) });
    core.metrics.connected('rollover', done.started, gapMs);
    this.opened(run, done.started);
    // Changes made while the new session was prepared went to the old one: the new one gets them now.
    if (JSON.stringify(core.config.effective()) !== JSON.stringify(done.config)) core.config.resync();
    core.config.refreshIfPending();
  }

  #beginSwitch(): void {
    if (this.#switch) return;
    let resolve!: () => void;
    const done = new Promise<void>((r) => (resolve = r));
    this.#switch = { done, resolve, since: this.core.now() };
  }

  #endSwitch(): void {
    const current = this.#switch;
    this.#switch = null;
    current?.resolve();
  }

  /** A pause in the conversation: live, nothing outstanding, nothing playing, nobody speaking. */
  #isIdle(state: RealtimeState = this.core.state.current): boolean {
    return this.core.live && !state.busy && !state.audioPlaying && state.pendingToolCalls === 0 && !this.#userSpeaking && !this.#talking;
  }

  #idle(signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (signal.aborted) {
          done();
          reject(signal.reason instanceof Error ? signal.reason : new DOMException('Aborted', 'AbortError'));
        } else if (this.#isIdle()) {
          done();
          resolve();
        }
      };
      const done = (): void => {
        this.#idleWaiters.delete(check);
        signal.removeEventListener('abort', check);
      };
      this.#idleWaiters.add(check);
      signal.addEventListener('abort', check);
      check();
    });
  }

  #stateChanged(): void {
    for (const wake of [...this.#idleWaiters]) wake();
    const run = this.#run;
    if (this.#due && run) this.#begin(run);
  }
}
