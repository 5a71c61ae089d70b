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
import { resolveImageOptions, type RealtimeImageInfo, type RealtimeImageOptions, type RealtimeImageSource } from './image-input.js';
import type { RealtimeMetrics } from './metrics.js';
import { parsePriceTable, type RealtimePriceTable } from './prices.js';
import { resolveRolloverOptions } from './rollover.js';
import type {
  MicrophoneStatus,
  RolloverOptions,
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
    // A rollover switching sessions holds actions back for its (short) switch, never refuses them.
    await core.rollover.settled();
    this.#assertCanSend('sendMessage');
    const turn = core.history.push({ role: 'user', text });
    core.responses.awaitReply(true);
    core.metrics.turnEnded('text');
    try {
      await this.transport.sendText(text);
    } catch (error) {
      // Not sent, so not part of the conversation a reconnect would replay.
      core.history.remove(turn);
      core.responses.cancelAwait();
      core.metrics.cancelPending();
      throw toRealtimeError(error, 'transport_error', 'sendMessage');
    }
    core.state.emit('realtime:user:message', { sessionId: core.sessionId, text });
  }

  async sendImage(source: RealtimeImageSource, text?: string, options?: RealtimeImageOptions): Promise<RealtimeImageInfo> {
    const core = this.#core;
    if (text !== undefined && (typeof text !== 'string' || text.trim() === '')) {
      throw new RealtimeError('invalid_argument', 'sendImage: text, when given, must be a non-empty string.');
    }
    const bounds = resolveImageOptions(options, core.options.images, 'sendImage');
    core.assertLive('sendImage');
    if (!this.transport.sendImage) throw new RealtimeError('unsupported', 'sendImage: this transport cannot send images.');
    // The encoder loads on the first image (a session that sends none does not fetch it).
    const { encodeImage } = await import('./image-encode.js').catch((error: unknown) => {
      throw new RealtimeError('transport_error', `sendImage: could not load the image encoder: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    });
    const { dataUrl, info } = await encodeImage(source, bounds);
    await core.rollover.settled();
    this.#assertCanSend('sendImage');
    // What a replay can carry of it: its place in the conversation and the words with it.
    const turn = core.history.push({ role: 'user', text: `[image ${info.width}×${info.height}]${text ? ` ${text}` : ''}` });
    core.responses.awaitReply(true);
    core.metrics.turnEnded('image');
    try {
      await this.transport.sendImage({ dataUrl, width: info.width, height: info.height, ...(bounds.detail ? { detail: bounds.detail } : {}) }, text ? { text } : {});
    } catch (error) {
      core.history.remove(turn);
      core.responses.cancelAwait();
      core.metrics.cancelPending();
      throw toRealtimeError(error, 'transport_error', 'sendImage');
    }
    core.state.emit('realtime:user:image', { sessionId: core.sessionId, image: info, ...(text ? { text } : {}) });
    return info;
  }

  /** The send lock: live, and no reply outstanding. */
  #assertCanSend(method: string): void {
    const core = this.#core;
    core.assertLive(method);
    if (core.state.current.busy) {
      throw new RealtimeStateError(
        'response_in_progress',
        `${method}: the assistant is still responding; call interrupt() first, or wait for realtime:assistant:done.`,
      );
    }
  }

  async retryMicrophone(): Promise<MicrophoneStatus> {
    const core = this.#core;
    await core.rollover.settled();
    core.assertLive('retryMicrophone');
    if (!this.transport.retryMicrophone) throw new RealtimeError('unsupported', 'retryMicrophone: this transport has no microphone to retry.');
    try {
      const status = await this.transport.retryMicrophone();
      core.microphone.reported(status);
    } catch (error) {
      throw toRealtimeError(error, 'transport_error', 'retryMicrophone');
    }
    return core.microphone.status;
  }

  getMetrics(): RealtimeMetrics {
    return this.#core.metrics.snapshot();
  }

  setPrices(prices: RealtimePriceTable | null): void {
    this.#core.metrics.setPrices(parsePriceTable(prices, 'setPrices'));
  }

  setWakeLock(enabled: boolean): void {
    this.#core.wakeLock.setEnabled(Boolean(enabled));
  }

  setRollover(options: RolloverOptions | false): void {
    this.#core.rollover.setOptions(resolveRolloverOptions(options, 'setRollover'));
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
    await core.rollover.settled();
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
    this.#core.microphone.setMuted(Boolean(muted));
  }

  answerDelegation(delegationId: string, content: string, options?: { kind?: DelegationAnswerKind }): Promise<void> {
    return answerDelegation(this.#core, delegationId, content, options);
  }

  async startTalking(): Promise<void> {
    await this.#core.rollover.settled();
    this.#assertPushToTalk('startTalking');
    const { response, audioPlaying } = this.#core.state.current;
    // Pressing talk while the assistant speaks is a barge-in.
    if (response.status === 'responding' || audioPlaying) await this.interrupt();
    this.#core.rollover.talking(true);
    try {
      await this.transport.startInputTurn!();
    } catch (error) {
      this.#core.rollover.talking(false);
      throw toRealtimeError(error, 'transport_error', 'startTalking');
    }
  }

  async stopTalking(): Promise<void> {
    const core = this.#core;
    core.rollover.talking(false);
    this.#assertPushToTalk('stopTalking');
    core.responses.awaitReply(true);
    core.metrics.turnEnded('push-to-talk');
    try {
      await this.transport.commitInputTurn!();
    } catch (error) {
      core.responses.cancelAwait();
      core.metrics.cancelPending();
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
