/**
 * A {@link RealtimeManager} whose body loads when it is first needed. `<charivo-realtime>` hands one to
 * its page and its consumers at once, so the tags define and render with none of the session code
 * (manager, validator, transports): that loads on the first `start()` (or `updateSession()`, or any
 * call that needs a session), through the `load` function the owner gives.
 *
 * Until then this object answers what needs no session itself: the state is the idle state, and the
 * tools, the character, mute and the event bridge are kept here, checked as the manager checks them
 * (a malformed tool throws at once). The manager is created with them when it loads, listeners move
 * over to it, and from then on every call goes straight to it. Calls that need it are queued on the
 * load in call order, so a `stopSession()` right after `startSession()` still cancels that start.
 * @packageDocumentation
 */
import type { DelegationAnswerKind, LevelSource } from '../transports/types.js';
import { RealtimeError } from './errors.js';
import { frozenJsonCopy } from './freeze.js';
import type { RealtimeImageInfo, RealtimeImageOptions, RealtimeImageSource } from './image-input.js';
import { buildRealtimeSessionConfig } from './instructions.js';
import type { RealtimeMetrics } from './metrics.js';
import { parsePriceTable, ZERO_TOKENS, type RealtimePriceTable } from './prices.js';
import { resolveRolloverOptions } from './rollover-options.js';
import type { RealtimeFunctionToolDefinition, RealtimeSessionConfig } from './session-config.js';
import { INITIAL_STATE } from './initial-state.js';
import { ToolRegistry } from './tool-registry.js';
import type {
  MicrophoneStatus,
  RealtimeCharacter,
  RealtimeEventEmitter,
  RealtimeManager,
  RealtimeManagerEventMap,
  RealtimeManagerEventName,
  RealtimeState,
  RealtimeToolRegistration,
  RolloverOptions,
  StartSessionOptions,
} from './types.js';

/** The measurements of a manager that has not run a session. */
const NO_METRICS: RealtimeMetrics = Object.freeze({
  sessionId: null,
  connects: Object.freeze([]),
  turns: Object.freeze([]),
  last: null,
  totals: Object.freeze({ turns: 0, tokens: ZERO_TOKENS }),
});

/** What the manager is created with: what was set on the lazy one before it loaded. */
export interface LazyManagerInit {
  character: RealtimeCharacter | null;
  /** The registered tools, in registration order. */
  tools: RealtimeToolRegistration[];
}

/**
 * Loads the manager's code (called on first need; again after a failed load) and resolves with the
 * function that creates the manager, called at once with what was set up to that moment.
 */
export type LazyManagerLoader = () => Promise<(init: LazyManagerInit) => RealtimeManager>;

interface Subscription {
  /** Event name, or `undefined` for every event. */
  event: string | undefined;
  handler: (eventOrPayload: never, payload?: never) => void;
  off?: () => void;
}

export class LazyRealtimeManager implements RealtimeManager {
  #real: RealtimeManager | undefined;
  #loading: Promise<RealtimeManager> | undefined;
  readonly #registry = new ToolRegistry();
  #character: RealtimeCharacter | null = null;
  #muted: boolean | undefined;
  /** Set before the load (undefined: never set), handed to the manager when it loads. */
  #prices: RealtimePriceTable | null | undefined;
  #wakeLock: boolean | undefined;
  #rollover: RolloverOptions | false | undefined;
  #emitter: RealtimeEventEmitter | null | undefined;
  #subscriptions = new Set<Subscription>();
  #disposed = false;

  constructor(
    private readonly loader: LazyManagerLoader,
    /** The level sources the manager's transport will drive (stable objects, usable before it loads). */
    readonly levels: { readonly output: LevelSource; readonly input: LevelSource },
  ) {}

  /** The manager, once loaded. */
  get loaded(): RealtimeManager | undefined {
    return this.#real;
  }

