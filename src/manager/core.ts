/**
 * The parts of one manager and how they are wired: state and events, log, history, responses, audio,
 * tool calls and the live config. The lifecycle, the reconnect loop, the transport relay and the public
 * facade all work through this object.
 */
import type { RealtimeTransport } from '../transports/types.js';
import { AssistantAudio, type AudioEndReason } from './assistant-audio.js';
import { RealtimeError, RealtimeStateError } from './errors.js';
import { EventHub } from './event-hub.js';
import { ConversationHistory } from './history.js';
import { LiveConfig } from './live-config.js';
import { errorMessage, ManagerLog } from './manager-log.js';
import { MetricsRecorder } from './metrics.js';
import { MicrophoneTracker } from './microphone-status.js';
import { SessionRollover } from './rollover.js';
import { ScreenWakeLock } from './wake-lock.js';
import { resolveManagerOptions, type ResolvedManagerOptions } from './options.js';
import { ResponseTracker } from './responses.js';
import type { SessionRun } from './session-run.js';
import { StateStore, type StatePatch } from './state-store.js';
import { ToolCallCoordinator } from './tool-calls.js';
import type { RealtimeManagerOptions, RealtimeToolResult } from './types.js';

export class ManagerCore {
  readonly options: ResolvedManagerOptions;
  readonly hub: EventHub;
  readonly log: ManagerLog;
  readonly state: StateStore;
  readonly history: ConversationHistory;
  readonly audio: AssistantAudio;
  readonly config: LiveConfig;
  readonly tools: ToolCallCoordinator;
  readonly responses: ResponseTracker;
  readonly microphone: MicrophoneTracker;
  readonly metrics: MetricsRecorder;
  readonly rollover: SessionRollover;
  readonly wakeLock: ScreenWakeLock;
  /** The current (or last) session run. */
  run: SessionRun | null = null;
  disposed = false;

  constructor(
    readonly transport: RealtimeTransport,
    options: RealtimeManagerOptions,
  ) {
    this.options = resolveManagerOptions(options);
    this.log = new ManagerLog(options.logger, () => this.state.current.session.id);
    this.hub = new EventHub((event, error) => this.log.warn('event listener threw; ignored', { event, error: errorMessage(error) }));
    this.state = new StateStore(this.hub);
    this.history = new ConversationHistory(this.options.history);
    this.audio = new AssistantAudio(this.state, () => this.sessionId);
    this.config = new LiveConfig(
      { transport, state: this.state, log: this.log, run: () => this.run, paused: () => this.rollover.switching },
      options.defaultSessionConfig ?? {},
      options.character ?? null,
    );
    for (const tool of options.tools ?? []) this.config.registry.register(tool);
    this.tools = new ToolCallCoordinator({
      registry: { get: (name) => this.config.toolAsSent(name) },
      projectors: [...(options.resultProjectors ?? [])],
      defaultTimeoutMs: this.options.toolTimeoutMs,
      log: this.log,
      sessionId: () => this.sessionId,
      character: () => this.config.character,
      emit: (event, payload) => this.state.emit(event, payload),
      batch: (change) => this.state.batch(change),
      send: (callId, output, requestResponse) => this.#sendToolResult(callId, output, requestResponse),
      outstandingChanged: (count) => {
        if (count !== this.state.current.pendingToolCalls) this.state.set({ pendingToolCalls: count });
      },
    });
    this.responses = new ResponseTracker(
      {
        state: this.state,
        history: this.history,
        log: this.log,
        sessionId: () => this.sessionId,
        ended: (responseId) => {
          this.tools.handleResponseDone(responseId);
          this.config.afterResponseSettled();
        },
        timedOut: (responseOpen) => this.#onResponseTimeout(responseOpen),
      },
      this.options.responseTimeoutMs,
    );
    this.microphone = new MicrophoneTracker(this.state, () => this.state.current.session.id);
    this.metrics = new MetricsRecorder(this.state, this.options.now, this.options.metricsTurns, this.options.prices);
    this.rollover = new SessionRollover(this, this.options.rollover);
    const environment = this.options.wakeLockEnvironment;
    this.wakeLock = new ScreenWakeLock(this.log, this.options.wakeLock, environment ? () => environment : undefined);
    this.state.tap((event, payload) => {
      if (event === 'realtime:state') this.wakeLock.sessionActive((payload as { state: { session: { status: string } } }).state.session.status === 'active');
    });
  }

  /** The manager's clock (ms), for measurements. */
  now(): number {
    return this.options.now();
  }

  get sessionId(): string {
    return this.state.current.session.id ?? '';
  }

  /** Active and connected: user actions may reach the provider. */
  get live(): boolean {
    const { session, connection } = this.state.current;
    return session.status === 'active' && connection === 'connected';
  }

  /**
   * Stops whatever reply is outstanding here, in one snapshot with `patch`: tool calls aborted, open
   * responses closed as interrupted (partial text kept), audio ended with the mouth closed, the
   * awaited reply dropped. Used by interrupt, a response timeout, a loss and stop.
   */
  settleLocally(audioReason: AudioEndReason, why: string, patch: StatePatch = {}): void {
    this.state.batch(() => {
      this.tools.abortAll(why);
      this.responses.closeAll();
      this.audio.end(audioReason);
      this.state.set(patch);
    });
  }

  assertNotDisposed(): void {
    if (this.disposed) throw new RealtimeError('disposed', 'this manager was disposed; create a new one.');
  }

  assertLive(method: string): void {
    this.assertNotDisposed();
    if (this.state.current.session.status !== 'active') {
      throw new RealtimeStateError('session_inactive', `${method}: no active session; call startSession() first.`);
    }
    if (this.state.current.connection !== 'connected') {
      throw new RealtimeStateError('reconnecting', `${method}: the connection is recovering; try again after realtime:reconnect:success.`);
    }
  }

  async #sendToolResult(callId: string, output: RealtimeToolResult, requestResponse: boolean): Promise<void> {
    if (this.state.current.connection !== 'connected') throw new RealtimeStateError('reconnecting', 'not connected');
    if (requestResponse) {
      this.responses.awaitReply(false);
      this.metrics.turnEnded('tool-result');
    }
    try {
      await this.transport.sendToolResult(callId, output, { requestResponse });
    } catch (error) {
      if (requestResponse) {
        this.responses.cancelAwait();
        this.metrics.cancelPending();
      }
      throw error;
    }
  }

  #onResponseTimeout(responseOpen: boolean): void {
    const run = this.run;
    if (!run || run.ended || !this.live) return;
    const ms = this.options.responseTimeoutMs;
    const error = new RealtimeError(
      'response_timeout',
      responseOpen
        ? `the response received no event for ${ms} ms and was stopped`
        : `no reply started within ${ms} ms of the request`,
    );
    this.state.batch(() => {
      this.settleLocally('interrupted', 'response timed out', { lastError: { code: error.code, message: error.message } });
      this.state.emit('realtime:error', { sessionId: run.id, error });
    });
    // The provider may still be running it; a cancel is only sent for a response that exists.
    if (responseOpen) {
      this.transport.interrupt().catch((cause: unknown) => this.log.warn('cancelling the timed-out response failed', { error: errorMessage(cause) }));
    }
    this.config.afterResponseSettled();
  }
}
