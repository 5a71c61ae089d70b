/**
 * The contract between the manager and a realtime transport (WebRTC, WebSocket, a test double, or a
 * user's own). The manager knows nothing else about a transport, so this file holds no code.
 *
 * Ownership: the transport owns every resource it creates (peer connection, socket, microphone tracks,
 * AudioContext) and releases all of them in `disconnect()`. A resource handed in by the caller (a
 * `MediaStream` option of a concrete transport, say) stays the caller's.
 * @packageDocumentation
 */
import type { RealtimeSessionConfig, RealtimeUsage } from '../manager/session-config.js';
import type { SessionOpened } from '../session/session-policy.js';

export type { BootstrapPolicy, SessionOpened } from '../session/session-policy.js';

/** Why a live connection ended without `disconnect()` being called. */
export type ConnectionLossCause =
  | 'ice-failed'
  | 'ice-disconnected'
  | 'peer-closed'
  | 'data-channel-closed'
  | 'socket-closed'
  | 'health-check-failed'
  | 'server-error'
  | 'unknown';

/** One finished turn of the conversation, kept by the manager so a new connection can replay it. */
export interface ConversationTurn {
  role: 'user' | 'assistant';
  text: string;
  /** True when the assistant was interrupted: `text` is what was produced before the interruption. */
  interrupted?: boolean;
}

/** What the manager asks a transport to connect with. */
export interface TransportConnectRequest {
  /**
   * The session to ask for: on `start`, the whole effective config (base config + character + the
   * registry's tools); on `reconnect`, the same with the page's live changes, as the running
   * session's policy allows them. A remote adapter sends it to the route and opens the session the
   * route returns (reported as `session:opened`).
   */
  session: RealtimeSessionConfig;
  /** `reconnect` when recovering a lost connection of the same manager session. */
  reason: 'start' | 'reconnect';
  /**
   * The conversation so far (finished turns only, oldest first). On `reconnect` a transport replays
   * these into the new provider session as conversation items so the model keeps its context.
   * Tool calls are not included: old call ids must never be answered on a new connection.
   */
  history: readonly ConversationTurn[];
  /** The manager's session id, for logs and provider metadata. */
  sessionId: string;
}

/**
 * Where the microphone stands for a connection, as a transport reports it (`microphone` event):
 * - `live`: open and sent to the provider;
 * - `denied`: the user or the browser refused access (permission);
 * - `absent`: no microphone (none connected, or the page cannot capture: no `getUserMedia`);
 * - `unavailable`: one exists but could not be started (another application holds it, say).
 *
 * Without a microphone the session still runs: typed turns, images, and voice or text replies.
 */
export type TransportMicrophoneStatus = 'live' | 'denied' | 'absent' | 'unavailable';

/** An image ready for the wire: a `data:` URL of a PNG or JPEG and its pixel size. */
export interface TransportImage {
  /** `data:image/jpeg;base64,…` or `data:image/png;base64,…`. */
  dataUrl: string;
  width: number;
  height: number;
  /** How closely the model looks (OpenAI's `detail`); the provider's default when left out. */
  detail?: 'auto' | 'low' | 'high';
}

/**
 * What {@link RealtimeTransport.rollover} gets: the session to open beside the live one, and the
 * manager's hand-over.
 */
export interface TransportRolloverRequest {
  /** As for a reconnect: the page's effective config, as the running session's policy allows it. */
  session: RealtimeSessionConfig;
  /** The manager's session id (it does not change). */
  sessionId: string;
  /**
   * Called once the new provider session is configured. Resolves at a pause in the conversation with
   * the finished turns to replay into it; from that moment the old session's events are no longer
   * delivered, and the transport moves the microphone and the output to the new one, replays, and
   * releases the old one. Rejects when the manager gives the rollover up (the transport then drops
   * the new session and keeps the old one).
   */
  handover(): Promise<readonly ConversationTurn[]>;
}

