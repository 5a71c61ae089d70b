import { ContextProvider } from '@lit/context';
import { css, html, LitElement, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { LazyRealtimeManager, type LazyManagerInit } from '../../manager/lazy-manager.js';
import type {
  MicrophoneStatus,
  RealtimeCharacter,
  RealtimeImageInfo,
  RealtimeImageOptions,
  RealtimeImageSource,
  RealtimeLogger,
  RealtimeManager,
  RealtimeMetrics,
  RealtimePolicyError,
  RealtimePriceTable,
  RealtimeSessionConfig,
  RealtimeState,
  RealtimeToolOf,
  RealtimeToolParameters,
  RealtimeToolRegistration,
  RealtimeToolResultProjector,
} from '../../manager/index.js';
import { AudioContextOwner } from '../../transports/audio/audio-context-owner.js';
import type { MicrophoneOptions } from '../../transports/audio/microphone.js';
import { AudioDevices } from '../../transports/audio/audio-devices.js';
import { DEFAULT_DEVICES_KEY } from '../../transports/audio/device-memory.js';
import { ForwardingLevelSource } from '../../transports/audio/level-source.js';
import type { RealtimeAdapterEntry } from '../../transports/remote/adapters.js';
import { codeLoadError } from '../../transports/remote/code-loading.js';
import { chooseAdapter } from './adapter-choice.js';
import type { RemoteRealtimeClientOptions } from '../../transports/remote/remote-client.js';
import type { RealtimeTransport } from '../../transports/types.js';
import { sessionContext, type CharivoSession } from '../session-context.js';
import { CharivoEvent, toDomEventName, type CharivoErrorDetail } from './realtime-events.js';
import { rejectInvalidInputs, reportInputError, type InputRules } from '../shared/input-errors.js';
import { AdapterBinding } from './adapter-binding.js';
import { loadSessionConfigCheck, REALTIME_INPUTS, sessionConfigCheckLoaded } from './realtime-input.js';
import { ToolSync } from './tool-sync.js';
import { policyErrorDetail, restoreRefusedProperty } from './policy-errors.js';
import { applySessionFeatures, DEFAULT_ROLLOVER_AFTER_SECONDS, FEATURE_INPUTS } from './session-features.js';
import { causeOf, createLoggerProxy, createSessionHandle, onlyTextChanged, reflectState } from './element-glue.js';
import { preloadableAdapter } from './preload.js';

// One place names each lazily loaded module, so preload() fetches exactly what a start imports.
const loadSessionRuntime = () => import('./session-runtime.js');
const loadRemoteClient = () => import('../../transports/remote/index.js');

/**
 * A live voice session with an AI model. Owns one realtime manager and, on the first `start()`, loads
 * the session code (the manager's body and the transport: by default the remote client that asks
 * `endpoint` for a bootstrap, so the API key stays on the server). Until then `manager` answers from the
 * first load (idle state, tools, character, listeners). Descendants (and siblings with `for="id"`) get
 * the session through context.
 *
 * @summary Voice session host: configure it, start it, listen to `charivo-*` events.
 * @tag charivo-realtime
 * @slot - The session's UI: avatar, transcript, meter, controls, anything else.
 * @csspart base - The wrapper around the slot.
 * @attr state - Reflected, read-only: the session status (`idle`, `starting`, `active`, `stopped`), for CSS.
 * @attr connection - Reflected, read-only: `idle`, `connecting`, `connected`, `disconnecting` or `error`.
 * @attr speaking - Reflected, read-only: present while the assistant's voice plays.
 * @attr reconnecting - Reflected, read-only: present while a lost connection is being recovered.
 * @attr microphone - Reflected, read-only: the microphone (`off`, `live`, `muted`, `denied`, `absent`, `unavailable`), for CSS.
 *
 * Adapters: `adapter` names a built-in (`openai-agents-webrtc`, `openai-webrtc`, `openai-websocket`,
 * `openai-live-webrtc`), one
 * the page registered with `registerRealtimeAdapter()` (all elements), or one of this element's
 * `adapters`. A name registered after the attribute was set is picked up when it is registered.
 * @cssprop [--charivo-realtime-display=block] - Display of the host.
 *
 * @fires {CharivoEvent} charivo-session-start - A session became active (detail: sessionId, config).
 * @fires {CharivoEvent} charivo-session-end - A session ended (detail: sessionId, reason).
 * @fires {CharivoEvent} charivo-state - A state change (detail: state, previous); not for each streaming text delta (see charivo-assistant-delta).
 * @fires {CharivoEvent} charivo-user-transcript - User speech, partial and final.
 * @fires {CharivoEvent} charivo-user-message - A typed message was sent.
 * @fires {CharivoEvent} charivo-idle-timeout - The user stayed silent for `turnDetection.idleTimeoutMs` after the assistant finished; the model answers on its own (detail: sessionId, itemId, silenceMs).
 * @fires {CharivoEvent} charivo-assistant-start - The assistant began a response.
 * @fires {CharivoEvent} charivo-assistant-delta - Streaming assistant text, one event per piece (detail: delta, the new piece; text, the reply so far).
 * @fires {CharivoEvent} charivo-assistant-done - A response ended (completed, interrupted, …; detail.text is its whole text).
 * @fires {CharivoEvent} charivo-tool-call - The model called a tool.
 * @fires {CharivoEvent} charivo-tool-result - A tool succeeded; its result went back to the model.
 * @fires {CharivoEvent} charivo-tool-error - A tool failed; the failure went back to the model.
 * @fires {CharivoEvent} charivo-usage - Usage: tokens of a response; on GPT-Live also the session's audio seconds (a running total).
 * @fires {CharivoEvent} charivo-delegation - GPT-Live handed a task over (detail: delegationId, target); for target `client`, answer with `answerDelegation()`.
 * @fires {CharivoEvent} charivo-audio-start - The assistant's voice started playing.
 * @fires {CharivoEvent} charivo-audio-end - The assistant's voice stopped.
 * @fires {CharivoEvent} charivo-reconnect-attempt - A reconnect attempt (detail: attempt, delayMs, cause).
 * @fires {CharivoEvent} charivo-reconnect-success - The connection recovered.
 * @fires {CharivoEvent} charivo-reconnect-exhausted - Reconnecting gave up.
 * @fires {CharivoEvent} charivo-session-rollover - A fresh provider session took over without a gap, before the provider's session cap (`scheduled`) or after it ended the session (`expired`) (detail: sessionId, reason, replayedTurns, gapMs).
 * @fires {CharivoEvent} charivo-microphone - The microphone's status changed: `live`, `muted`, `denied`, `absent`, `unavailable` or `off`; without one the session runs for typed turns (detail: status, previous, error).
 * @fires {CharivoEvent} charivo-user-image - An image was sent with `sendImage()` (detail: image with width, height, bytes, type; text).
 * @fires {CharivoEvent} charivo-metrics - Measurements after each turn and each connect (detail: metrics, turn, connect); also the `metrics` property.
 * @fires {CharivoEvent} charivo-avatar-expression - A result projector chose an expression.
 * @fires {CharivoEvent} charivo-avatar-motion - A result projector chose a motion.
 * @fires {CharivoEvent} charivo-avatar-gaze - A result projector chose where to look.
 * @fires {CharivoEvent} charivo-error - A session error, invalid input to this element, or a change the server's policy does not allow in the running session (code `policy_locked`, with the `field`; the previous value stays) (detail: code, message, source, field).
 */
export class CharivoRealtime extends LitElement {
  static override styles = css`
    :host {
      display: var(--charivo-realtime-display, block);
    }
    :host([hidden]) {
      display: none;
    }
  `;

  /** The realtime route that returns bootstraps. */
  @property() endpoint = '/api/realtime';
  /**
   * Whether the request to `endpoint` carries the page's cookies (`fetch`'s `credentials`):
   * `same-origin` (default) for a route on the page's origin; `include` for a route on another origin
   * that checks a session cookie (the route lists the page in `allowedOrigins`); `omit` for none.
   */
  @property() credentials: RequestCredentials = 'same-origin';
  /**
   * The browser adapter to ask the route for: `openai-agents-webrtc`, `openai-webrtc`, `openai-websocket`,
   * `openai-live-webrtc` (GPT-Live), or one registered by the page (`registerRealtimeAdapter()` or this
   * element's `adapters`).
   */
  @property() adapter = 'openai-agents-webrtc';
  /**
   * The adapter to use instead when this browser lacks what `adapter` needs (e.g. `openai-websocket` where
   * there is no WebRTC). Without it such a browser fails the start with code `webrtc_unsupported`.
   * The route must allow the fallback adapter too.
   */
  @property({ attribute: 'fallback-adapter' }) fallbackAdapter?: string;
  /** Model name; the server's default when absent. */
  @property() model?: string;
  /** Voice name; the character's or the server's default when absent. A custom voice goes in `sessionConfig.voice` as `{ id }`. */
  @property() voice?: string;
  /** Instructions for the model (the route may append them to its own or refuse them). */
  @property() instructions?: string;
  /** Mutes the microphone: the model hears silence. */
  @property({ type: Boolean, reflect: true }) muted = false;
  /** Turn detection off: the user holds a talk control while speaking. */
  @property({ type: Boolean, reflect: true, attribute: 'push-to-talk' }) pushToTalk = false;
  /** Logs the session to the console when no `logger` is set. */
  @property({ type: Boolean }) debug = false;
  /** Lets the screen sleep during a session (by default a screen wake lock keeps it on while a session is active). */
  @property({ type: Boolean, attribute: 'no-wake-lock' }) noWakeLock = false;
  /** Fails the start when the microphone is denied or missing (by default the session runs for typed turns and shows it). */
  @property({ type: Boolean, attribute: 'require-microphone' }) requireMicrophone = false;
  /**
   * Seconds after which a provider session is rolled over to a fresh one at the next pause, before the
   * provider's cap (OpenAI: 60 minutes); 0 turns rollover off. Default 3300 (55 minutes).
   */
  @property({ type: Number, attribute: 'rollover-after' }) rolloverAfter = DEFAULT_ROLLOVER_AFTER_SECONDS;
  /** Prices per model (USD per million tokens by kind; `'*'` for any model) for the cost estimate in `metrics`. None by default. */
  @property({ attribute: false }) prices: RealtimePriceTable | null = null;
  /** Does not remember the chosen microphone and speaker (by default they are kept in `localStorage`). */
  @property({ type: Boolean, attribute: 'forget-devices' }) forgetDevices = false;
  /** The `localStorage` key the device choice is kept under (default `charivo-elements:devices`); give each independent session on an origin its own. */
  @property({ attribute: 'devices-key' }) devicesKey?: string;

  /** The character the assistant plays (name, description, personality, voice). */
  @property({ attribute: false }) character: RealtimeCharacter | null = null;
  /** Tools the model may call, with their handlers; JSON Schema or zod parameters. */
  @property({ attribute: false }) tools: RealtimeToolRegistration[] = [];
  /** Further session fields (turn detection and its idle timeout, transcription, output, limits, reasoning effort, truncation, a stored prompt, a custom voice). */
  @property({ attribute: false }) sessionConfig: RealtimeSessionConfig = {};
  /** Turn tool results into app events (e.g. `createAvatarResultProjector()`). */
  @property({ attribute: false }) resultProjectors: RealtimeToolResultProjector[] = [];
  /** Receives the session's log lines, each with its sessionId. */
  @property({ attribute: false }) logger?: RealtimeLogger;
  /** A transport of your own (tests, custom servers); replaces the remote client from the next start. */
  @property({ attribute: false }) transport?: RealtimeTransport;
  /** Returns a bootstrap without the HTTP route (custom servers, tests). */
  @property({ attribute: false }) sessionBootstrap?: RemoteRealtimeClientOptions['sessionBootstrap'];
  /** Adapters for this element only, beside the built-in ones and those registered with `registerRealtimeAdapter()`. */
  @property({ attribute: false }) adapters: RealtimeAdapterEntry[] = [];
  /**
   * The microphone: `{ deviceId }`, extra `{ constraints }`, or a `{ stream }` you own (used as is and
   * never stopped by the element). The default device (or the one chosen in the device picker) when
   * unset. Applies from the next start.
   */
  @property({ attribute: false }) microphone?: MicrophoneOptions;

  /** The session handle this element provides to its descendants and `for` siblings. */
  readonly session: CharivoSession;
  readonly #levels = { output: new ForwardingLevelSource(), input: new ForwardingLevelSource() };
  readonly #manager: LazyRealtimeManager;
  /** The full check of a `sessionConfig` set before its code loaded (see {@link getUpdateComplete}). */
  #pendingCheck: Promise<void> | undefined;
  readonly #audio = new AudioContextOwner();
  // Touches nothing until first used; the storage key is read then, from the attributes.
  readonly #devices = new AudioDevices({ storageKey: () => this.#devicesKey() });
  readonly #tools: ToolSync;
  readonly #listeners = new Set<() => void>();
  #remote: { key: string; client: RealtimeTransport; microphone: MicrophoneOptions | undefined } | undefined;
  readonly #adapters = new AdapterBinding(this);
  readonly #inputs: InputRules = {
    ...REALTIME_INPUTS,
    ...FEATURE_INPUTS,
    adapter: {
      check: (value) => this.#adapters.problem(value),
      initial: 'openai-agents-webrtc',
      attribute: 'adapter',
      nullResets: true,
    },
    fallbackAdapter: {
      check: (value) => (value === undefined || value === null ? null : this.#adapters.problem(value, 'fallbackAdapter')),
      initial: undefined,
      attribute: 'fallback-adapter',
      nullResets: true,
    },
  };

  constructor() {
    super();
    this.#manager = new LazyRealtimeManager(() => this.#loadManager(), this.#levels);
    this.#tools = new ToolSync(this.#manager, (detail) => this.#fail(detail));
    this.#manager.onAny((event, payload) => this.#relay(event, payload));
    this.session = this.#createHandle();
    new ContextProvider(this, { context: sessionContext, initialValue: this.session });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Not in the constructor: document.createElement() (React, Vue) forbids attributes set there.
    reflectState(this, this.#manager.getState());
    this.#adapters.connect();
  }

  /** The current state snapshot (read-only). */
  get state(): RealtimeState {
    return this.#manager.getState();
  }

  /**
   * The microphones and speakers, and the choice: `select('input' | 'output', deviceId)` switches the
   * live session (the microphone without dropping the call; the speaker with `setSinkId` where the
   * browser has it) and remembers it; `<charivo-device-picker>` is the UI for it.
   */
  get devices(): AudioDevices {
    return this.#devices;
  }

  /** The manager, for anything the element does not wrap. */
  get manager(): RealtimeManager {
    return this.#manager;
  }

  /**
   * The adapter the next (or current) session uses: `adapter`, or `fallbackAdapter` when this browser
   * lacks what `adapter` needs.
   */
  get activeAdapter(): string {
    return chooseAdapter(this.adapter, this.fallbackAdapter);
  }

  /** The session's measurements: per-turn latencies, connect times, tokens by kind, estimated cost (read-only). */
  get metrics(): RealtimeMetrics {
    return this.#manager.getMetrics();
  }

  /** Starts a session. Call from a click or key handler: the AudioContext is resumed in that gesture. */
  async start(): Promise<void> {
    if (!this.transport) void this.prepareAudio().catch(() => {});
    const [manager] = await Promise.all([this.#manager.load(), this.#pendingCheck]);
    await manager.startSession(this.#baseConfig());
  }

  /**
   * Fetches the code a start runs (the session code and the built-in adapter it will use) and starts
   * nothing: no route request, no microphone, no AudioContext. The first `start()` then waits for no
   * download. Call it when a start is likely: the pointer over your own start button, the panel
   * opened. `<charivo-controls>` calls it when the pointer or the keyboard focus reaches its start
   * button. Resolves once the code is in, and never rejects: a file that failed to load is fetched
   * again, and its failure reported, by `start()`.
   */
  async preload(): Promise<void> {
    const entry = this.transport ? undefined : preloadableAdapter(this.activeAdapter, this.#adapters.entries());
    await Promise.allSettled([loadSessionRuntime(), loadSessionConfigCheck(), loadRemoteClient(), entry?.load()]);
  }

  /**
   * Creates the session's AudioContext and resumes it. Browsers only let audio start inside a user
   * gesture, and only while the gesture's handler runs: call this first thing in your own button's
   * click or key handler when it awaits anything before `start()` (`start()` itself calls it, and
   * `<charivo-controls>` calls `start()` inside its click). Each session gets a fresh context; during a
   * session this resumes a context the browser suspended (a tab brought back, an audio interruption).
   */
  prepareAudio(): Promise<void> {
    return this.#audio.prepare().then(() => undefined);
  }

  /** Ends the session at once (also a start or a reconnect in progress). */
  stop(): Promise<void> {
    return this.#manager.stopSession();
  }

  /** Sends a typed message; rejects while a response is outstanding (interrupt first). */
  send(text: string): Promise<void> {
    return this.#manager.sendMessage(text);
  }

  /**
   * Shows the model a picture (a file, an `<img>`, a bitmap, a canvas, a `<video>` frame), scaled and
   * compressed to `options` (default 1024 px, 180 000 bytes, JPEG), with `text`; a reply follows.
   * Rejects `invalid_image`, `image_too_large`, or while a reply is outstanding.
   */
  sendImage(source: RealtimeImageSource, text?: string, options?: RealtimeImageOptions): Promise<RealtimeImageInfo> {
    return this.#manager.sendImage(source, text, options);
  }

  /** Asks for the microphone again after it was denied or missing; resolves with its new status. */
  retryMicrophone(): Promise<MicrophoneStatus> {
    return this.#manager.retryMicrophone();
  }

  /** Stops the assistant mid-reply; the partial reply is kept, marked interrupted. */
  interrupt(): Promise<void> {
    return this.#manager.interrupt();
  }

  /** Patches the session; applied live when active. Rejects with code `policy_locked` (and fires `charivo-error`) for a change the server's policy does not allow. */
  updateSession(patch: RealtimeSessionConfig): Promise<void> {
    return this.#manager.updateSession(patch).catch((error: unknown) => {
      if (isPolicyError(error)) this.#fail(policyErrorDetail(error, 'updateSession'));
      throw error;
    });
  }

  /** Adds a tool beside the `tools` property (kept until unregistered). Throws `policy_locked` (and fires `charivo-error`) when the server's policy allows no such tool. */
  registerTool<const P extends RealtimeToolParameters>(tool: RealtimeToolOf<P>): void {
    try {
      this.#manager.registerTool(tool);
    } catch (error) {
      if (isPolicyError(error)) this.#fail(policyErrorDetail(error, 'registerTool'));
      throw error;
    }
  }

  /**
   * Answers a GPT-Live client delegation (`charivo-delegation` with target `client`): by default the
   * model tells the user `content`; with `{ kind: 'thinking' }` it is silent progress.
   */
  answerDelegation(delegationId: string, content: string, options?: { kind?: 'commentary' | 'thinking' }): Promise<void> {
    return this.#manager.answerDelegation(delegationId, content, options);
  }

  /** Removes a tool by name. */
  unregisterTool(name: string): boolean {
    return this.#manager.unregisterTool(name);
  }

  /** Push-to-talk: start collecting speech. */
  startTalking(): Promise<void> {
    return this.#manager.startTalking();
  }

  /** Push-to-talk: commit the speech and ask for a reply. */
  stopTalking(): Promise<void> {
    return this.#manager.stopTalking();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#adapters.disconnect();
    // A move within the page disconnects and reconnects in one task: only a real removal ends the session.
    queueMicrotask(() => {
      if (!this.isConnected) void this.stop();
    });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    rejectInvalidInputs(this, changed, this.#inputs);
    if (changed.has('sessionConfig') && !sessionConfigCheckLoaded() && Object.keys(this.sessionConfig).length > 0) {
      this.#checkLater(this.sessionConfig, changed.get('sessionConfig') as RealtimeSessionConfig | undefined);
    }
    if (changed.has('character')) this.#applyCharacter(changed);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('tools')) this.#tools.sync(this.tools);
    if (changed.has('muted')) this.#manager.setMuted(this.muted);
    const configKeys = ['model', 'voice', 'instructions', 'sessionConfig', 'pushToTalk'] as const;
    const loaded = this.#manager.loaded;
    // Before the manager loads there is nothing to push: start() hands it the whole config.
    if (loaded && configKeys.some((key) => changed.has(key)) && this.hasUpdated) this.#pushConfig(loaded, changed.has('pushToTalk'), new Map(changed));
    if (changed.has('muted') || changed.has('pushToTalk')) this.#notify();
    if (changed.has('adapters')) this.#adapters.changed();
    // The first update lists every property (their initial values), so the manager gets them all.
    applySessionFeatures(this.#manager, this, changed);
    if (changed.has('forgetDevices') || changed.has('devicesKey')) this.#devices.setStorageKey(this.#devicesKey());
  }

  #devicesKey(): string | null {
    return this.forgetDevices ? null : this.devicesKey || DEFAULT_DEVICES_KEY;
  }

  /** Also waits for the full check of a `sessionConfig` set before its code loaded (and the update it may cause). */
  protected override async getUpdateComplete(): Promise<boolean> {
    let result = await super.getUpdateComplete();
    while (this.#pendingCheck) {
      await this.#pendingCheck;
      result = await super.getUpdateComplete();
    }
    return result;
  }

  /**
   * Checks a `sessionConfig` once its validator has loaded (the first non-empty one of the page): an
   * invalid one then goes back to `previous` (or `{}`) with a `charivo-error`, as an invalid value set
   * later is refused at once. A start waits for this check.
   */
  #checkLater(value: RealtimeSessionConfig, previous: RealtimeSessionConfig | undefined): void {
    const pending: Promise<void> = loadSessionConfigCheck()
      .then((problem) => {
        if (this.sessionConfig !== value) return;
        const message = problem(value);
        if (message === null) return;
        this.sessionConfig = previous !== undefined && problem(previous) === null ? previous : {};
        this.#fail({ code: 'invalid_property', source: 'sessionConfig', message });
      })
      // Could not load the check (offline): startSession() checks the config again.
      .catch(() => undefined)
      .finally(() => {
        if (this.#pendingCheck === pending) this.#pendingCheck = undefined;
      });
    this.#pendingCheck = pending;
  }

  /** Loads the session code; resolves with what creates the manager from what was set before (see LazyRealtimeManager). */
  async #loadManager(): Promise<(init: LazyManagerInit) => RealtimeManager> {
    // Both settle before either failure is reported: with Promise.all whichever import failed first
    // won, and the config check's bare import error (no adapter_load_failed, no console line) reached
    // the page when its file was the first to be missing (seen in Firefox under load).
    const [runtime, check] = await Promise.allSettled([loadSessionRuntime(), loadSessionConfigCheck()]);
    if (runtime.status === 'rejected') throw codeLoadError('the session transport', runtime.reason);
    if (check.status === 'rejected') throw codeLoadError('the session transport', check.reason);
    const { createElementManager } = runtime.value;
    return (init) => {
      const manager = createElementManager(
        () => this.#resolveTransport(),
        this.#levels,
        {
          // Proxies, so the properties can change after construction.
          resultProjectors: [(execution, context) => this.resultProjectors.forEach((projector) => projector(execution, context))],
          logger: createLoggerProxy(this),
        },
        init,
      );
      this.#pushConfig(manager, false);
      return manager;
    };
  }

  protected override render() {
    return html`<div part="base"><slot></slot></div>`;
  }

  /** The base config from attributes and `sessionConfig`. */
  #baseConfig(): RealtimeSessionConfig {
    const config: RealtimeSessionConfig = { ...this.sessionConfig };
    if (this.model) config.model = this.model;
    if (this.voice) config.voice = this.voice;
    if (this.instructions) config.instructions = this.instructions;
    if (this.pushToTalk) config.turnDetection = null;
    return config;
  }

  #pushConfig(manager: RealtimeManager, pushToTalkChanged: boolean, previous: ReadonlyMap<PropertyKey, unknown> = new Map()): void {
    const config = this.#baseConfig();
    // Leaving push-to-talk must switch detection back on explicitly: a patch cannot "unset" a field.
    if (pushToTalkChanged && !this.pushToTalk && config.turnDetection === undefined) config.turnDetection = { type: 'server_vad' };
    manager.updateSession(config).catch((error: Error & { code?: string }) => {
      // Refusals by the provider already arrive as realtime:error; only report what never got there.
      if (error.code === 'invalid_argument') this.#fail({ code: 'invalid_property', source: 'sessionConfig', message: error.message });
      // The server's policy owns the field: the property that carried it goes back, like an invalid value.
      if (isPolicyError(error)) this.#fail(restoreRefusedProperty(this, error, previous));
    });
  }

  /** Hands a new character to the manager; one the server's policy refuses is put back and reported. */
  #applyCharacter(changed: PropertyValues<this>): void {
    try {
      this.#manager.setCharacter(this.character ?? null);
    } catch (error) {
      if (!isPolicyError(error)) throw error;
      this.character = (changed.get('character') as RealtimeCharacter | null | undefined) ?? null;
      changed.delete('character');
      this.#fail(policyErrorDetail(error, 'character'));
    }
  }

  async #resolveTransport(): Promise<RealtimeTransport> {
    if (this.transport) return this.transport;
    const adapter = this.activeAdapter;
    if (adapter !== this.adapter) {
      createLoggerProxy(this).info(`this browser cannot run the ${this.adapter} adapter; using ${adapter}`, { adapter: this.adapter, fallbackAdapter: adapter });
    }
    const key = `${this.endpoint}\n${this.credentials}\n${adapter}\n${this.#adapters.version}\n${this.requireMicrophone}`;
    if (this.#remote?.key === key && this.#remote.microphone === this.microphone && !this.sessionBootstrap) return this.#remote.client;
    const { createRemoteRealtimeClient } = await loadRemoteClient().catch((error: unknown) => {
      throw codeLoadError('the session transport', error);
    });
    const microphone = this.requireMicrophone ? { ...this.microphone, required: true } : this.microphone;
    const client = createRemoteRealtimeClient({
      endpoint: this.endpoint,
      credentials: this.credentials,
      adapter,
      adapters: this.#adapters.entries(),
      audio: this.#audio,
      ...(microphone ? { microphone } : {}),
      devices: this.#devices,
      ...(this.sessionBootstrap ? { sessionBootstrap: this.sessionBootstrap } : {}),
    });
    this.#remote = { key, client, microphone: this.microphone };
    return client;
  }

  #relay(event: string, payload: unknown): void {
    // The microphone is open now: the browser names the devices.
    if (event === 'realtime:session:start') void this.#devices.refresh();
    if (event === 'realtime:state') {
      const { state, previous } = payload as { state: RealtimeState; previous: RealtimeState };
      this.#notify();
      // Streaming text changes the state once per delta; charivo-assistant-delta already carries it,
      // and a DOM event plus four attribute writes per delta dominated the element's cost.
      if (onlyTextChanged(state, previous)) return;
      reflectState(this, state);
    }
    const name = toDomEventName(event);
    if (!name) return;
    if (event === 'realtime:error') {
      const { error, sessionId } = payload as { error: Error & { code?: string }; sessionId: string | null };
      const field = isPolicyError(error) ? { field: error.field } : {};
      this.#dispatch('charivo-error', { code: error.code ?? 'error', message: error.message, source: 'session', sessionId, error, ...field, ...causeOf(error) });
      return;
    }
    this.#dispatch(name, payload);
  }

  #fail(detail: CharivoErrorDetail): void {
    reportInputError(this, detail);
  }

  #dispatch(name: string, detail: unknown): void {
    this.dispatchEvent(new CharivoEvent(name, detail));
  }

  #notify(): void {
    for (const listener of [...this.#listeners]) listener();
  }

  #createHandle(): CharivoSession {
    const element = this;
    return createSessionHandle({
      get manager() {
        return element.#manager;
      },
      get muted() {
        return element.muted;
      },
      get pushToTalk() {
        return element.pushToTalk;
      },
      levels: this.#levels,
      listeners: this.#listeners,
      devices: this.#devices,
      start: () => this.start(),
      preload: () => this.preload(),
      stop: () => this.stop(),
      send: (text) => this.send(text),
      interrupt: () => this.interrupt(),
      setMuted: (muted) => {
        this.muted = muted;
      },
      startTalking: () => this.startTalking(),
      stopTalking: () => this.stopTalking(),
      retryMicrophone: () => this.retryMicrophone(),
      sendImage: (source, text, options) => this.sendImage(source, text, options),
    });
  }
}

/** A refusal by the server's policy (`RealtimePolicyError`, told by its code: the class loads with the manager). */
function isPolicyError(error: unknown): error is RealtimePolicyError {
  return (error as { code?: unknown } | null)?.code === 'policy_locked';
}
