/**
 * The manager's public interface: what `createRealtimeManager()` returns. Its types live in `types.ts`.
 * @packageDocumentation
 */
import type { DelegationAnswerKind, LevelSource } from '../transports/types.js';
import type { RealtimeImageInfo, RealtimeImageOptions, RealtimeImageSource } from './image-input.js';
import type { RealtimeMetrics } from './metrics.js';
import type { RealtimePriceTable } from './prices.js';
import type { RealtimeFunctionToolDefinition, RealtimeSessionConfig } from './session-config.js';
import type {
  MicrophoneStatus,
  RealtimeCharacter,
  RealtimeEventEmitter,
  RealtimeManagerEventMap,
  RealtimeManagerEventName,
  RealtimeState,
  RealtimeToolOf,
  RealtimeToolParameters,
  RolloverOptions,
  StartSessionOptions,
} from './types.js';

/** The session brain. Framework-free; one per conversation UI. */
export interface RealtimeManager {
  /** The current state: a frozen snapshot. */
  getState(): RealtimeState;
  startSession(config?: RealtimeSessionConfig, options?: StartSessionOptions): Promise<void>;
  stopSession(): Promise<void>;
  sendMessage(text: string): Promise<void>;
  sendAudioChunk(chunk: ArrayBuffer): Promise<void>;
  interrupt(): Promise<void>;
  /** Patches the base config; applied live when active (whole effective config), cached otherwise. */
  updateSession(patch: RealtimeSessionConfig): Promise<void>;
  setCharacter(character: RealtimeCharacter | null): void;
  getCharacter(): RealtimeCharacter | null;
  /** Adds a tool (its handler's arguments inferred from its schema, see {@link RealtimeToolOf}). */
  registerTool<const P extends RealtimeToolParameters>(tool: RealtimeToolOf<P>): void;
  unregisterTool(name: string): boolean;
  /** The registered definitions as sent to the provider: frozen, a new array each call. */
  getRegisteredTools(): RealtimeFunctionToolDefinition[];
  /** The effective config the next connect would use (base + character + tools). */
  getEffectiveConfig(): RealtimeSessionConfig;
  /** Mutes the microphone when the transport has one. */
  setMuted(muted: boolean): void;
  /**
   * Answers a client delegation (GPT-Live, `realtime:delegation` with `target: 'client'`): with
   * `kind: 'commentary'` (default) `content` is the result the model tells the user; with `thinking`
   * it is silent progress the model may draw on. Rejects with `unsupported` on transports without
   * delegations and `invalid_argument` for empty content.
   */
  answerDelegation(delegationId: string, content: string, options?: { kind?: DelegationAnswerKind }): Promise<void>;
  /**
   * Asks for the microphone again after it was denied, absent or unavailable, and attaches it to the
   * running session (no new session). Resolves with the new status; a refusal is a status, not a
   * rejection. Rejects `unsupported` when the transport cannot.
   */
  retryMicrophone(): Promise<MicrophoneStatus>;
  /**
   * Shows the model a picture: a `Blob` (a file), an `<img>`, an `ImageBitmap`, a canvas, a `<video>`'s
   * current frame or a `VideoFrame`, resized and compressed to the bounds of `options` (over the
   * manager's `images` option), sent as an `input_image` user message with `text`, then a reply is
   * asked for. Resolves with what was sent. Rejects `invalid_image` for input it cannot read,
   * `image_too_large` when it cannot be brought under `maxBytes`, and as `sendMessage()` does while
   * a reply is outstanding.
   */
  sendImage(source: RealtimeImageSource, text?: string, options?: RealtimeImageOptions): Promise<RealtimeImageInfo>;
  /** The session's measurements: turn latencies, connect times, tokens and the estimated cost. Frozen. */
  getMetrics(): RealtimeMetrics;
  /** Sets (or with `null`, clears) the price table of the cost estimate. */
  setPrices(prices: RealtimePriceTable | null): void;
  /** Turns the screen wake lock on or off (see the `wakeLock` option). */
  setWakeLock(enabled: boolean): void;
  /** Changes the rollover (see the `rollover` option); applies from the next provider session. */
  setRollover(options: RolloverOptions | false): void;
  /**
   * Push-to-talk (turn detection `null`): stops a reply in progress, clears the input buffer and starts
   * collecting the user's speech. Refused while voice activity detection is on.
   */
  startTalking(): Promise<void>;
  /** Push-to-talk: commits what was said and asks for a reply. */
  stopTalking(): Promise<void>;
  /** Level sources of the transport (assistant voice, microphone), when it has audio. */
  readonly levels: { readonly output?: LevelSource; readonly input?: LevelSource };
  on<K extends RealtimeManagerEventName>(event: K, handler: (payload: RealtimeManagerEventMap[K]) => void): () => void;
  /** Listens to an event a projector emits (names outside the manager's own map). */
  on(event: string, handler: (payload: unknown) => void): () => void;
  /** Listens to every event: `(name, payload)`. Returns an unsubscribe. */
  onAny(handler: (event: string, payload: unknown) => void): () => void;
  setEventEmitter(emitter: RealtimeEventEmitter | null): void;
  /** Stops the session if needed and removes every listener and timer the manager created. */
  dispose(): Promise<void>;
}
