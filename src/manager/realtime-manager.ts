/**
 * The realtime session brain: state machine, tool calls, live session updates, reconnects and the event
 * relay. Knows transports only through {@link RealtimeTransport}.
 * @packageDocumentation
 */
import type {
  AssistantPhase,
  ConnectionLossCause,
  ConversationTurn,
  DelegationAnswerKind,
  RealtimeTransport,
  RealtimeTransportEventMap,
  TransportResponseStatus,
} from '../transports/types.js';
import { abortableDelay, backoffDelay, browserNetworkStatus, resolveReconnectOptions, waitForOnline } from './backoff.js';
import type { ResolvedReconnectOptions } from './backoff.js';
import {
  RealtimeAbortError,
  RealtimeError,
  RealtimeStartError,
  RealtimeStateError,
  RealtimeUpdateError,
  toRealtimeError,
} from './errors.js';
import { EventHub } from './event-hub.js';
import { buildRealtimeSessionConfig } from './instructions.js';
import type { RealtimeFunctionDefinition, RealtimeSessionConfig } from './session-config.js';
import { CoalescingRunner, mergeSessionConfig, SessionConfigStore } from './session-config-store.js';
import { PolicyLock } from './policy-lock.js';
import { parseSessionConfig } from './session-config-parse.js';
import { ToolCallCoordinator } from './tool-calls.js';
import { ToolRegistry } from './tool-registry.js';
import type {
  NetworkStatus,
  RealtimeCharacter,
  RealtimeEventEmitter,
  RealtimeLogger,
  RealtimeManager,
  RealtimeManagerEventMap,
  RealtimeManagerEventName,
  RealtimeManagerOptions,
  RealtimeState,
  RealtimeToolRegistration,
  StartSessionOptions,
} from './types.js';

const INITIAL_STATE: RealtimeState = {
  connection: 'idle',
  session: { status: 'idle', id: null, config: null },
  response: { id: null, status: 'idle', text: '' },
  audioPlaying: false,
  awaitingResponse: false,
  pendingToolCalls: 0,
  reconnecting: false,
  lastError: null,
};

/** One `startSession()` … end. Callbacks of an older run compare against the current one and bail. */
interface SessionRun {
  id: string;
  controller: AbortController;
  ended: boolean;
  /** Settles when the run has fully ended (transport disconnected, state stopped, events out). */
  ending?: Promise<void>;
  unsubscribe: Array<() => void>;
}

/**
 * Creates a manager over `transport`. The manager owns state, tools and reconnects; the transport only
 * moves bytes.
 */
export function createRealtimeManager(
  transport: RealtimeTransport,
  options: RealtimeManagerOptions = {},
): RealtimeManager {
  return new DefaultRealtimeManager(transport, options);
}

class DefaultRealtimeManager implements RealtimeManager {
  #state: RealtimeState = INITIAL_STATE;
  #hub: EventHub;
  #registry = new ToolRegistry();
  #configs: SessionConfigStore;
  #character: RealtimeCharacter | null;
  #run: SessionRun | null = null;
  #history: ConversationTurn[] = [];
  /** Responses interrupted locally: their late deltas and done events are dropped. */
  #interrupted = new Set<string>();
  #toolsDirty = false;
  #disposed = false;
  #tools: ToolCallCoordinator;
  #refresher: CoalescingRunner;
  #reconnect: ResolvedReconnectOptions;
  #network: NetworkStatus;
  #random: () => number;
  #createSessionId: () => string;
  #logger: RealtimeLogger | undefined;
  /** The server's policy over the running session (policy-lock.ts); inactive between sessions. */
  #lock = new PolicyLock();
  /** The page's effective config of the last (re)connect: what the route judged. */
  #connectedWith: RealtimeSessionConfig = {};

