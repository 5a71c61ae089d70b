/**
 * A scriptable {@link RealtimeTransport} for unit tests of the manager, the elements, and users' own
 * code: script what the "server" sends, decide how each call answers, and assert what was sent.
 * @packageDocumentation
 */
import type {
  AssistantPhase,
  ConnectionLossCause,
  DelegationAnswerKind,
  DelegationTarget,
  LevelSource,
  RealtimeTransport,
  RealtimeTransportEventMap,
  RealtimeTransportEventName,
  TransportConnectRequest,
  TransportImage,
  TransportMicrophoneStatus,
  TransportRolloverRequest,
} from '../transports/types.js';
import type { RealtimeSessionConfig, RealtimeUsage } from '../manager/session-config.js';
import type { SessionOpened } from '../session/session-policy.js';

/** One recorded call to the transport. */
export type FakeTransportCall =
  | { method: 'connect'; request: TransportConnectRequest }
  | { method: 'disconnect' }
  | { method: 'sendText'; text: string }
  | { method: 'sendAudio'; bytes: number }
  | { method: 'updateSession'; session: RealtimeSessionConfig }
  | { method: 'sendToolResult'; callId: string; output: Record<string, unknown>; requestResponse: boolean }
  | { method: 'interrupt' }
  | { method: 'setMuted'; muted: boolean }
  | { method: 'startInputTurn' }
  | { method: 'commitInputTurn' }
  | { method: 'answerDelegation'; delegationId: string; content: string; kind: DelegationAnswerKind }
  | { method: 'sendImage'; image: TransportImage; text?: string }
  | { method: 'retryMicrophone' }
  | { method: 'rollover'; session: RealtimeSessionConfig }
  /** The manager handed the conversation over to the rolled-over session. */
  | { method: 'handover'; history: Array<{ role: string; text: string; interrupted?: boolean }> };

/** Names of the transport methods whose answers can be scripted. */
export type ScriptableMethod =
  | 'connect'
  | 'updateSession'
  | 'sendText'
  | 'sendToolResult'
  | 'interrupt'
  | 'disconnect'
  | 'answerDelegation'
  | 'sendImage'
  | 'rollover';

/** Options of {@link FakeRealtimeTransport}. */
export interface FakeRealtimeTransportOptions {
  /**
   * Whether the fake has `rollover()` (default true). Without it, the manager rolls over with
   * `connect()` at a pause, as for any transport that lacks it.
   */
  rollover?: boolean;
}

/** How the next call of a method answers. */
export type ScriptedAnswer =
  | { kind: 'resolve' }
  | { kind: 'reject'; error: Error }
  /** Stays pending until released through the returned {@link HeldCall}, or aborted (connect only). */
  | { kind: 'hold' };

/** A call held by {@link FakeRealtimeTransport.hold}. */
export interface HeldCall {
  /** Resolves once the held call has been made. */
  readonly reached: Promise<void>;
  /** The AbortSignal the call received (connect), once reached. */
  readonly signal: AbortSignal | undefined;
  resolve(): void;
  reject(error: Error): void;
}

/** A scripted assistant response for {@link FakeRealtimeTransport.respond}. */
export interface ScriptedResponse {
  responseId?: string;
  /** Text streamed as deltas (split on spaces unless `deltas` is given). */
  text?: string;
  deltas?: string[];
  toolCalls?: Array<{ callId?: string; name: string; arguments: unknown }>;
  /** Emit audio start/end around the deltas. */
  audio?: boolean;
  usage?: RealtimeUsage;
  status?: 'completed' | 'cancelled' | 'incomplete' | 'failed';
  /** GPT-Live style: `commentary` while a delegated task runs, `final` for the answer. */
  phase?: AssistantPhase;
}

/** One transport event as the fake emits it: a name and its payload (see {@link FakeRealtimeTransport.play}). */
export type FakeTransportEvent = {
  [K in RealtimeTransportEventName]: { event: K; payload: RealtimeTransportEventMap[K] };
}[RealtimeTransportEventName];

