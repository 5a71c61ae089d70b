import { ContextProvider } from '@lit/context';
import { css, html, LitElement, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { createRealtimeManager } from '../../manager/index.js';
import { parseSessionConfig } from '../../manager/session-config-parse.js';
import type {
  RealtimeCharacter,
  RealtimeLogger,
  RealtimeManager,
  RealtimeSessionConfig,
  RealtimeState,
  RealtimeToolRegistration,
  RealtimeToolResultProjector,
} from '../../manager/index.js';
import { AudioContextOwner } from '../../transports/audio/audio-context-owner.js';
import type { MicrophoneOptions } from '../../transports/audio/microphone.js';
import { DeferredTransport } from '../../transports/deferred-transport.js';
import { chooseAdapter } from './adapter-choice.js';
import type { RemoteRealtimeClientOptions } from '../../transports/remote/remote-client.js';
import type { RealtimeTransport } from '../../transports/types.js';
import { sessionContext, type CharivoSession } from '../session-context.js';
import { CharivoEvent, toDomEventName, type CharivoErrorDetail } from './realtime-events.js';
import { checkBoolean, checkOneOf, rejectInvalidInputs, reportInputError, type InputRules } from '../shared/input-errors.js';
import {
  checkArrayOfFunctions,
  checkCharacter,
  checkEndpoint,
  checkLogger,
  checkMicrophone,
  checkOptionalString,
  checkTransport,
} from './realtime-input.js';
import { ToolSync } from './tool-sync.js';

const KNOWN_ADAPTERS = ['openai-agents-webrtc', 'openai-webrtc', 'openai-websocket'];

/** Checks of every input (the element's own defaults are what an invalid first value falls back to). */
const INPUTS: InputRules = {
  endpoint: { check: checkEndpoint, initial: '/api/realtime', attribute: 'endpoint', nullResets: true },
  adapter: { check: checkOneOf('adapter', KNOWN_ADAPTERS), initial: 'openai-agents-webrtc', attribute: 'adapter', nullResets: true },
  fallbackAdapter: { check: checkOneOf('fallbackAdapter', KNOWN_ADAPTERS), initial: undefined, attribute: 'fallback-adapter', nullResets: true },
  microphone: { check: checkMicrophone, initial: undefined },
  model: { check: (value) => checkOptionalString(value, 'model', 128), initial: undefined, attribute: 'model' },
  voice: { check: (value) => checkOptionalString(value, 'voice', 128), initial: undefined, attribute: 'voice' },
  instructions: { check: (value) => checkOptionalString(value, 'instructions'), initial: undefined, attribute: 'instructions' },
  muted: { check: checkBoolean('muted'), initial: false, nullResets: true },
  pushToTalk: { check: checkBoolean('pushToTalk'), initial: false, nullResets: true },
  debug: { check: checkBoolean('debug'), initial: false, nullResets: true },
  character: { check: checkCharacter, initial: null },
  tools: { check: (value) => (Array.isArray(value) ? null : 'tools must be an array of tool registrations'), initial: [] },
  sessionConfig: { check: checkSessionConfig, initial: {} },
  resultProjectors: { check: (value) => checkArrayOfFunctions(value, 'resultProjectors'), initial: [] },
  logger: { check: checkLogger, initial: undefined },
  transport: { check: checkTransport, initial: undefined },
  sessionBootstrap: {
    check: (value) => (value === undefined || typeof value === 'function' ? null : 'sessionBootstrap must be a function'),
    initial: undefined,
  },
};

/**
 * A live voice session with an AI model. Owns one realtime manager and, on the first `start()`, loads
 * the transport (by default the remote client that asks `endpoint` for a bootstrap, so the API key stays
 * on the server). Descendants (and siblings with `for="id"`) get the session through context.
 *
 * @summary Voice session host: configure it, start it, listen to `charivo-*` events.
 * @tag charivo-realtime
 * @slot - The session's UI: avatar, transcript, meter, controls, anything else.
 * @csspart base - The wrapper around the slot.
 * @attr state - Reflected, read-only: the session status (`idle`, `starting`, `active`, `stopped`), for CSS.
 * @attr connection - Reflected, read-only: `idle`, `connecting`, `connected`, `disconnecting` or `error`.
 * @attr speaking - Reflected, read-only: present while the assistant's voice plays.
 * @attr reconnecting - Reflected, read-only: present while a lost connection is being recovered.
 * @cssprop [--charivo-realtime-display=block] - Display of the host.
 *
 * @fires {CharivoEvent} charivo-session-start - A session became active (detail: sessionId, config).
 * @fires {CharivoEvent} charivo-session-end - A session ended (detail: sessionId, reason).
 * @fires {CharivoEvent} charivo-state - A state change (detail: state, previous); not for each streaming text delta (see charivo-assistant-delta).
 * @fires {CharivoEvent} charivo-user-transcript - User speech, partial and final.
 * @fires {CharivoEvent} charivo-user-message - A typed message was sent.
 * @fires {CharivoEvent} charivo-assistant-start - The assistant began a response.
 * @fires {CharivoEvent} charivo-assistant-delta - Streaming assistant text.
 * @fires {CharivoEvent} charivo-assistant-done - A response ended (completed, interrupted, …).
 * @fires {CharivoEvent} charivo-text-delta - Charivo-compatible alias of assistant deltas.
 * @fires {CharivoEvent} charivo-tool-call - The model called a tool.
 * @fires {CharivoEvent} charivo-tool-result - A tool succeeded; its result went back to the model.
 * @fires {CharivoEvent} charivo-tool-error - A tool failed; the failure went back to the model.
 * @fires {CharivoEvent} charivo-usage - Token usage of a response.
 * @fires {CharivoEvent} charivo-audio-start - The assistant's voice started playing.
 * @fires {CharivoEvent} charivo-audio-end - The assistant's voice stopped.
 * @fires {CharivoEvent} charivo-reconnect-attempt - A reconnect attempt (detail: attempt, delayMs, cause).
 * @fires {CharivoEvent} charivo-reconnect-success - The connection recovered.
 * @fires {CharivoEvent} charivo-reconnect-exhausted - Reconnecting gave up.
 * @fires {CharivoEvent} charivo-avatar-expression - A result projector chose an expression.
 * @fires {CharivoEvent} charivo-avatar-motion - A result projector chose a motion.
 * @fires {CharivoEvent} charivo-avatar-gaze - A result projector chose where to look.
 * @fires {CharivoEvent} charivo-error - A session error, or invalid input to this element (detail: code, message, source).
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
  /** The browser adapter to ask the route for: `openai-agents-webrtc`, `openai-webrtc` or `openai-websocket`. */
  @property() adapter = 'openai-agents-webrtc';
  /**
   * The adapter to use instead when this browser lacks what `adapter` needs (e.g. `openai-websocket` where
   * there is no WebRTC). Without it such a browser fails the start with code `webrtc_unsupported`.
   * The route must allow the fallback adapter too.
   */
  @property({ attribute: 'fallback-adapter' }) fallbackAdapter?: string;
  /** Model name; the server's default when absent. */
  @property() model?: string;
  /** Voice name; the character's or the server's default when absent. */
  @property() voice?: string;
  /** Instructions for the model (the route may append them to its own or refuse them). */
  @property() instructions?: string;
  /** Mutes the microphone: the model hears silence. */
  @property({ type: Boolean, reflect: true }) muted = false;
  /** Turn detection off: the user holds a talk control while speaking. */
  @property({ type: Boolean, reflect: true, attribute: 'push-to-talk' }) pushToTalk = false;
  /** Logs the session to the console when no `logger` is set. */
  @property({ type: Boolean }) debug = false;

  /** The character the assistant plays (name, description, personality, voice). */
  @property({ attribute: false }) character: RealtimeCharacter | null = null;
  /** Tools the model may call, with their handlers; JSON Schema or zod parameters. */
  @property({ attribute: false }) tools: RealtimeToolRegistration[] = [];
  /** Further session fields (turn detection, transcription, output, limits). */
  @property({ attribute: false }) sessionConfig: RealtimeSessionConfig = {};
  /** Turn tool results into app events (e.g. `createAvatarResultProjector()`). */
  @property({ attribute: false }) resultProjectors: RealtimeToolResultProjector[] = [];
  /** Receives the session's log lines, each with its sessionId. */
  @property({ attribute: false }) logger?: RealtimeLogger;
  /** A transport of your own (tests, custom servers); replaces the remote client from the next start. */
  @property({ attribute: false }) transport?: RealtimeTransport;
  /** Returns a bootstrap without the HTTP route (custom servers, tests). */
  @property({ attribute: false }) sessionBootstrap?: RemoteRealtimeClientOptions['sessionBootstrap'];
  /**
   * The microphone: `{ deviceId }`, extra `{ constraints }`, or a `{ stream }` you own (used as is and
   * never stopped by the element). The default device when unset. Applies from the next start.
   */
  @property({ attribute: false }) microphone?: MicrophoneOptions;

  /** The session handle this element provides to its descendants and `for` siblings. */
  readonly session: CharivoSession;
  readonly #manager: RealtimeManager;
  readonly #transport: DeferredTransport;
  readonly #audio = new AudioContextOwner();
  readonly #tools: ToolSync;
  readonly #listeners = new Set<() => void>();
  #remote: { key: string; client: RealtimeTransport; microphone: MicrophoneOptions | undefined } | undefined;

  constructor() {
    super();
    this.#transport = new DeferredTransport(() => this.#resolveTransport());
    this.#manager = createRealtimeManager(this.#transport, {
      // Proxies, so the properties can change after construction.
      resultProjectors: [(execution, context) => this.resultProjectors.forEach((projector) => projector(execution, context))],
      logger: this.#loggerProxy(),
    });
    this.#tools = new ToolSync(this.#manager, (detail) => this.#fail(detail));
    this.#manager.onAny((event, payload) => this.#relay(event, payload));
    this.session = this.#createHandle();
    new ContextProvider(this, { context: sessionContext, initialValue: this.session });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Not in the constructor: document.createElement() (React, Vue) forbids attributes set there.
    this.#reflectState(this.#manager.getState());
  }

  /** The current state snapshot (read-only). */
  get state(): RealtimeState {
    return this.#manager.getState();
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

  /** Starts a session. Call from a click or key handler: the AudioContext is resumed in that gesture. */
  async start(): Promise<void> {
    if (!this.transport) void this.prepareAudio().catch(() => {});
    await this.#manager.startSession(this.#baseConfig());
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

  /** Stops the assistant mid-reply; the partial reply is kept, marked interrupted. */
  interrupt(): Promise<void> {
    return this.#manager.interrupt();
  }

  /** Patches the session; applied live when active. */
  updateSession(patch: RealtimeSessionConfig): Promise<void> {
    return this.#manager.updateSession(patch);
  }

  /** Adds a tool beside the `tools` property (kept until unregistered). */
  registerTool(tool: RealtimeToolRegistration): void {
    this.#manager.registerTool(tool);
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
    // A move within the page disconnects and reconnects in one task: only a real removal ends the session.
    queueMicrotask(() => {
      if (!this.isConnected) void this.stop();
    });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    rejectInvalidInputs(this, changed, INPUTS);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('character')) this.#manager.setCharacter(this.character ?? null);
    if (changed.has('tools')) this.#tools.sync(this.tools);
    if (changed.has('muted')) this.#manager.setMuted(this.muted);
    const configKeys = ['model', 'voice', 'instructions', 'sessionConfig', 'pushToTalk'] as const;
    if (configKeys.some((key) => changed.has(key)) && this.hasUpdated) this.#pushConfig(changed.has('pushToTalk'));
    if (changed.has('muted') || changed.has('pushToTalk')) this.#notify();
  }

  override firstUpdated(): void {
    this.#pushConfig(false);
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

  #pushConfig(pushToTalkChanged: boolean): void {
    const config = this.#baseConfig();
    // Leaving push-to-talk must switch detection back on explicitly: a patch cannot "unset" a field.
    if (pushToTalkChanged && !this.pushToTalk && config.turnDetection === undefined) config.turnDetection = { type: 'server_vad' };
    this.#manager.updateSession(config).catch((error: Error & { code?: string }) => {
      // Refusals by the provider already arrive as realtime:error; only report what never got there.
      if (error.code === 'invalid_argument') this.#fail({ code: 'invalid_property', source: 'sessionConfig', message: error.message });
    });
  }

  async #resolveTransport(): Promise<RealtimeTransport> {
    if (this.transport) return this.transport;
    const adapter = this.activeAdapter;
    if (adapter !== this.adapter) {
      this.#loggerProxy().info(`this browser cannot run the ${this.adapter} adapter; using ${adapter}`, { adapter: this.adapter, fallbackAdapter: adapter });
    }
    const key = `${this.endpoint}\n${adapter}`;
    if (this.#remote?.key === key && this.#remote.microphone === this.microphone && !this.sessionBootstrap) return this.#remote.client;
    const { createRemoteRealtimeClient } = await import('../../transports/remote/index.js');
    const client = createRemoteRealtimeClient({
      endpoint: this.endpoint,
      adapter,
      audio: this.#audio,
      ...(this.microphone ? { microphone: this.microphone } : {}),
      ...(this.sessionBootstrap ? { sessionBootstrap: this.sessionBootstrap } : {}),
    });
    this.#remote = { key, client, microphone: this.microphone };
    return client;
  }

  #relay(event: string, payload: unknown): void {
    if (event === 'realtime:state') {
      const { state, previous } = payload as { state: RealtimeState; previous: RealtimeState };
      this.#notify();
      // Streaming text changes the state once per delta; charivo-assistant-delta already carries it,
      // and a DOM event plus four attribute writes per delta dominated the element's cost.
      if (onlyTextChanged(state, previous)) return;
      this.#reflectState(state);
    }
    const name = toDomEventName(event);
    if (!name) return;
    if (event === 'realtime:error') {
      const { error, sessionId } = payload as { error: Error & { code?: string }; sessionId: string | null };
      this.#dispatch('charivo-error', { code: error.code ?? 'error', message: error.message, source: 'session', sessionId, error });
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

  /** Attributes CSS can select on: `state`, `connection`, `speaking`, `reconnecting` (written only when they differ). */
  #reflectState(state: RealtimeState): void {
    if (this.getAttribute('state') !== state.session.status) this.setAttribute('state', state.session.status);
    if (this.getAttribute('connection') !== state.connection) this.setAttribute('connection', state.connection);
    this.toggleAttribute('speaking', state.audioPlaying);
    this.toggleAttribute('reconnecting', state.reconnecting);
  }

  #notify(): void {
    for (const listener of [...this.#listeners]) listener();
  }

  #loggerProxy(): RealtimeLogger {
    const forward =
      (level: keyof RealtimeLogger) =>
      (message: string, context?: Record<string, unknown>) => {
        const target = this.logger ?? (this.debug ? console : undefined);
        target?.[level](`[charivo-realtime] ${message}`, context);
      };
    return { debug: forward('debug'), info: forward('info'), warn: forward('warn'), error: forward('error') };
  }

  #createHandle(): CharivoSession {
    const element = this;
    return {
      get manager() {
        return element.#manager;
      },
      get state() {
        return element.#manager.getState();
      },
      get muted() {
        return element.muted;
      },
      get pushToTalk() {
        return element.pushToTalk;
      },
      levels: this.#transport.levels,
      subscribe(listener) {
        element.#listeners.add(listener);
        return () => element.#listeners.delete(listener);
      },
      start: () => this.start(),
      stop: () => this.stop(),
      send: (text) => this.send(text),
      interrupt: () => this.interrupt(),
      setMuted: (muted) => {
        this.muted = muted;
      },
      startTalking: () => this.startTalking(),
      stopTalking: () => this.stopTalking(),
    };
  }
}

function checkSessionConfig(value: unknown): string | null {
  try {
    parseSessionConfig(value, 'sessionConfig');
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** True when a state change is only the streaming text of the same response. */
function onlyTextChanged(state: RealtimeState, previous: RealtimeState): boolean {
  if (state.response.text === previous.response.text) return false;
  if (state.response.id !== previous.response.id || state.response.status !== previous.response.status) return false;
  for (const key of Object.keys(state) as Array<keyof RealtimeState>) {
    if (key !== 'response' && state[key] !== previous[key]) return false;
  }
  return true;
}