  constructor(
    private readonly transport: RealtimeTransport,
    options: RealtimeManagerOptions,
  ) {
    this.#logger = options.logger;
    this.#hub = new EventHub((event, error) =>
      this.#log('warn', 'event listener threw; ignored', { event, error: errorMessage(error) }),
    );
    this.#configs = new SessionConfigStore(withoutTools(options.defaultSessionConfig ?? {}));
    this.#character = options.character ?? null;
    this.#reconnect = resolveReconnectOptions(options.reconnect);
    this.#network = options.network ?? browserNetworkStatus();
    this.#random = options.random ?? Math.random;
    this.#createSessionId = options.createSessionId ?? (() => crypto.randomUUID());
    for (const tool of options.tools ?? []) this.#registry.register(tool);
    this.#tools = new ToolCallCoordinator({
      registry: this.#registry,
      projectors: [...(options.resultProjectors ?? [])],
      defaultTimeoutMs: options.toolTimeoutMs ?? 10_000,
      sessionId: () => this.#state.session.id ?? '',
      character: () => this.#character,
      emit: (event, payload) => this.#hub.emit(event, payload),
      warn: (message, context) => this.#log('warn', message, context),
      send: (callId, output, requestResponse) => this.#sendToolResult(callId, output, requestResponse),
      outstandingChanged: (count) => {
        if (count !== this.#state.pendingToolCalls) this.#setState({ pendingToolCalls: count });
      },
    });
    this.#refresher = new CoalescingRunner(() => this.#applyLiveUpdate());
  }

  get levels() {
    return this.transport.levels ?? {};
  }

  getState(): RealtimeState {
    return this.#state;
  }

  // ── lifecycle ────────────────────────────────────────────────────────────────────────────────

  async startSession(config?: RealtimeSessionConfig, options: StartSessionOptions = {}): Promise<void> {
    this.#assertNotDisposed();
    this.#assertCanStart();
    if (config !== undefined) this.#configs.cache(parseSessionConfig(config, 'startSession'));
    const run: SessionRun = {
      id: this.#createSessionId(),
      controller: new AbortController(),
      ended: false,
      unsubscribe: [],
    };
    this.#run = run;
    this.#history = [];
    this.#interrupted.clear();
    this.#tools.reset();
    const external = options.signal;
    if (external?.aborted) run.controller.abort(external.reason);
    const onExternalAbort = () => void this.#endRun(run, 'aborted');
    external?.addEventListener('abort', onExternalAbort, { once: true });

    this.#subscribe(run);
    this.#setState({
      connection: 'connecting',
      session: { status: 'starting', id: run.id, config: null },
      response: { id: null, status: 'idle', text: '' },
      audioPlaying: false,
      awaitingResponse: false,
      pendingToolCalls: 0,
      reconnecting: false,
      lastError: null,
    });
    this.#log('info', 'session starting');

    const included = this.#configs.take();
    const effective = this.getEffectiveConfig();
    try {
      if (run.controller.signal.aborted) throw new RealtimeAbortError();
      await this.transport.connect(
        { session: effective, reason: 'start', history: [], sessionId: run.id },
        run.controller.signal,
      );
      if (run.ended || run.controller.signal.aborted) throw new RealtimeAbortError();
    } catch (error) {
      external?.removeEventListener('abort', onExternalAbort);
      if (run.ended || run.controller.signal.aborted) {
        await (run.ending ?? this.#endRun(run, 'aborted'));
        throw new RealtimeAbortError();
      }
      const failure = new RealtimeStartError(`could not start the session: ${errorMessage(error)}`, { cause: error });
      this.#configs.reject(included, failure);
      await this.#failRun(run, failure);
      throw failure;
    }
    external?.removeEventListener('abort', onExternalAbort);
    this.#configs.accept(included);
    this.#connectedWith = effective;
    // What runs: the session the server created (with a policy, not quite what the page asked).
    const running = this.#lock.wire(effective);
    this.#setState({
      connection: 'connected',
      session: { status: 'active', id: run.id, config: running },
    });
    this.#log('info', 'session started');
    this.#hub.emit('realtime:session:start', { sessionId: run.id, config: running });
    if (this.#configs.hasPending || this.#toolsDirty) this.#requestRefresh();
  }

  #assertCanStart(): void {
    const status = this.#state.session.status;
    if (status === 'active' || status === 'starting') {
      throw new RealtimeStateError('session_active', `startSession: a session is already ${status}; call stopSession() first.`);
    }
  }

  async stopSession(): Promise<void> {
    const run = this.#run;
    if (!run) return;
    if (run.ending) return run.ending;
    await this.#endRun(run, this.#state.session.status === 'starting' ? 'aborted' : 'stopped');
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    await this.stopSession();
    this.#disposed = true;
    this.#hub.clear();
  }

  /** Ends `run` on request (stop or abort): cancels whatever it waits on and converges to stopped. */
  #endRun(run: SessionRun, reason: 'stopped' | 'aborted'): Promise<void> {
    run.ending ??= this.#finishRun(run, reason);
    return run.ending;
  }

  async #finishRun(run: SessionRun, reason: 'stopped' | 'aborted'): Promise<void> {
    await this.#closeRun(run, new RealtimeAbortError(), 'stopped', true);
    this.#setState({
      connection: 'idle',
      session: { ...this.#state.session, status: 'stopped' },
      reconnecting: false,
      awaitingResponse: false,
    });
    this.#log('info', 'session ended', { reason });
    this.#hub.emit('realtime:session:end', { sessionId: run.id, reason });
  }

  /** Ends `run` after an unrecoverable error: one `realtime:error`, state error/stopped. */
  #failRun(run: SessionRun, error: RealtimeError, endReason?: 'error' | 'reconnect-exhausted'): Promise<void> {
    run.ending ??= this.#finishFailedRun(run, error, endReason);
    return run.ending;
  }

  async #finishFailedRun(run: SessionRun, error: RealtimeError, endReason?: 'error' | 'reconnect-exhausted'): Promise<void> {
    await this.#closeRun(run, error, 'disconnected', false);
    this.#setState({
      connection: 'error',
      session: { ...this.#state.session, status: 'stopped' },
      reconnecting: false,
      awaitingResponse: false,
      lastError: { code: error.code, message: error.message },
    });
    this.#log('error', error.message, { code: error.code });
    this.#hub.emit('realtime:error', { sessionId: run.id, error });
    if (endReason) this.#hub.emit('realtime:session:end', { sessionId: run.id, reason: endReason });
  }

  /**
   * Shared part of ending a run: whatever it waits on is aborted, listeners off, tools aborted, the
   * turn closed, patches kept, and the transport disconnected (a failing disconnect is only logged).
   */
  async #closeRun(run: SessionRun, reason: Error, audioEndReason: 'stopped' | 'disconnected', showDisconnecting: boolean): Promise<void> {
    run.ended = true;
    run.controller.abort(reason);
    for (const unsubscribe of run.unsubscribe) unsubscribe();
    run.unsubscribe = [];
    this.#lock.clear();
    this.#tools.reset();
    this.#closeResponse('interrupted');
    this.#endAudio(audioEndReason);
    this.#configs.foldAll();
    this.#toolsDirty = false;
    if (showDisconnecting) this.#setState({ connection: 'disconnecting' });
    try {
      await this.transport.disconnect();
    } catch (error) {
      this.#log('warn', 'transport disconnect failed', { error: errorMessage(error) });
    }
  }

  // ── user actions ─────────────────────────────────────────────────────────────────────────────

  async sendMessage(text: string): Promise<void> {
    if (typeof text !== 'string' || text.trim() === '') {
      throw new RealtimeError('invalid_argument', 'sendMessage: text must be a non-empty string.');
    }
    this.#assertLive('sendMessage');
    if (this.#responseOutstanding()) {
      throw new RealtimeStateError(
        'response_in_progress',
        'sendMessage: the assistant is still responding; call interrupt() first, or wait for realtime:assistant:done.',
      );
    }
    const turn: ConversationTurn = { role: 'user', text };
    this.#history.push(turn);
    this.#setState({ awaitingResponse: true, response: { id: null, status: 'idle', text: '' } });
    try {
      await this.transport.sendText(text);
    } catch (error) {
      // Not sent, so not part of the conversation a reconnect would replay.
      const index = this.#history.indexOf(turn);
      if (index >= 0) this.#history.splice(index, 1);
      this.#setState({ awaitingResponse: false });
      throw toRealtimeError(error, 'transport_error', 'sendMessage');
    }
    this.#hub.emit('realtime:user:message', { sessionId: this.#state.session.id ?? '', text });
  }

  async sendAudioChunk(chunk: ArrayBuffer): Promise<void> {
    if (!(chunk instanceof ArrayBuffer)) {
      throw new RealtimeError('invalid_argument', 'sendAudioChunk: chunk must be an ArrayBuffer of PCM16 audio.');
    }
    this.#assertLive('sendAudioChunk');
    try {
      await this.transport.sendAudio(chunk);
    } catch (error) {
      throw toRealtimeError(error, 'transport_error', 'sendAudioChunk');
    }
  }

  async interrupt(): Promise<void> {
    this.#assertLive('interrupt');
    this.#tools.abortAll('interrupted');
    this.#closeResponse('interrupted');
    this.#endAudio('interrupted');
    this.#setState({ awaitingResponse: false });
    try {
      await this.transport.interrupt();
    } catch (error) {
      throw toRealtimeError(error, 'transport_error', 'interrupt');
    }
    this.#afterResponseSettled();
  }

  setMuted(muted: boolean): void {
    this.transport.setMuted?.(Boolean(muted));
  }

  async answerDelegation(delegationId: string, content: string, options: { kind?: DelegationAnswerKind } = {}): Promise<void> {
    const kind = options.kind ?? 'commentary';
    if (typeof delegationId !== 'string' || delegationId === '') {
      throw new RealtimeError('invalid_argument', 'answerDelegation: delegationId must be the id of a realtime:delegation event.');
    }
    if (typeof content !== 'string' || content.trim() === '') {
      throw new RealtimeError('invalid_argument', 'answerDelegation: content must be a non-empty string.');
    }
    if (kind !== 'commentary' && kind !== 'thinking') {
      throw new RealtimeError('invalid_argument', 'answerDelegation: kind must be "commentary" or "thinking".');
    }
    this.#assertLive('answerDelegation');
    if (!this.transport.answerDelegation) {
      throw new RealtimeError('unsupported', 'answerDelegation: this transport has no delegations (GPT-Live has them: adapter openai-live-webrtc).');
    }
    // The model speaks commentary: the page waits for that answer as for a reply.
    if (kind === 'commentary') this.#setState({ awaitingResponse: true });
    try {
      await this.transport.answerDelegation(delegationId, content, kind);
    } catch (error) {
      if (kind === 'commentary') this.#setState({ awaitingResponse: false });
      throw toRealtimeError(error, 'transport_error', 'answerDelegation');
    }
  }

  async startTalking(): Promise<void> {
    this.#assertPushToTalk('startTalking');
    // Pressing talk while the assistant speaks is a barge-in.
    if (this.#state.response.status === 'responding' || this.#state.audioPlaying) await this.interrupt();
    try {
      await this.transport.startInputTurn!();
    } catch (error) {
      throw toRealtimeError(error, 'transport_error', 'startTalking');
    }
  }

  async stopTalking(): Promise<void> {
    this.#assertPushToTalk('stopTalking');
    this.#setState({ awaitingResponse: true, response: { id: null, status: 'idle', text: '' } });
    try {
      await this.transport.commitInputTurn!();
    } catch (error) {
      this.#setState({ awaitingResponse: false });
      throw toRealtimeError(error, 'transport_error', 'stopTalking');
    }
  }

  #assertPushToTalk(method: string): void {
    this.#assertLive(method);
    if (this.getEffectiveConfig().turnDetection !== null) {
      throw new RealtimeStateError(
        'turn_detection_on',
        `${method}: push-to-talk needs turn detection off; call updateSession({ turnDetection: null }) first.`,
      );
    }
    if (!this.transport.startInputTurn || !this.transport.commitInputTurn) {
      throw new RealtimeError('unsupported', `${method}: this transport has no push-to-talk (startInputTurn/commitInputTurn).`);
    }
  }

  // ── configuration ───────────────────────────────────────────────────────────────────────────

  async updateSession(patch: RealtimeSessionConfig): Promise<void> {
    this.#assertNotDisposed();
    const clean = parseSessionConfig(patch, 'updateSession');
    const status = this.#state.session.status;
    if (status !== 'active' && status !== 'starting') {
      this.#configs.cache(clean);
      return;
    }
    // Refused before anything is queued or sent when the server's policy owns what it changes.
    this.#lock.check(this.getEffectiveConfig(), this.#effective(mergeSessionConfig(this.#configs.requested(), clean)), 'updateSession');
    const applied = this.#configs.enqueue(clean);
    // Starting or reconnecting: the (re)connect reads the latest config, so the patch rides along.
    if (status === 'active' && this.#state.connection === 'connected') this.#requestRefresh();
    return applied;
  }

  setCharacter(character: RealtimeCharacter | null): void {
    if (character !== null && (typeof character !== 'object' || typeof character.name !== 'string')) {
      throw new RealtimeError('invalid_argument', 'setCharacter: expected an object with a string name, or null.');
    }
    // A character builds instructions and may pick a voice: both are the policy's to allow.
    this.#lock.check(this.getEffectiveConfig(), this.#effective(undefined, character), 'setCharacter');
    this.#character = character;
    this.#markToolsOrCharacterChanged();
  }

  getCharacter(): RealtimeCharacter | null {
    return this.#character;
  }

  registerTool(tool: RealtimeToolRegistration): void {
    if (this.#lock.active) this.#checkTool(tool);
    this.#registry.register(tool);
    this.#markToolsOrCharacterChanged();
  }

  unregisterTool(name: string): boolean {
    const removed = this.#registry.unregister(name);
    if (removed) this.#markToolsOrCharacterChanged();
    return removed;
  }

  getRegisteredTools(): RealtimeFunctionDefinition[] {
    return this.#registry.definitions();
  }

  getEffectiveConfig(): RealtimeSessionConfig {
    return this.#effective();
  }

  #effective(
    base = this.#configs.requested(),
    character = this.#character,
    tools = this.#registry.definitions(),
  ): RealtimeSessionConfig {
    const withCharacter = character ? buildRealtimeSessionConfig({ character, baseConfig: base }) : { ...base };
    return { ...withCharacter, tools };
  }

  /** Refuses a tool the running session's policy does not allow (checked as the registry would hold it). */
  #checkTool(tool: RealtimeToolRegistration): void {
    const probe = new ToolRegistry();
    probe.register(tool);
    const definition = probe.definitions()[0]!;
    const tools = this.#registry.definitions();
    const index = tools.findIndex((existing) => existing.name === definition.name);
    if (index >= 0) tools[index] = definition;
    else tools.push(definition);
    this.#lock.check(this.getEffectiveConfig(), this.#effective(undefined, undefined, tools), 'registerTool');
  }

  /** A tools or character change reaches a live session once no response is outstanding. */
  #markToolsOrCharacterChanged(): void {
    if (this.#state.session.status !== 'active' && this.#state.session.status !== 'starting') return;
    this.#toolsDirty = true;
    if (this.#state.session.status === 'active' && this.#state.connection === 'connected' && !this.#responseOutstanding()) {
      this.#requestRefresh();
    }
  }

  #requestRefresh(): void {
    this.#refresher.request().catch(() => {
      // Reported through realtime:error and the patches' own promises.
    });
  }

  async #applyLiveUpdate(): Promise<void> {
    const run = this.#run;
    if (!run || run.ended || this.#state.connection !== 'connected') return;
    this.#toolsDirty = false;
    const included = this.#screen(this.#configs.take());
    const config = this.getEffectiveConfig();
    const session = this.#lock.wire(config);
    try {
      await this.transport.updateSession(session);
    } catch (error) {
      if (run.ended || this.#run !== run) return;
      const failure = new RealtimeUpdateError(`session update refused: ${errorMessage(error)}`, { cause: error });
      this.#configs.reject(included, failure);
      this.#setState({ lastError: { code: failure.code, message: failure.message } });
      this.#hub.emit('realtime:error', { sessionId: run.id, error: failure });
      throw failure;
    }
    if (run.ended || this.#run !== run) return;
    this.#configs.accept(included);
    this.#setState({ session: { ...this.#state.session, config: session } });
  }

  /**
   * Patches queued before the session opened (its policy unknown then) are judged now, against the
   * config the route judged; the refused ones reject with `policy_locked` and are not sent.
   */
  #screen(entries: ReturnType<SessionConfigStore['take']>): ReturnType<SessionConfigStore['take']> {
    if (!this.#lock.active) return entries;
    return entries.filter((entry) => {
      try {
        this.#lock.check(this.#connectedWith, mergeSessionConfig(this.#connectedWith, entry.patch), 'updateSession');
        return true;
      } catch (error) {
        this.#configs.reject([entry], error as Error);
        return false;
      }
    });
  }

  // ── transport events ────────────────────────────────────────────────────────────────────────

  #subscribe(run: SessionRun): void {
    const on = <K extends keyof RealtimeTransportEventMap>(
      event: K,
      handler: (payload: RealtimeTransportEventMap[K]) => void,
    ) => {
      run.unsubscribe.push(
        this.transport.on(event, (payload) => {
          if (run.ended || this.#run !== run) return;
          try {
            handler(payload);
          } catch (error) {
            this.#log('error', 'handling a transport event failed', { event, error: errorMessage(error) });
          }
        }),
      );
    };
    on('session:opened', (opened) => this.#lock.open(opened));
    on('connection:lost', ({ cause, error }) => this.#onConnectionLost(run, cause, error));
    on('user:transcript', ({ itemId, text, final }) => {
      if (typeof text !== 'string') return;
      if (final && text.trim()) this.#history.push({ role: 'user', text });
      this.#hub.emit('realtime:user:transcript', { sessionId: run.id, itemId, text, final: Boolean(final) });
    });
    on('user:speech-start', () => {
      // The provider cancels the current response itself when the user barges in; close ours too.
      if (this.#state.audioPlaying) this.#endAudio('interrupted');
    });
    on('assistant:start', ({ responseId, phase }) => this.#onAssistantStart(run, responseId, phase));
    on('assistant:delta', ({ responseId, delta }) => this.#onAssistantDelta(run, responseId, delta));
    on('assistant:done', ({ responseId, text, status }) => this.#onAssistantDone(run, responseId, text, status));
    on('tool:call', (call) => {
      if (typeof call.callId !== 'string' || typeof call.name !== 'string') return;
      if (call.responseId && this.#interrupted.has(call.responseId)) return;
      this.#tools.handleCall({ ...call, arguments: typeof call.arguments === 'string' ? call.arguments : '' });
    });
    on('audio:start', ({ responseId }) => {
      if (responseId && this.#interrupted.has(responseId)) return;
      if (this.#state.audioPlaying) return;
      this.#setState({ audioPlaying: true });
      this.#hub.emit('tts:audio:start', { sessionId: run.id, responseId });
    });
    on('audio:end', ({ responseId, reason }) => this.#endAudio(reason, responseId));
    on('lipsync', ({ level }) => {
      if (Number.isFinite(level)) this.#hub.emit('tts:lipsync:update', { rms: Math.min(1, Math.max(0, level)) });
    });
    on('usage', ({ responseId, usage }) => {
      this.#hub.emit('realtime:usage', { sessionId: run.id, ...(responseId !== undefined ? { responseId } : {}), usage });
    });
    on('delegation', ({ delegationId, target, responseId }) => {
      if (typeof delegationId !== 'string' || typeof target !== 'string') return;
      this.#hub.emit('realtime:delegation', { sessionId: run.id, delegationId, target, ...(responseId ? { responseId } : {}) });
    });
    on('error', ({ error, code }) => {
      const wrapped = toRealtimeError(error, 'transport_error');
      this.#setState({ lastError: { code: code ?? wrapped.code, message: wrapped.message } });
      this.#log('warn', 'transport error', { code, error: wrapped.message });
      this.#hub.emit('realtime:error', { sessionId: run.id, error: wrapped });
    });
  }

  #onAssistantStart(run: SessionRun, responseId: string, phase?: AssistantPhase): void {
    if (typeof responseId !== 'string' || this.#interrupted.has(responseId)) return;
    if (this.#state.response.id === responseId && this.#state.response.status === 'responding') return;
    const tagged = phase === 'commentary' || phase === 'final' ? { phase } : {};
    this.#setState({ awaitingResponse: false, response: { id: responseId, status: 'responding', text: '', ...tagged } });
    this.#hub.emit('realtime:assistant:start', { sessionId: run.id, responseId, ...tagged });
  }

  #onAssistantDelta(run: SessionRun, responseId: string, delta: string): void {
    if (typeof delta !== 'string' || delta === '' || this.#interrupted.has(responseId)) return;
    if (this.#state.response.id !== responseId || this.#state.response.status !== 'responding') {
      this.#onAssistantStart(run, responseId);
    }
    const text = this.#state.response.text + delta;
    this.#setState({ response: { ...this.#state.response, text } });
    const phase = this.#state.response.phase;
    this.#hub.emit('realtime:assistant:delta', { sessionId: run.id, responseId, delta, text, ...(phase ? { phase } : {}) });
    this.#hub.emit('realtime:text:delta', { sessionId: run.id, text: delta });
  }

  #onAssistantDone(run: SessionRun, responseId: string, text: string, status: TransportResponseStatus): void {
    if (typeof responseId !== 'string' || this.#interrupted.has(responseId)) return;
    const current = this.#state.response;
    const finalText = typeof text === 'string' && text !== '' ? text : current.id === responseId ? current.text : '';
    const interrupted = status === 'cancelled';
    if (finalText.trim()) this.#history.push({ role: 'assistant', text: finalText, ...(interrupted ? { interrupted } : {}) });
    const phase = current.id === responseId ? current.phase : undefined;
    this.#setState({
      awaitingResponse: false,
      response: { id: responseId, status: interrupted ? 'interrupted' : 'completed', text: finalText, ...(phase ? { phase } : {}) },
    });
    this.#hub.emit('realtime:assistant:done', {
      sessionId: run.id,
      responseId,
      text: finalText,
      status: interrupted ? 'interrupted' : status,
      ...(phase ? { phase } : {}),
    });
    this.#tools.handleResponseDone(responseId);
    this.#afterResponseSettled();
  }

  /** Runs deferred work once nothing is outstanding (a tools/character refresh). */
  #afterResponseSettled(): void {
    if (this.#toolsDirty && !this.#responseOutstanding() && this.#state.connection === 'connected') {
      this.#requestRefresh();
    }
  }

  async #sendToolResult(callId: string, output: Record<string, unknown>, requestResponse: boolean): Promise<void> {
    if (this.#state.connection !== 'connected') throw new RealtimeStateError('reconnecting', 'not connected');
    if (requestResponse) this.#setState({ awaitingResponse: true });
    await this.transport.sendToolResult(callId, output, { requestResponse });
  }

  // ── reconnect ───────────────────────────────────────────────────────────────────────────────

  #onConnectionLost(run: SessionRun, cause: ConnectionLossCause, error?: Error): void {
    if (this.#state.session.status !== 'active' || this.#state.reconnecting) return;
    this.#log('warn', 'connection lost', { cause, error: error?.message });
    this.#tools.abortAll('connection lost');
    this.#closeResponse('interrupted');
    this.#endAudio('disconnected');
    this.#setState({ connection: 'connecting', reconnecting: true, awaitingResponse: false });
    void this.#recover(run, cause);
  }

  async #recover(run: SessionRun, initialCause: ConnectionLossCause): Promise<void> {
    const signal = run.controller.signal;
    const { maxAttempts } = this.#reconnect;
    let cause: ConnectionLossCause | 'connect-failed' = initialCause;
    let lastError: RealtimeError | null = null;
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      const delayMs = backoffDelay(attempt, this.#reconnect, this.#random);
      this.#hub.emit('realtime:reconnect:attempt', { sessionId: run.id, attempt, maxAttempts, delayMs, cause });
      this.#log('info', 'reconnect attempt', { attempt, delayMs, cause });
      let included: ReturnType<SessionConfigStore['take']> = [];
      try {
        await abortableDelay(delayMs, signal);
        // Offline: wait for the network instead of spending attempts that cannot succeed.
        await waitForOnline(this.#network, signal);
        included = this.#configs.take();
        const config = this.getEffectiveConfig();
        // The page's live changes ride along, as the running session's policy allows them.
        await this.transport.connect(
          { session: this.#lock.request(config), reason: 'reconnect', history: [...this.#history], sessionId: run.id },
          signal,
        );
        if (run.ended || signal.aborted) return;
        this.#configs.accept(included);
        this.#connectedWith = config;
        this.#setState({
          connection: 'connected',
          reconnecting: false,
          session: { ...this.#state.session, config: this.#lock.wire(config) },
        });
        this.#log('info', 'reconnected', { attempt });
        this.#hub.emit('realtime:reconnect:success', { sessionId: run.id, attempt });
        if (this.#configs.hasPending || this.#toolsDirty) this.#requestRefresh();
        return;
      } catch (attemptError) {
        // Keep the patches for the next attempt: a failed connect is not a refusal of the config.
        this.#configs.requeue(included);
        if (run.ended || signal.aborted) return;
        lastError = toRealtimeError(attemptError, 'connection_lost', `reconnect attempt ${attempt} failed`);
        cause = 'connect-failed';
        this.#log('warn', 'reconnect attempt failed', { attempt, error: lastError.message });
      }
    }
    if (run.ended) return;
    this.#hub.emit('realtime:reconnect:exhausted', { sessionId: run.id, attempts: maxAttempts, lastError });
    const failure = new RealtimeError(
      'reconnect_exhausted',
      `the connection was lost and ${maxAttempts} reconnect attempt(s) failed${lastError ? `: ${lastError.message}` : ''}`,
      { cause: lastError ?? undefined },
    );
    await this.#failRun(run, failure, 'reconnect-exhausted');
  }

  // ── helpers ─────────────────────────────────────────────────────────────────────────────────

  /** Marks the current response finished locally (interrupt, loss, stop), keeping its partial text. */
  #closeResponse(status: 'interrupted'): void {
    const response = this.#state.response;
    if (response.status !== 'responding' || response.id === null) return;
    this.#interrupted.add(response.id);
    if (response.text.trim()) this.#history.push({ role: 'assistant', text: response.text, interrupted: true });
    this.#setState({ response: { ...response, status } });
    const sessionId = this.#state.session.id ?? '';
    const phase = response.phase ? { phase: response.phase } : {};
    this.#hub.emit('realtime:assistant:done', { sessionId, responseId: response.id, text: response.text, status, ...phase });
  }

  #endAudio(reason: string, responseId?: string): void {
    if (!this.#state.audioPlaying) return;
    this.#setState({ audioPlaying: false });
    this.#hub.emit('tts:audio:end', { sessionId: this.#state.session.id ?? '', responseId, reason });
  }

  #responseOutstanding(): boolean {
    return this.#state.awaitingResponse || this.#state.response.status === 'responding' || this.#tools.outstanding > 0;
  }

  #assertLive(method: string): void {
    this.#assertNotDisposed();
    if (this.#state.session.status !== 'active') {
      throw new RealtimeStateError('session_inactive', `${method}: no active session; call startSession() first.`);
    }
    if (this.#state.connection !== 'connected') {
      throw new RealtimeStateError('reconnecting', `${method}: the connection is recovering; try again after realtime:reconnect:success.`);
    }
  }

  #assertNotDisposed(): void {
    if (this.#disposed) throw new RealtimeError('disposed', 'this manager was disposed; create a new one.');
  }

  #setState(patch: Partial<RealtimeState>): void {
    const previous = this.#state;
    const next = { ...previous, ...patch };
    this.#state = next;
    this.#hub.emit('realtime:state', { state: next, previous });
  }

  #log(level: keyof RealtimeLogger, message: string, context: Record<string, unknown> = {}): void {
    const logger = this.#logger;
    if (!logger) return;
    try {
      logger[level](message, { ...context, sessionId: this.#state.session.id });
    } catch {
      // A broken logger must not break the session.
    }
  }

  // ── events ──────────────────────────────────────────────────────────────────────────────────

  on<K extends RealtimeManagerEventName>(event: K, handler: (payload: RealtimeManagerEventMap[K]) => void): () => void;
  on(event: string, handler: (payload: unknown) => void): () => void;
  on(event: string, handler: (payload: never) => void): () => void {
    return this.#hub.on(event, handler as (payload: unknown) => void);
  }

  onAny(handler: (event: string, payload: unknown) => void): () => void {
    return this.#hub.onAny(handler);
  }

  setEventEmitter(emitter: RealtimeEventEmitter | null): void {
    this.#hub.setBridge(emitter);
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Tools come only from the registry: a `tools` field in a config is dropped. */
function withoutTools(config: RealtimeSessionConfig): RealtimeSessionConfig {
  if (!('tools' in config)) return config;
  const { tools: _ignored, ...rest } = config;
  return rest;
}