/** A level source whose value the test sets. */
export class FakeLevelSource implements LevelSource {
  #level = 0;
  #active = false;
  #listeners = new Set<(active: boolean) => void>();
  reads = 0;

  read(): number {
    this.reads += 1;
    return this.#active ? this.#level : 0;
  }

  get active(): boolean {
    return this.#active;
  }

  onActiveChange(listener: (active: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Sets the level; a level above 0 makes the source active, exactly 0 inactive. */
  set(level: number): void {
    this.#level = level;
    const active = level > 0;
    if (active !== this.#active) {
      this.#active = active;
      for (const listener of [...this.#listeners]) listener(active);
    }
  }
}

/**
 * The test double. Every call is recorded in {@link calls}; by default every call resolves at once.
 * `connect` honours its AbortSignal like a real transport: a held connect rejects with an AbortError.
 */
export class FakeRealtimeTransport implements RealtimeTransport {
  readonly calls: FakeTransportCall[] = [];
  readonly levels = { output: new FakeLevelSource(), input: new FakeLevelSource() };
  #listeners = new Map<string, Set<(payload: never) => void>>();
  #scripts = new Map<ScriptableMethod, Array<ScriptedAnswer & { held?: HeldCallImpl }>>();
  #connected = false;
  #responseCounter = 0;
  #callCounter = 0;
  muted = false;
  /**
   * What each successful connect reports as `session:opened` before it resolves, as a real transport
   * reports the bootstrap's session and policy. By default the requested session with no policy;
   * set it to play a route (e.g. apply a policy to `request.session` and describe it).
   */
  opened: (request: TransportConnectRequest) => SessionOpened = (request) => ({ session: structuredClone(request.session) });
  /** What `retryMicrophone()` reports (and emits as `microphone`). */
  microphoneOnRetry: TransportMicrophoneStatus = 'live';
  /**
   * `rollover()` as a real transport has it: scripted like `connect` (`hold('rollover')`, …), then the
   * manager's hand-over, then `session:opened` for the new session. Undefined with `{ rollover: false }`.
   */
  rollover?: (request: TransportRolloverRequest, signal: AbortSignal) => Promise<void>;

  constructor(options: FakeRealtimeTransportOptions = {}) {
    if (options.rollover !== false) this.rollover = (request, signal) => this.#rollover(request, signal);
  }

  /** Whether a connection is open (connect resolved, no disconnect or loss since). */
  get connected(): boolean {
    return this.#connected;
  }

  /** The recorded calls of one method. */
  callsOf<M extends FakeTransportCall['method']>(method: M): Array<Extract<FakeTransportCall, { method: M }>> {
    return this.calls.filter((call): call is Extract<FakeTransportCall, { method: M }> => call.method === method);
  }

  /** Number of live listeners (to check that a manager unsubscribed). */
  get listenerCount(): number {
    let count = 0;
    for (const set of this.#listeners.values()) count += set.size;
    return count;
  }

  /** Makes the next call of `method` reject with `error`. */
  failNext(method: ScriptableMethod, error: Error = new Error(`${method} failed (scripted)`)): void {
    this.#queue(method).push({ kind: 'reject', error });
  }

  /** Holds the next call of `method` until the test releases it. */
  hold(method: ScriptableMethod): HeldCall {
    const held = new HeldCallImpl();
    this.#queue(method).push({ kind: 'hold', held });
    return held;
  }

  /** Emits a transport event as if the server had sent it. */
  emit<K extends RealtimeTransportEventName>(event: K, payload: RealtimeTransportEventMap[K]): void {
    const set = this.#listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) (listener as (payload: RealtimeTransportEventMap[K]) => void)(payload);
  }

  /** Drops the connection as the network would. */
  loseConnection(cause: ConnectionLossCause = 'peer-closed', error?: Error): void {
    this.#connected = false;
    this.emit('connection:lost', { cause, ...(error ? { error } : {}) });
  }

  /**
   * The events of a whole response (start, audio, deltas, tool calls, usage, done), in the order a
   * well-behaved provider sends them, without emitting them. Reorder, duplicate or interleave them
   * (see `disorder.ts`) and {@link play} them to act as a disordered provider.
   */
  script(script: ScriptedResponse = {}): { responseId: string; events: FakeTransportEvent[] } {
    const responseId = script.responseId ?? `resp_fake_${++this.#responseCounter}`;
    const events: FakeTransportEvent[] = [{ event: 'assistant:start', payload: { responseId, ...(script.phase ? { phase: script.phase } : {}) } }];
    if (script.audio) events.push({ event: 'audio:start', payload: { responseId } });
    const deltas = script.deltas ?? (script.text ? script.text.split(/(?<= )/) : []);
    for (const delta of deltas) events.push({ event: 'assistant:delta', payload: { responseId, delta } });
    for (const call of script.toolCalls ?? []) {
      events.push({
        event: 'tool:call',
        payload: {
          responseId,
          callId: call.callId ?? `call_fake_${++this.#callCounter}`,
          name: call.name,
          arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
        },
      });
    }
    if (script.audio) events.push({ event: 'audio:end', payload: { responseId, reason: 'stopped' } });
    if (script.usage) events.push({ event: 'usage', payload: { responseId, usage: script.usage } });
    events.push({ event: 'assistant:done', payload: { responseId, text: deltas.join(''), status: script.status ?? 'completed' } });
    return { responseId, events };
  }

  /** Emits `events` in the given order, as if the server had sent them so. */
  play(events: readonly FakeTransportEvent[]): void {
    for (const { event, payload } of events) this.emit(event, payload as never);
  }

  /** Streams a whole response: start, deltas, tool calls, usage and done. Returns its response id. */
  respond(script: ScriptedResponse = {}): string {
    const { responseId, events } = this.script(script);
    this.play(events);
    return responseId;
  }

  /**
   * GPT-Live style: the model hands a task over. With `target: 'client'` (default) the code under
   * test answers with `answerDelegation()` (recorded). Returns the delegation id.
   */
  delegate(target: DelegationTarget = 'client', options: { delegationId?: string; responseId?: string } = {}): string {
    const delegationId = options.delegationId ?? `del_fake_${++this.#callCounter}`;
    this.emit('delegation', { delegationId, target, ...(options.responseId ? { responseId: options.responseId } : {}) });
    return delegationId;
  }

  /** GPT-Live style usage by the second (a running total), with the context window's use when given. */
  reportUsageSeconds(seconds: number, contextUsageRatio?: number): void {
    this.emit('usage', { usage: { seconds, ...(contextUsageRatio !== undefined ? { contextUsageRatio } : {}) } });
  }

  async answerDelegation(delegationId: string, content: string, kind: DelegationAnswerKind): Promise<void> {
    this.calls.push({ method: 'answerDelegation', delegationId, content, kind });
    await this.#answer('answerDelegation');
  }

  on<K extends RealtimeTransportEventName>(event: K, handler: (payload: RealtimeTransportEventMap[K]) => void): () => void {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(handler as (payload: never) => void);
    return () => {
      set.delete(handler as (payload: never) => void);
    };
  }

  async connect(request: TransportConnectRequest, signal: AbortSignal): Promise<void> {
    this.calls.push({ method: 'connect', request: structuredClone(request) });
    this.#connected = false;
    await this.#answer('connect', signal);
    if (signal.aborted) throw abortError();
    this.emit('session:opened', this.opened(request));
    this.#connected = true;
  }

  async disconnect(): Promise<void> {
    this.calls.push({ method: 'disconnect' });
    this.#connected = false;
    await this.#answer('disconnect');
  }

  async sendText(text: string): Promise<void> {
    this.calls.push({ method: 'sendText', text });
    await this.#answer('sendText');
  }

  async sendAudio(chunk: ArrayBuffer): Promise<void> {
    this.calls.push({ method: 'sendAudio', bytes: chunk.byteLength });
  }

  async updateSession(session: RealtimeSessionConfig): Promise<void> {
    this.calls.push({ method: 'updateSession', session: structuredClone(session) });
    await this.#answer('updateSession');
  }

  async sendToolResult(callId: string, output: Record<string, unknown>, options?: { requestResponse?: boolean }): Promise<void> {
    this.calls.push({ method: 'sendToolResult', callId, output, requestResponse: options?.requestResponse ?? true });
    await this.#answer('sendToolResult');
  }

  async interrupt(): Promise<void> {
    this.calls.push({ method: 'interrupt' });
    await this.#answer('interrupt');
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
    this.calls.push({ method: 'setMuted', muted });
  }

  async startInputTurn(): Promise<void> {
    this.calls.push({ method: 'startInputTurn' });
  }

  async commitInputTurn(): Promise<void> {
    this.calls.push({ method: 'commitInputTurn' });
  }

  async sendImage(image: TransportImage, options?: { text?: string; requestResponse?: boolean }): Promise<void> {
    this.calls.push({ method: 'sendImage', image, ...(options?.text !== undefined ? { text: options.text } : {}) });
    await this.#answer('sendImage');
  }

  async retryMicrophone(): Promise<TransportMicrophoneStatus> {
    this.calls.push({ method: 'retryMicrophone' });
    this.emit('microphone', { status: this.microphoneOnRetry });
    return this.microphoneOnRetry;
  }

  async #rollover(request: TransportRolloverRequest, signal: AbortSignal): Promise<void> {
    this.calls.push({ method: 'rollover', session: structuredClone(request.session) });
    await this.#answer('rollover', signal);
    if (signal.aborted) throw abortError();
    const history = await request.handover();
    this.calls.push({ method: 'handover', history: structuredClone([...history]) });
    this.emit('session:opened', this.opened({ session: request.session, reason: 'reconnect', history, sessionId: request.sessionId }));
    this.#connected = true;
  }

  #queue(method: ScriptableMethod) {
    let queue = this.#scripts.get(method);
    if (!queue) {
      queue = [];
      this.#scripts.set(method, queue);
    }
    return queue;
  }

  async #answer(method: ScriptableMethod, signal?: AbortSignal): Promise<void> {
    const next = this.#scripts.get(method)?.shift();
    if (!next || next.kind === 'resolve') return;
    if (next.kind === 'reject') throw next.error;
    await next.held!.wait(signal);
  }
}

class HeldCallImpl implements HeldCall {
  signal: AbortSignal | undefined;
  readonly reached: Promise<void>;
  #reached!: () => void;
  #resolve?: () => void;
  #reject?: (error: Error) => void;
  #outcome?: { error?: Error };

  constructor() {
    this.reached = new Promise((resolve) => (this.#reached = resolve));
  }

  wait(signal?: AbortSignal): Promise<void> {
    this.signal = signal;
    this.#reached();
    return new Promise<void>((resolve, reject) => {
      if (this.#outcome) {
        if (this.#outcome.error) reject(this.#outcome.error);
        else resolve();
        return;
      }
      this.#resolve = resolve;
      this.#reject = reject;
      if (signal) {
        if (signal.aborted) reject(abortError());
        signal.addEventListener('abort', () => reject(abortError()), { once: true });
      }
    });
  }

  resolve(): void {
    this.#outcome = {};
    this.#resolve?.();
  }

  reject(error: Error): void {
    this.#outcome = { error };
    this.#reject?.(error);
  }
}

function abortError(): Error {
  return new DOMException('The operation was aborted.', 'AbortError');
}