/** A value sampled once per animation frame, e.g. the assistant's voice level in [0, 1]. */
export interface LevelSource {
  /** Current level in [0, 1]; exactly 0 when nothing plays. Cheap: meant to be called per frame. */
  read(): number;
  /** True while there is something to sample (consumers stop their frame loop when false). */
  readonly active: boolean;
  /** Called when `active` changes; returns an unsubscribe. */
  onActiveChange(listener: (active: boolean) => void): () => void;
}

/** Status of a response as reported by the provider when it ends. */
export type TransportResponseStatus = 'completed' | 'cancelled' | 'incomplete' | 'failed';

/**
 * What an assistant utterance is (GPT-Live): `commentary` while a delegated task runs (an
 * acknowledgement, progress), `final` for the answer. Providers without delegation say nothing.
 */
export type AssistantPhase = 'commentary' | 'final';

/** Who handles a task the model delegated (GPT-Live): the page (`client`), or a backend the server set up. */
export type DelegationTarget = 'client' | 'responses' | 'decisions';

/** How the page answers a client delegation: `commentary` is spoken to the user, `thinking` is silent context. */
export type DelegationAnswerKind = 'commentary' | 'thinking';

/** Normalized events a transport emits. Payloads are plain data; handlers must not throw back into it. */
export interface RealtimeTransportEventMap {
  /**
   * The session that runs, emitted by `connect()` (every connect, reconnects included) once the
   * provider session is configured and before `connect()` resolves: the session the server created
   * (for a remote adapter, the bootstrap's `session`, never the page's request) and the server's
   * policy over it. The manager refuses changes to what the policy owns from then on.
   */
  'session:opened': SessionOpened;
  /** The connection was lost without `disconnect()`; the manager decides whether to reconnect. */
  'connection:lost': { cause: ConnectionLossCause; error?: Error };
  /** Partial (`final: false`, `text` is the running transcript) or final user transcript. */
  'user:transcript': { itemId?: string; text: string; final: boolean };
  /** The user started speaking (server VAD); a good moment to stop local playback. */
  'user:speech-start': { itemId?: string };
  /** The provider decided the user stopped speaking (server VAD, after its silence window): a turn ends. */
  'user:speech-stop': { itemId?: string };
  /**
   * The microphone of this connection: emitted by `connect()` (before it resolves) and whenever it
   * changes (`retryMicrophone()`). `error` says why it is not live (an `AudioDeviceError` with a code).
   */
  'microphone': { status: TransportMicrophoneStatus; error?: Error & { code?: string } };
  /**
   * Server VAD's idle timeout (`turnDetection.idleTimeoutMs`) passed without speech after the
   * assistant finished: the provider commits the silence as `itemId` and answers it itself.
   * `audioStartMs`/`audioEndMs` bound the silence, as offsets into the input audio.
   */
  'idle:timeout': { itemId?: string; audioStartMs?: number; audioEndMs?: number };
  'assistant:start': { responseId: string; phase?: AssistantPhase };
  'assistant:delta': { responseId: string; delta: string };
  /** The response ended; `text` is its whole assistant text (may be empty for tool-only responses). */
  'assistant:done': { responseId: string; text: string; status: TransportResponseStatus };
  /**
   * A function call the model made. Emit every call of a response before that response's
   * `assistant:done`; `arguments` is the raw JSON text from the model (untrusted).
   */
  'tool:call': { responseId?: string; callId: string; name: string; arguments: string };
  'audio:start': { responseId?: string };
  'audio:end': { responseId?: string; reason: 'stopped' | 'cleared' | 'interrupted' | 'disconnected' };
  /** The assistant's voice level, at most once per animation frame and only while audio plays. */
  'lipsync': { level: number };
  'usage': { responseId?: string; usage: RealtimeUsage };
  /**
   * The model handed a task over (GPT-Live). For `target: 'client'` the page does the work and answers
   * with `answerDelegation()`; other targets are informational (a backend the server set up runs it).
   */
  'delegation': { delegationId: string; target: DelegationTarget; responseId?: string };
  /** A non-fatal provider or protocol error (a fatal one is `connection:lost`). */
  'error': { error: Error; code?: string };
}

