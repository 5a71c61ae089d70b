/**
 * The server-mediated browser client: asks the page's route for a bootstrap, picks the adapter from the
 * registry, and forwards the {@link RealtimeTransport} contract to it. The API key never reaches here.
 * @packageDocumentation
 */
import { builtInBootstrapSchema } from './bootstrap-check.js';
import { AudioContextOwner } from '../audio/audio-context-owner.js';
import { ForwardingLevelSource } from '../audio/level-source.js';
import type { MicrophoneOptions } from '../audio/microphone.js';
import type { AudioDeviceChoice } from '../audio/device-choice.js';
import { assertTransportSupported } from '../engine-check.js';
import { TRANSPORT_EVENT_NAMES } from '../event-names.js';
import { TransportEvents } from '../transport-events.js';
import type {
  DelegationAnswerKind,
  LevelSource,
  RealtimeTransport,
  RealtimeTransportEventMap,
  RealtimeTransportEventName,
  TransportConnectRequest,
  TransportImage,
  TransportMicrophoneStatus,
  TransportRolloverRequest,
} from '../types.js';
import { forwardRetryMicrophone, forwardRollover, forwardSendImage } from '../forward-optional.js';
import type { RealtimeSessionConfig } from '../../manager/session-config.js';
import { createAdapterRegistry, DEFAULT_ADAPTERS, type AdapterDeps, type BootstrapSchema, type RealtimeAdapterEntry } from './adapters.js';
import { requestBootstrap, type BootstrapRequest } from './bootstrap-client.js';
import { RealtimeTransportError } from '../errors.js';
import { codeLoadError } from './code-loading.js';
import { RemoteRealtimeError } from './errors.js';

/** Options of {@link createRemoteRealtimeClient}. */
export interface RemoteRealtimeClientOptions {
  /** The route that returns bootstraps (default `/api/realtime`). */
  endpoint?: string;
  /** The adapter to ask for (default `openai-agents-webrtc`). */
  adapter?: string;
  /** Extra or replacement adapters; the built-in four stay available. */
  adapters?: readonly RealtimeAdapterEntry[];
  /** `fetch` to use (default the global one). */
  fetch?: typeof fetch;
  /** How long the route may take, in ms (default 15 000). */
  timeoutMs?: number;
  /**
   * Whether the request to the route carries the page's cookies (`fetch`'s `credentials`):
   * `same-origin` (default) for a route on the page's own origin; `include` for a route on another
   * origin that authenticates with a cookie (it must list the page in `allowedOrigins`, and its
   * cookie needs `SameSite=None; Secure`); `omit` to send none.
   */
  credentials?: RequestCredentials;
  /** Replaces the HTTP request: returns a bootstrap by other means (custom servers, tests). */
  sessionBootstrap?: (request: BootstrapRequest, signal: AbortSignal) => Promise<unknown>;
  /** Microphone choice, passed to the adapter. */
  microphone?: MicrophoneOptions;
  /** Microphone and speaker choice followed live (e.g. an `AudioDevices`), passed to the adapter. */
  devices?: AudioDeviceChoice;
  /**
   * The AudioContext owner to use (an element that resumed it inside a click passes its own);
   * the client creates one otherwise.
   */
  audio?: AudioContextOwner;
}

/** A {@link RealtimeTransport} that bootstraps through the page's route. */
export interface RemoteRealtimeClient extends RealtimeTransport {
  /** Levels of the adapter's audio; silent until the first connect loads it. */
  readonly levels: { readonly output: LevelSource; readonly input: LevelSource };
  setMuted(muted: boolean): void;
  /** The adapter this client asks for. */
  readonly adapter: string;
  /** Creates and resumes the AudioContext; call from a click or key handler before the first start. */
  prepareAudio(): Promise<void>;
  /** The underlying adapter transport, once the first connect has loaded it. */
  readonly inner: RealtimeTransport | undefined;
}

