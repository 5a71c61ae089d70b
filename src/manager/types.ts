/**
 * Public types of the realtime manager: state, options, tools, projectors, events.
 * @packageDocumentation
 */
import type { AssistantPhase, ConnectionLossCause, DelegationTarget, TransportResponseStatus } from '../transports/types.js';
import type { RealtimeImageInfo, RealtimeImageOptions } from './image-input.js';
import type { RealtimeConnectMetrics, RealtimeMetrics, RealtimeTurnMetrics } from './metrics.js';
import type { RealtimePriceTable } from './prices.js';
import type { WakeLockEnvironment } from './wake-lock.js';
import type { RealtimeSessionConfig, RealtimeUsage } from './session-config.js';
import type { ToolArguments } from './tools/arguments-type.js';
import type { JsonSchema, ZodSchema } from './tools/schema.js';
import type { RealtimeError } from './errors.js';

/** State of the link to the provider. */
export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'disconnecting' | 'error';
/** Lifecycle of the manager's session. */
export type SessionStatus = 'idle' | 'starting' | 'active' | 'stopped';
/** Lifecycle of the current (or last) assistant response. */
export type ResponseStatus = 'idle' | 'responding' | 'interrupted' | 'completed';
/**
 * The microphone of the running session:
 * - `off`: no session (or a transport that reports no microphone);
 * - `live`: heard by the provider; `muted`: open but muted (`setMuted(true)`);
 * - `denied`: access was refused; `absent`: there is none (or the page cannot capture);
 * - `unavailable`: one exists but could not be started (another application holds it).
 *
 * In the last three the session still runs for typed turns and images, with spoken or text replies;
 * `retryMicrophone()` asks again.
 */
export type MicrophoneStatus = 'off' | 'live' | 'muted' | 'denied' | 'absent' | 'unavailable';

/**
 * A snapshot of the manager's state. Frozen: each change produces a new object, and editing one
 * changes nothing (it throws in strict code).
 */
export interface RealtimeState {
  connection: ConnectionStatus;
  session: {
    status: SessionStatus;
    /** New for every `startSession()`, kept across updates and reconnects; `null` before the first. */
    id: string | null;
    /** The last config the provider accepted (whole effective config), or `null`. */
    config: RealtimeSessionConfig | null;
  };
  /** `phase` (GPT-Live): whether the assistant is giving commentary while a delegated task runs, or its answer. */
  response: { id: string | null; status: ResponseStatus; text: string; phase?: AssistantPhase };
  audioPlaying: boolean;
  /**
   * True from a user turn (or a tool result that asks for a reply) until the provider's response
   * starts or ends. Unlike Charivo's field of the same name it turns false when the reply starts
   * streaming: the send lock is {@link RealtimeState.busy}.
   */
  awaitingResponse: boolean;
  /**
   * The send lock: true exactly when `sendMessage()` refuses with `response_in_progress`: a reply
   * is awaited (`awaitingResponse`), a response streams (`response.status === 'responding'`) or tool
   * calls are pending (`pendingToolCalls > 0`). Derived from those fields, never set on its own.
   * `sendMessage()` is accepted exactly when `session.status === 'active'`, `connection ===
   * 'connected'` and `!busy`. Port Charivo's `if (audioPlaying || awaitingResponse) interrupt()` as
   * `if (audioPlaying || busy) interrupt()`.
   */
  busy: boolean;
  /** Tool calls of this session still running or waiting to be sent back. */
  pendingToolCalls: number;
  /** True while recovering a lost connection. */
  reconnecting: boolean;
  lastError: { code: string; message: string } | null;
  /** The microphone of the running session (see {@link MicrophoneStatus}). */
  microphone: MicrophoneStatus;
}

/** A character the assistant plays. Only `name` is required. */
export interface RealtimeCharacter {
  id?: string;
  name: string;
  description?: string;
  personality?: string;
  voice?: { voiceId?: string };
  /** Free-form data for the page's own tools and projectors. */
  [key: string]: unknown;
}

/** What a tool handler receives beside its (validated) arguments. */
export interface RealtimeToolContext {
  callId: string;
  name: string;
  sessionId: string;
  character: RealtimeCharacter | null;
  /** Aborts on timeout, interrupt, reconnect and stop. Handlers doing I/O should pass it on. */
  signal: AbortSignal;
}