  /** Loads the manager (once) and resolves with it. A failed load is retried by the next call. */
  load(): Promise<RealtimeManager> {
    if (this.#real) return Promise.resolve(this.#real);
    this.#loading ??= this.#create().catch((error: unknown) => {
      this.#loading = undefined;
      const failure = new RealtimeError('start_failed', `Could not load the session code: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      this.#emitLocal('realtime:error', { error: failure, sessionId: null });
      throw failure;
    });
    return this.#loading;
  }

  async #create(): Promise<RealtimeManager> {
    const create = await this.loader();
    // Everything below runs in the task the code arrived in: no call can slip in between.
    const real = create({
      character: this.#character,
      // Each definition as registered here: normalised and frozen, so registering it again changes nothing.
      tools: [...this.#registry.entries()].map(({ definition, handler, timeoutMs }) => ({
        definition: definition as RealtimeToolRegistration['definition'],
        handler,
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
      })),
    });
    this.#real = real;
    if (this.#emitter !== undefined) real.setEventEmitter(this.#emitter);
    if (this.#muted !== undefined) real.setMuted(this.#muted);
    if (this.#prices !== undefined) real.setPrices(this.#prices);
    if (this.#wakeLock !== undefined) real.setWakeLock(this.#wakeLock);
    if (this.#rollover !== undefined) real.setRollover(this.#rollover);
    for (const subscription of this.#subscriptions) this.#attach(real, subscription);
    if (this.#disposed) await real.dispose();
    return real;
  }

  #attach(real: RealtimeManager, subscription: Subscription): void {
    const { event, handler } = subscription;
    subscription.off = event === undefined ? real.onAny(handler as (event: string, payload: unknown) => void) : real.on(event, handler as (payload: unknown) => void);
  }

  /** Delivers an event of this object's own (a failed load) to the listeners it holds. */
  #emitLocal(event: string, payload: unknown): void {
    for (const { event: name, handler } of [...this.#subscriptions]) {
      try {
        if (name === undefined) (handler as (event: string, payload: unknown) => void)(event, payload);
        else if (name === event) (handler as (payload: unknown) => void)(payload);
      } catch {
        // A listener's bug must not hide the failure from the others.
      }
    }
  }

  // ── answered here until the manager loads ────────────────────────────────────────────────────

  getState(): RealtimeState {
    return this.#real ? this.#real.getState() : INITIAL_STATE;
  }

  setCharacter(character: RealtimeCharacter | null): void {
    if (this.#real) return this.#real.setCharacter(character);
    if (character !== null && (typeof character !== 'object' || typeof character.name !== 'string')) {
      throw new RealtimeError('invalid_argument', 'setCharacter: expected an object with a string name, or null.');
    }
    this.#character = character;
  }

  getCharacter(): RealtimeCharacter | null {
    return this.#real ? this.#real.getCharacter() : this.#character;
  }

  registerTool(tool: RealtimeToolRegistration): void {
    if (this.#real) return this.#real.registerTool(tool);
    this.#registry.register(tool);
  }

  unregisterTool(name: string): boolean {
    return this.#real ? this.#real.unregisterTool(name) : this.#registry.unregister(name);
  }

  getRegisteredTools(): RealtimeFunctionToolDefinition[] {
    return this.#real ? this.#real.getRegisteredTools() : this.#registry.definitions();
  }

  getEffectiveConfig(): RealtimeSessionConfig {
    if (this.#real) return this.#real.getEffectiveConfig();
    const base = this.#character ? buildRealtimeSessionConfig({ character: this.#character }) : {};
    return frozenJsonCopy({ ...base, tools: this.#registry.definitions() });
  }

  setMuted(muted: boolean): void {
    if (this.#real) return this.#real.setMuted(muted);
    this.#muted = Boolean(muted);
  }

  getMetrics(): RealtimeMetrics {
    return this.#real ? this.#real.getMetrics() : NO_METRICS;
  }

  setPrices(prices: RealtimePriceTable | null): void {
    if (this.#real) return this.#real.setPrices(prices);
    parsePriceTable(prices, 'setPrices');
    this.#prices = prices;
  }

  setWakeLock(enabled: boolean): void {
    if (this.#real) return this.#real.setWakeLock(enabled);
    this.#wakeLock = Boolean(enabled);
  }

  setRollover(options: RolloverOptions | false): void {
    if (this.#real) return this.#real.setRollover(options);
    resolveRolloverOptions(options, 'setRollover');
    this.#rollover = options;
  }

  setEventEmitter(emitter: RealtimeEventEmitter | null): void {
    if (this.#real) return this.#real.setEventEmitter(emitter);
    this.#emitter = emitter;
  }

  on<K extends RealtimeManagerEventName>(event: K, handler: (payload: RealtimeManagerEventMap[K]) => void): () => void;
  on(event: string, handler: (payload: unknown) => void): () => void;
  on(event: string, handler: (payload: never) => void): () => void {
    return this.#subscribe({ event, handler });
  }

  onAny(handler: (event: string, payload: unknown) => void): () => void {
    return this.#subscribe({ event: undefined, handler });
  }

  #subscribe(subscription: Subscription): () => void {
    // Kept here for the life of this object too: a manager that loads later takes every listener over.
    this.#subscriptions.add(subscription);
    if (this.#real) this.#attach(this.#real, subscription);
    return () => {
      this.#subscriptions.delete(subscription);
      subscription.off?.();
    };
  }

  // ── need the manager: loaded first, in call order ─────────────────────────────────────────────

  async startSession(config?: RealtimeSessionConfig, options?: StartSessionOptions): Promise<void> {
    return (await this.load()).startSession(config, options);
  }

  async stopSession(): Promise<void> {
    // Nothing to stop before the manager exists; a load in progress may be about to start one.
    if (!this.#real && !this.#loading) return;
    return (await this.load()).stopSession();
  }

  async sendMessage(text: string): Promise<void> {
    return (await this.load()).sendMessage(text);
  }

  async sendAudioChunk(chunk: ArrayBuffer): Promise<void> {
    return (await this.load()).sendAudioChunk(chunk);
  }

  async interrupt(): Promise<void> {
    return (await this.load()).interrupt();
  }

  async updateSession(patch: RealtimeSessionConfig): Promise<void> {
    return (await this.load()).updateSession(patch);
  }

  async answerDelegation(delegationId: string, content: string, options?: { kind?: DelegationAnswerKind }): Promise<void> {
    return (await this.load()).answerDelegation(delegationId, content, options);
  }

  async retryMicrophone(): Promise<MicrophoneStatus> {
    return (await this.load()).retryMicrophone();
  }

  async sendImage(source: RealtimeImageSource, text?: string, options?: RealtimeImageOptions): Promise<RealtimeImageInfo> {
    return (await this.load()).sendImage(source, text, options);
  }

  async startTalking(): Promise<void> {
    return (await this.load()).startTalking();
  }

  async stopTalking(): Promise<void> {
    return (await this.load()).stopTalking();
  }

  async dispose(): Promise<void> {
    if (this.#real || this.#loading) return (await this.load()).dispose();
    // Never loaded: nothing runs; a later load creates a manager that is disposed at once (and says so).
    this.#disposed = true;
    this.#subscriptions.clear();
  }
}
