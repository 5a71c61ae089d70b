/**
 * The realtime session brain's public face. The work is done by its parts (see `core.ts`): state and
 * events (`state-store.ts`), the session's life (`session-lifecycle.ts`, `reconnect.ts`), responses and
 * history (`responses.ts`, `history.ts`), audio (`assistant-audio.ts`), tool calls (`tool-calls.ts`),
 * GPT-Live delegations (`delegations.ts`), the live config (`live-config.ts`). Knows transports only
 * through {@link RealtimeTransport}.
 * @packageDocumentation
 */
import type { DelegationAnswerKind, RealtimeTransport } from '../transports/types.js';
import { ManagerCore } from './core.js';
import { answerDelegation } from './delegations.js';
import { RealtimeError, RealtimeStateError, toRealtimeError } from './errors.js';
import type { RealtimeFunctionToolDefinition, RealtimeSessionConfig } from './session-config.js';
import { parseSessionConfig } from './session-config-parse.js';
import { SessionLifecycle } from './session-lifecycle.js';
import type {
  RealtimeCharacter,
  RealtimeEventEmitter,
  RealtimeManager,
  RealtimeManagerEventMap,
  RealtimeManagerEventName,
  RealtimeManagerOptions,
  RealtimeState,
  RealtimeToolList,
  RealtimeToolOf,
  RealtimeToolParameters,
  RealtimeToolRegistration,
  StartSessionOptions,
} from './types.js';

/**
 * Creates a manager over `transport`. The manager owns state, tools and reconnects; the transport only
 * moves bytes.
 * @throws RealtimeError `invalid_argument` for an option out of range or a malformed tool.
 */
export function createRealtimeManager<const P extends readonly RealtimeToolParameters[] = RealtimeToolParameters[]>(
  transport: RealtimeTransport,
  // `tools` is typed per element so that each handler's arguments are inferred from that tool's schema.
  options: Omit<RealtimeManagerOptions, 'tools'> & { tools?: RealtimeToolList<P> } = {},
): RealtimeManager {
  return new DefaultRealtimeManager(transport, options as RealtimeManagerOptions);
}

class DefaultRealtimeManager implements RealtimeManager {
  readonly #core: ManagerCore;
  readonly #lifecycle: SessionLifecycle;

  constructor(
    private readonly transport: RealtimeTransport,
    options: RealtimeManagerOptions,
  ) {
    this.#core = new ManagerCore(transport, options);
    this.#lifecycle = new SessionLifecycle(this.#core);
  }

  get levels() {
    return this.transport.levels ?? {};
  }

  getState(): RealtimeState {
    return this.#core.state.current;
  }

  // ── lifecycle ────────────────────────────────────────────────────────────────────────────────

  startSession(config?: RealtimeSessionConfig, options: StartSessionOptions = {}): Promise<void> {
    return this.#lifecycle.start(config, options);
  }

  stopSession(): Promise<void> {
    return this.#lifecycle.stop();
  }