/** A tool's result: a JSON-safe object sent back to the model. */
export type RealtimeToolResult = Record<string, unknown>;

/** What a tool's `parameters` may be: a JSON Schema object or a zod schema (classic or mini) of the arguments object. */
export type RealtimeToolParameters = JsonSchema | ZodSchema | Record<string, unknown>;

/**
 * A tool the model may call, with the local handler that runs it. `Args` is the handler's argument type;
 * to have it inferred from `parameters` (zod, or a JSON Schema written inline), write the tool in
 * {@link defineTool}, `createRealtimeManager({ tools })` or `registerTool()` (see {@link RealtimeToolOf}).
 */
export interface RealtimeToolRegistration<Args = any, Parameters extends RealtimeToolParameters = RealtimeToolParameters> {
  definition: {
    type: 'function';
    name: string;
    description?: string;
    /**
     * JSON Schema or a zod schema of the arguments object. Plain object literals are accepted as they
     * are written (no `as const` needed); the schema is checked when the tool is registered.
     */
    parameters: Parameters;
  };
  handler(args: Args, context: RealtimeToolContext): RealtimeToolResult | Promise<RealtimeToolResult>;
  /** Handler timeout in ms (default: the manager's `toolTimeoutMs`, 10 s). */
  timeoutMs?: number;
}

/**
 * A tool whose handler's argument type is read from its parameter schema `P`: `z.output` of a zod schema,
 * or the type a JSON Schema written inline describes ({@link ToolArguments}). A schema the compiler cannot
 * see into (a variable typed `JsonSchema`) leaves the arguments `any`.
 */
export type RealtimeToolOf<P extends RealtimeToolParameters> = RealtimeToolRegistration<ToolArguments<P>, P>;

/** A list of tools, each with its handler's arguments inferred from its own schema. */
export type RealtimeToolList<P extends readonly RealtimeToolParameters[]> = { [K in keyof P]: RealtimeToolOf<P[K]> };

/** A successful tool execution, handed to result projectors. */
export interface RealtimeToolExecution {
  callId: string;
  name: string;
  args: Record<string, unknown>;
  result: RealtimeToolResult;
  responseId?: string;
}

/**
 * Turns successful tool results into app-level events (e.g. `avatar:expression`).
 * Runs after `realtime:tool:result`; a throw is logged and does not affect the session.
 */
export type RealtimeToolResultProjector = (
  execution: RealtimeToolExecution,
  context: { emit(event: string, payload: unknown): void; sessionId: string },
) => void;

/**
 * Optional logger; every call's context carries the manager's `sessionId`. The manager logs session
 * patches (`session update sent|applied|refused|rolled back`, with field names, never values) and tool
 * runs (`tool run`: tool, callId, durationMs, outcome).
 */
export interface RealtimeLogger {
  debug(message: string, context?: Record<string, unknown>): void;
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
  /** Set to `true` to get the model's tool arguments in `tool run` lines (`args`); off by default. */
  logToolArguments?: boolean;
}

/** Bounds of the conversation kept for replay after a reconnect (the newest turns are kept). */
export interface HistoryOptions {
  /** Finished turns kept, default 100; 0 replays nothing. */
  maxTurns?: number;
  /** Characters of text kept over all turns, default 32 000; a single longer turn keeps its end. */
  maxChars?: number;
}

/** Reconnect policy: exponential backoff with jitter. */
export interface ReconnectOptions {
  /** Attempts before giving up (default 5; 0 disables reconnecting). */
  maxAttempts?: number;
  /** Delay before the first attempt, in ms (default 500). */
  baseDelayMs?: number;
  /** Upper bound of a delay, in ms (default 8000). */
  maxDelayMs?: number;
  /** Fraction of each delay randomised, in [0, 1] (default 0.3). */
  jitter?: number;
}