/** Creates the remote client. Nothing is loaded or opened until `connect()`. */
export function createRemoteRealtimeClient(options: RemoteRealtimeClientOptions = {}): RemoteRealtimeClient {
  return new DefaultRemoteRealtimeClient(options);
}

class DefaultRemoteRealtimeClient implements RemoteRealtimeClient {
  readonly adapter: string;
  readonly levels = { output: new ForwardingLevelSource(), input: new ForwardingLevelSource() };
  #events = new TransportEvents();
  #registry: Map<string, RealtimeAdapterEntry>;
  #audio: AudioContextOwner;
  #inner: RealtimeTransport | undefined;
  #loading: Promise<RealtimeTransport> | undefined;
  #session: RealtimeSessionConfig = {};
  #muted = false;

  constructor(private readonly options: RemoteRealtimeClientOptions) {
    this.adapter = options.adapter ?? 'openai-agents-webrtc';
    this.#audio = options.audio ?? new AudioContextOwner();
    this.#registry = createAdapterRegistry(options.adapters);
  }

  get inner(): RealtimeTransport | undefined {
    return this.#inner;
  }

  async prepareAudio(): Promise<void> {
    await this.#audio.prepare();
  }

  on<K extends RealtimeTransportEventName>(event: K, handler: (payload: RealtimeTransportEventMap[K]) => void): () => void {
    return this.#events.on(event, handler);
  }

  async connect(request: TransportConnectRequest, signal: AbortSignal): Promise<void> {
    this.#session = request.session;
    const inner = await this.#load();
    if (signal.aborted) throw new DOMException('The session start was cancelled.', 'AbortError');
    await inner.connect(request, signal);
  }

  async disconnect(): Promise<void> {
    try {
      await this.#inner?.disconnect();
    } finally {
      // The session is over: a running AudioContext would keep the audio device busy. The next
      // start (prepareAudio) creates a fresh one; reconnects never pass through here.
      await this.#audio.close().catch(() => {});
    }
  }

  async sendText(text: string): Promise<void> {
    return this.#require('sendText').sendText(text);
  }

  async sendAudio(chunk: ArrayBuffer): Promise<void> {
    return this.#require('sendAudio').sendAudio(chunk);
  }

  async updateSession(session: RealtimeSessionConfig): Promise<void> {
    this.#session = session;
    return this.#require('updateSession').updateSession(session);
  }

  async sendToolResult(callId: string, output: Record<string, unknown>, options?: { requestResponse?: boolean }): Promise<void> {
    return this.#require('sendToolResult').sendToolResult(callId, output, options);
  }

  async sendImage(image: TransportImage, options?: { text?: string; requestResponse?: boolean }): Promise<void> {
    return forwardSendImage(this.#require('sendImage'), image, options);
  }

  async retryMicrophone(): Promise<TransportMicrophoneStatus> {
    return forwardRetryMicrophone(this.#require('retryMicrophone'));
  }

  async rollover(request: TransportRolloverRequest, signal: AbortSignal): Promise<void> {
    // The new session is minted by the route from this request, as on a reconnect.
    this.#session = request.session;
    return forwardRollover(this.#require('rollover'), request, signal);
  }

  async interrupt(): Promise<void> {
    return this.#require('interrupt').interrupt();
  }

  async answerDelegation(delegationId: string, content: string, kind: DelegationAnswerKind): Promise<void> {
    const inner = this.#require('answerDelegation');
    if (!inner.answerDelegation) throw new RealtimeTransportError('unsupported', `Adapter ${this.adapter} has no delegations.`);
    await inner.answerDelegation(delegationId, content, kind);
  }

  setMuted(muted: boolean): void {
    this.#muted = muted;
    this.#inner?.setMuted?.(muted);
  }

  async startInputTurn(): Promise<void> {
    const inner = this.#require('startInputTurn');
    if (!inner.startInputTurn) throw new RealtimeTransportError('unsupported', `Adapter ${this.adapter} has no push-to-talk.`);
    await inner.startInputTurn();
  }

  async commitInputTurn(): Promise<void> {
    const inner = this.#require('commitInputTurn');
    if (!inner.commitInputTurn) throw new RealtimeTransportError('unsupported', `Adapter ${this.adapter} has no push-to-talk.`);
    await inner.commitInputTurn();
  }

  #require(method: string): RealtimeTransport {
    if (!this.#inner) throw new RealtimeTransportError('not_connected', `${method}: not connected (call connect() first).`);
    return this.#inner;
  }

  #load(): Promise<RealtimeTransport> {
    this.#loading ??= this.#create().catch((error: unknown) => {
      this.#loading = undefined;
      throw error;
    });
    return this.#loading;
  }