/** Event names of {@link RealtimeTransportEventMap}. */
export type RealtimeTransportEventName = keyof RealtimeTransportEventMap;

/**
 * A realtime transport. Every method but `on` may reject with an `Error` carrying a stable `code`.
 */
export interface RealtimeTransport {
  /**
   * Opens a connection (or, after a loss, replaces the dead one: the transport releases what is left of
   * it first) and resolves once the provider session is configured, after emitting `session:opened`
   * with the session that runs (`request.session`, or what the server made of it).
   * Must stop, release what it created so far and reject with an `AbortError`-named error when `signal`
   * aborts.
   */
  connect(request: TransportConnectRequest, signal: AbortSignal): Promise<void>;
  /** Closes the connection and releases everything the transport created. Idempotent. */
  disconnect(): Promise<void>;
  /** Sends a user text message and asks for a response. */
  sendText(text: string): Promise<void>;
  /** Appends a chunk of user audio (PCM16 24 kHz mono unless the transport documents otherwise). */
  sendAudio(chunk: ArrayBuffer): Promise<void>;
  /** Applies the whole effective session (never a partial patch). Resolves when the provider acked. */
  updateSession(session: RealtimeSessionConfig): Promise<void>;
  /**
   * Sends a tool result for `callId`, then asks for the follow-up response unless
   * `options.requestResponse` is false (the manager sends several results of one response and asks for
   * a response after the last).
   */
  sendToolResult(
    callId: string,
    output: Record<string, unknown>,
    options?: { requestResponse?: boolean },
  ): Promise<void>;
  /** Cancels the current response and stops its audio at once. */
  interrupt(): Promise<void>;
  /**
   * Answers a client delegation (GPT-Live): `commentary` is the result the model speaks, `thinking`
   * silent progress. Optional: transports without delegations omit it.
   */
  answerDelegation?(delegationId: string, content: string, kind: DelegationAnswerKind): Promise<void>;
  /** Mutes the microphone so the provider hears silence. Optional: text-only transports omit it. */
  setMuted?(muted: boolean): void;
  /** Push-to-talk: clears the input buffer and starts collecting. */
  startInputTurn?(): Promise<void>;
  /** Push-to-talk: commits the collected input and asks for a response. */
  commitInputTurn?(): Promise<void>;
  /**
   * Optional: asks for the microphone again after it was denied, absent or unavailable, and attaches
   * it to the live connection without a new session. Resolves with the new status (also emitted as
   * `microphone`); a failure to open is a status, not a rejection.
   */
  retryMicrophone?(): Promise<TransportMicrophoneStatus>;
  /**
   * Optional: sends an image as a user message (`input_image`, with `text` as an `input_text` part
   * when given), then asks for a response unless `options.requestResponse` is false.
   */
  sendImage?(image: TransportImage, options?: { text?: string; requestResponse?: boolean }): Promise<void>;
  /**
   * Optional: replaces the live provider session by a fresh one without a gap (make before break):
   * opens the new session beside the live one through the route (so the server's policy applies),
   * calls `request.handover()` once it is configured, then moves microphone and output over, replays
   * the turns handover returned and releases the old session, emitting `session:opened` for the new
   * one before it resolves. Aborting `signal` before the hand-over drops the new session and leaves
   * the old one as it was. A transport without it is rolled over by `connect()` with reason
   * `reconnect` at a pause in the conversation.
   */
  rollover?(request: TransportRolloverRequest, signal: AbortSignal): Promise<void>;
  /** Level sources sampled per frame by UI (assistant voice and microphone), when the transport has audio. */
  readonly levels?: { readonly output?: LevelSource; readonly input?: LevelSource };
  /** Subscribes to an event; returns an unsubscribe function. */
  on<K extends RealtimeTransportEventName>(
    event: K,
    handler: (payload: RealtimeTransportEventMap[K]) => void,
  ): () => void;
}