/**
 * Rolling over to a fresh provider session before the provider's cap on a session's length (OpenAI
 * ends one at 60 minutes). At a pause in the conversation (no reply, no audio, no tool call, the user
 * not speaking) the manager opens a new session through the route (so the server's policy applies
 * again), replays the conversation into it (bounded as for a reconnect) and switches over without a
 * visible gap: the state stays connected, the microphone and the output continue, and actions made
 * during the switch wait for it. If the cap is reached first (a reply running long), the session
 * recovers the same way at once.
 */
export interface RolloverOptions {
  /** Age of a provider session, in ms, after which it is rolled over at the next pause (default 55 minutes). */
  afterMs?: number;
  /** How long to wait before trying again after a rollover could not open a new session, in ms (default 30 000). */
  retryDelayMs?: number;
}

/** Where the manager learns whether the browser is online; injectable for tests and non-browser hosts. */
export interface NetworkStatus {
  isOnline(): boolean;
  /** Calls `listener` when the network comes back; returns an unsubscribe. */
  onOnline(listener: () => void): () => void;
}

/** Options of {@link createRealtimeManager}. */
export interface RealtimeManagerOptions {
  tools?: RealtimeToolRegistration[];
  resultProjectors?: RealtimeToolResultProjector[];
  logger?: RealtimeLogger;
  /** Base session config used by `startSession()` when called without one. */
  defaultSessionConfig?: RealtimeSessionConfig;
  character?: RealtimeCharacter | null;
  reconnect?: ReconnectOptions;
  /** Default handler timeout in ms (10 000). */
  toolTimeoutMs?: number;
  /**
   * A reply awaited, or a response streaming, that receives no event for this long (ms) is stopped
   * as `interrupt()` would, with a `realtime:error` `response_timeout`: the send lock cannot stick.
   * Default 30 000; `Infinity` turns it off.
   */
  responseTimeoutMs?: number;
  /** Bounds of the history replayed after a reconnect (default 100 turns, 32 000 characters). */
  history?: HistoryOptions;
  network?: NetworkStatus;
  /** Source of randomness for jitter, in [0, 1); `Math.random` by default. */
  random?: () => number;
  /** Session id factory; `crypto.randomUUID()` by default. */
  createSessionId?: () => string;
  /** Rollover before the provider's session cap (default `{ afterMs: 55 min }`); `false` turns it off. */
  rollover?: RolloverOptions | false;
  /**
   * Keeps the screen awake while a session is active (Screen Wake Lock API, where the browser has it),
   * released when it ends and taken again when the page becomes visible. Default true; an
   * environment of your own replaces the browser's (tests, other hosts).
   */
  wakeLock?: boolean | WakeLockEnvironment;
  /** Prices per model (USD per million tokens) for the cost estimate in metrics. None by default. */
  prices?: RealtimePriceTable;
  /** Bounds of images sent with `sendImage()` (default: 1024 px on the longer edge, 180 000 bytes, JPEG). */
  images?: RealtimeImageOptions;
  /** Finished turns kept in `getMetrics().turns` (default 50). */
  metricsTurns?: number;
  /** Clock of the metrics, in ms; `performance.now()` by default. */
  now?: () => number;
}

/** Options of `startSession()`. */
export interface StartSessionOptions {
  /** Aborting cancels the start: the transport's connect is aborted and the session ends stopped. */
  signal?: AbortSignal;
}