  async dispose(): Promise<void> {
    if (this.#core.disposed) return;
    await this.stopSession();
    this.#core.disposed = true;
    this.#core.hub.clear();
  }

  // ── user actions ─────────────────────────────────────────────────────────────────────────────

  async sendMessage(text: string): Promise<void> {
    const core = this.#core;
    if (typeof text !== 'string' || text.trim() === '') {
      throw new RealtimeError('invalid_argument', 'sendMessage: text must be a non-empty string.');
    }
    core.assertLive('sendMessage');
    if (core.state.current.busy) {
      throw new RealtimeStateError(
        'response_in_progress',
        'sendMessage: the assistant is still responding; call interrupt() first, or wait for realtime:assistant:done.',
      );
    }
    const turn = core.history.push({ role: 'user', text });
    core.responses.awaitReply(true);
    try {
      await this.transport.sendText(text);
    } catch (error) {
      // Not sent, so not part of the conversation a reconnect would replay.
      core.history.remove(turn);
      core.responses.cancelAwait();
      throw toRealtimeError(error, 'transport_error', 'sendMessage');
    }
    core.state.emit('realtime:user:message', { sessionId: core.sessionId, text });
  }

  async sendAudioChunk(chunk: ArrayBuffer): Promise<void> {
    if (!(chunk instanceof ArrayBuffer)) {
      throw new RealtimeError('invalid_argument', 'sendAudioChunk: chunk must be an ArrayBuffer of PCM16 audio.');
    }
    this.#core.assertLive('sendAudioChunk');
    try {
      await this.transport.sendAudio(chunk);
    } catch (error) {
      throw toRealtimeError(error, 'transport_error', 'sendAudioChunk');
    }
  }

  async interrupt(): Promise<void> {
    const core = this.#core;
    core.assertLive('interrupt');
    core.settleLocally('interrupted', 'interrupted');
    try {
      await this.transport.interrupt();
    } catch (error) {
      throw toRealtimeError(error, 'transport_error', 'interrupt');
    }
    core.config.afterResponseSettled();
  }

  setMuted(muted: boolean): void {
    this.transport.setMuted?.(Boolean(muted));
  }

  answerDelegation(delegationId: string, content: string, options?: { kind?: DelegationAnswerKind }): Promise<void> {
    return answerDelegation(this.#core, delegationId, content, options);
  }

  async startTalking(): Promise<void> {
    this.#assertPushToTalk('startTalking');
    const { response, audioPlaying } = this.#core.state.current;
    // Pressing talk while the assistant speaks is a barge-in.
    if (response.status === 'responding' || audioPlaying) await this.interrupt();
    try {
      await this.transport.startInputTurn!();
    } catch (error) {
      throw toRealtimeError(error, 'transport_error', 'startTalking');
    }
  }

  async stopTalking(): Promise<void> {
    this.#assertPushToTalk('stopTalking');
    this.#core.responses.awaitReply(true);
    try {
      await this.transport.commitInputTurn!();
    } catch (error) {
      this.#core.responses.cancelAwait();
      throw toRealtimeError(error, 'transport_error', 'stopTalking');
    }
  }

  #assertPushToTalk(method: string): void {
    this.#core.assertLive(method);
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

  // ── configuration: each change is checked here, before anything is sent ──────────────────────

  async updateSession(patch: RealtimeSessionConfig): Promise<void> {
    this.#core.assertNotDisposed();
    const clean = parseSessionConfig(patch, 'updateSession');
    return this.#core.config.update(clean);
  }

  setCharacter(character: RealtimeCharacter | null): void {
    if (character !== null && (typeof character !== 'object' || typeof character.name !== 'string')) {
      throw new RealtimeError('invalid_argument', 'setCharacter: expected an object with a string name, or null.');
    }
    this.#core.config.setCharacter(character);
  }

  getCharacter(): RealtimeCharacter | null {
    return this.#core.config.character;
  }

  registerTool<const P extends RealtimeToolParameters>(tool: RealtimeToolOf<P>): void {
    this.#core.config.registerTool(tool as RealtimeToolRegistration);
  }

  unregisterTool(name: string): boolean {
    return this.#core.config.unregisterTool(name);
  }

  getRegisteredTools(): RealtimeFunctionToolDefinition[] {
    return this.#core.config.tools();
  }

  getEffectiveConfig(): RealtimeSessionConfig {
    return this.#core.config.effective();
  }

  // ── events ──────────────────────────────────────────────────────────────────────────────────

  on<K extends RealtimeManagerEventName>(event: K, handler: (payload: RealtimeManagerEventMap[K]) => void): () => void;
  on(event: string, handler: (payload: unknown) => void): () => void;
  on(event: string, handler: (payload: never) => void): () => void {
    return this.#core.hub.on(event, handler as (payload: unknown) => void);
  }

  onAny(handler: (event: string, payload: unknown) => void): () => void {
    return this.#core.hub.onAny(handler);
  }

  setEventEmitter(emitter: RealtimeEventEmitter | null): void {
    this.#core.hub.setBridge(emitter);
  }
}