  async #create(): Promise<RealtimeTransport> {
    const entry = this.#registry.get(this.adapter);
    if (!entry) {
      throw new RemoteRealtimeError(
        'unknown_adapter',
        `No adapter named "${this.adapter}" is registered (known: ${[...this.#registry.keys()].join(', ')}).`,
      );
    }
    // Before loading a built-in adapter or asking the route for a secret: an engine without WebRTC fails
    // with a clear webrtc_unsupported, not a ReferenceError from inside the adapter. (An adapter of the
    // page's own brings its own needs; its `transport` only says what it asks the route for.)
    if (DEFAULT_ADAPTERS.includes(entry)) assertTransportSupported(entry.transport, entry.name);
    let factory;
    try {
      factory = await entry.load();
    } catch (error) {
      throw codeLoadError(`adapter "${entry.name}"`, error);
    }
    const deps: AdapterDeps = {
      bootstrap: (extra, signal) => this.#bootstrap(entry, extra, signal),
      audio: this.#audio,
      ...(this.options.microphone ? { microphone: this.options.microphone } : {}),
      ...(this.options.devices ? { devices: this.options.devices } : {}),
    };
    const inner = factory(deps);
    for (const event of TRANSPORT_EVENT_NAMES) {
      inner.on(event, (payload) => this.#events.emit(event, payload as never));
    }
    this.levels.output.setTarget(inner.levels?.output);
    this.levels.input.setTarget(inner.levels?.input);
    inner.setMuted?.(this.#muted);
    this.#inner = inner;
    return inner;
  }

  async #bootstrap(entry: RealtimeAdapterEntry, extra: Parameters<AdapterDeps['bootstrap']>[0], signal: AbortSignal): Promise<unknown> {
    const body: BootstrapRequest = {
      adapter: entry.name,
      transport: entry.transport,
      session: this.#session,
      ...(extra?.sdp ? { sdp: extra.sdp } : {}),
      ...(extra?.history?.length ? { history: extra.history.map(({ role, text, interrupted }) => ({ role, text, ...(interrupted ? { interrupted } : {}) })) } : {}),
    };
    const schema: BootstrapSchema = entry.bootstrapSchema ?? builtInBootstrapSchema;
    const bootstrap = this.options.sessionBootstrap
      ? parseWith(schema, await this.options.sessionBootstrap(body, signal))
      : await requestBootstrap(body, {
          endpoint: this.options.endpoint ?? '/api/realtime',
          fetch: this.options.fetch ?? globalThis.fetch.bind(globalThis),
          timeoutMs: this.options.timeoutMs ?? 15_000,
          signal,
          schema,
          ...(this.options.credentials ? { credentials: this.options.credentials } : {}),
        });
    const adapter = (bootstrap as { adapter?: unknown }).adapter;
    if (adapter !== entry.name) {
      throw new RemoteRealtimeError('adapter_mismatch', `Asked the route for adapter "${entry.name}" but it answered for "${String(adapter)}".`);
    }
    return bootstrap;
  }
}

function parseWith(schema: BootstrapSchema, value: unknown): unknown {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const where = parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`);
  throw new RemoteRealtimeError('invalid_bootstrap', `sessionBootstrap returned an invalid bootstrap: ${where.join('; ')}`);
}