/** Every event the manager emits, with its payload. */
export interface RealtimeManagerEventMap {
  'realtime:session:start': { sessionId: string; config: RealtimeSessionConfig };
  'realtime:session:end': { sessionId: string; reason: 'stopped' | 'error' | 'reconnect_exhausted' | 'aborted' };
  'realtime:state': { state: RealtimeState; previous: RealtimeState };
  'realtime:user:transcript': { sessionId: string; itemId?: string; text: string; final: boolean };
  /**
   * The user stayed silent for `turnDetection.idleTimeoutMs` after the assistant finished (server
   * VAD): the provider answers on its own (a prompt to continue, say). `silenceMs` is how long the
   * silence lasted, when the provider said.
   */
  'realtime:idle:timeout': { sessionId: string; itemId?: string; silenceMs?: number };
  /** A typed user message was sent with `sendMessage()` (spoken turns arrive as transcripts). */
  'realtime:user:message': { sessionId: string; text: string };
  /** `phase` (GPT-Live only): `commentary` while a delegated task runs, `final` for the answer. */
  'realtime:assistant:start': { sessionId: string; responseId: string; phase?: AssistantPhase };
  /** One per streamed piece: `delta` is the new piece, `text` the response's text so far (as in every event, `text` is the whole or running text). */
  'realtime:assistant:delta': { sessionId: string; responseId: string; delta: string; text: string; phase?: AssistantPhase };
  'realtime:assistant:done': {
    sessionId: string;
    responseId: string;
    text: string;
    status: TransportResponseStatus | 'interrupted';
    phase?: AssistantPhase;
  };
  /**
   * The model handed a task over (GPT-Live). With `target: 'client'` the page does the work and
   * answers with `answerDelegation()`; other targets run on a backend the server set up.
   */
  'realtime:delegation': { sessionId: string; delegationId: string; target: DelegationTarget; responseId?: string };
  'realtime:tool:call': { sessionId: string; callId: string; name: string; args: unknown; responseId?: string };
  'realtime:tool:result': {
    sessionId: string;
    callId: string;
    name: string;
    result: RealtimeToolResult;
    durationMs: number;
  };
  'realtime:tool:error': {
    sessionId: string;
    callId: string;
    name: string;
    error: string;
    code: ToolErrorCode;
  };
  'realtime:usage': { sessionId: string; responseId?: string; usage: RealtimeUsage };
  /**
   * An error the app should hear: a failed start or update, a transport error while connected, a
   * response timeout, reconnecting given up. Transport errors during a reconnect are not events: they
   * update `lastError` and the log, and the reconnect's own events tell how it ends.
   */
  'realtime:error': { sessionId: string | null; error: RealtimeError };
  'realtime:reconnect:attempt': {
    sessionId: string;
    attempt: number;
    maxAttempts: number;
    delayMs: number;
    cause: ConnectionLossCause | 'connect-failed';
  };
  'realtime:reconnect:success': { sessionId: string; attempt: number };
  /**
   * A fresh provider session took over without a gap: `scheduled` before the provider's cap (at a
   * pause), `expired` after the provider ended the session at its cap (the reply it cut is kept,
   * interrupted). `replayedTurns` went into the new session; `gapMs` is how long actions waited.
   */
  'realtime:session:rollover': { sessionId: string; reason: 'scheduled' | 'expired'; replayedTurns: number; gapMs: number };
  /** The microphone's status changed (`error` says why it is not live, with its code). */
  'realtime:microphone': { sessionId: string | null; status: MicrophoneStatus; previous: MicrophoneStatus; error?: { code: string; message: string } };
  /** An image was sent with `sendImage()` (what went on the wire: size, bytes, format) and the text with it. */
  'realtime:user:image': { sessionId: string; image: RealtimeImageInfo; text?: string };
  /**
   * Measurements: after each turn (`turn`) and each connect (`connect`); `metrics` has the session's
   * turns, connects and totals so far.
   */
  'realtime:metrics': { sessionId: string; metrics: RealtimeMetrics; turn?: RealtimeTurnMetrics; connect?: RealtimeConnectMetrics };
  'realtime:reconnect:exhausted': { sessionId: string; attempts: number; lastError: RealtimeError | null };
  'tts:lipsync:update': { rms: number };
  'tts:audio:start': { sessionId: string; responseId?: string };
  'tts:audio:end': { sessionId: string; responseId?: string; reason: string };
}

/** Names of the manager's own events. Projectors may emit others (`avatar:expression`, …). */
export type RealtimeManagerEventName = keyof RealtimeManagerEventMap;

/** Stable codes of tool failures sent back to the model. */
export type ToolErrorCode =
  | 'unknown_tool'
  | 'invalid_arguments'
  | 'handler_error'
  | 'timeout'
  | 'invalid_result'
  | 'aborted'
  /** The result could not be sent to the provider (the model never got it). */
  | 'send_failed'
  /** The provider sent a call without a call id: it cannot be answered. */
  | 'missing_call_id';

/** An emit-only bridge (Charivo's `setEventEmitter`): receives every event the manager emits. */
export interface RealtimeEventEmitter {
  emit(event: string, payload: unknown): void;
}

export type { RealtimeManager } from './manager-interface.js';
