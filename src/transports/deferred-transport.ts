/**
 * A {@link RealtimeTransport} whose real transport is chosen (and possibly loaded) at connect time.
 * It lets a long-lived manager exist before the heavy transport code is fetched, and lets the page swap
 * the transport between sessions. Events and levels are forwarded from whichever target is current.
 */
import { ForwardingLevelSource } from './audio/level-source.js';
import { RealtimeTransportError } from './errors.js';
import { TRANSPORT_EVENT_NAMES } from './event-names.js';
import { TransportEvents } from './transport-events.js';
import type {
  DelegationAnswerKind,
  RealtimeTransport,
  RealtimeTransportEventMap,
  RealtimeTransportEventName,
  TransportConnectRequest,
  TransportImage,
  TransportMicrophoneStatus,
  TransportRolloverRequest,
} from './types.js';
import { forwardRetryMicrophone, forwardRollover, forwardSendImage } from './forward-optional.js';
import type { RealtimeSessionConfig } from '../manager/session-config.js';

export class DeferredTransport implements RealtimeTransport {
  readonly levels = { output: new ForwardingLevelSource(), input: new ForwardingLevelSource() };
  #events = new TransportEvents();
  #target: RealtimeTransport | undefined;
  #unsubscribe: Array<() => void> = [];
  #muted = false;

  /** `resolve` is called on every `connect()` and returns the transport to use for that connection. */
  constructor(private readonly resolve: () => RealtimeTransport | Promise<RealtimeTransport>) {}

  /** The transport of the current (or last) connection. */
  get target(): RealtimeTransport | undefined {
    return this.#target;
  }

  on<K extends RealtimeTransportEventName>(event: K, handler: (payload: RealtimeTransportEventMap[K]) => void): () => void {
    return this.#events.on(event, handler);
  }

  async connect(request: TransportConnectRequest, signal: AbortSignal): Promise<void> {
    const target = await this.resolve();
    if (signal.aborted) throw new DOMException('The session start was cancelled.', 'AbortError');
    if (target !== this.#target) {
      // A new transport replaces the old one only between connections; release the old one first.
      await this.#target?.disconnect();
      this.#bind(target);
    }
    await target.connect(request, signal);
  }

  async disconnect(): Promise<void> {
    await this.#target?.disconnect();
  }

  async sendText(text: string): Promise<void> {
    await this.#require('sendText').sendText(text);
  }

  async sendAudio(chunk: ArrayBuffer): Promise<void> {
    await this.#require('sendAudio').sendAudio(chunk);
  }

  async updateSession(session: RealtimeSessionConfig): Promise<void> {
    await this.#require('updateSession').updateSession(session);
  }

  async sendToolResult(callId: string, output: Record<string, unknown>, options?: { requestResponse?: boolean }): Promise<void> {
    await this.#require('sendToolResult').sendToolResult(callId, output, options);
  }

  async sendImage(image: TransportImage, options?: { text?: string; requestResponse?: boolean }): Promise<void> {
    return forwardSendImage(this.#require('sendImage'), image, options);
  }

  async retryMicrophone(): Promise<TransportMicrophoneStatus> {
    return forwardRetryMicrophone(this.#require('retryMicrophone'));
  }

  async rollover(request: TransportRolloverRequest, signal: AbortSignal): Promise<void> {
    return forwardRollover(this.#require('rollover'), request, signal);
  }

  async interrupt(): Promise<void> {
    await this.#require('interrupt').interrupt();
  }

  async answerDelegation(delegationId: string, content: string, kind: DelegationAnswerKind): Promise<void> {
    const target = this.#require('answerDelegation');
    if (!target.answerDelegation) throw new RealtimeTransportError('unsupported', 'This transport has no delegations.');
    await target.answerDelegation(delegationId, content, kind);
  }

  setMuted(muted: boolean): void {
    this.#muted = muted;
    this.#target?.setMuted?.(muted);
  }

  async startInputTurn(): Promise<void> {
    const target = this.#require('startInputTurn');
    if (!target.startInputTurn) throw new RealtimeTransportError('unsupported', 'This transport has no push-to-talk.');
    await target.startInputTurn();
  }

  async commitInputTurn(): Promise<void> {
    const target = this.#require('commitInputTurn');
    if (!target.commitInputTurn) throw new RealtimeTransportError('unsupported', 'This transport has no push-to-talk.');
    await target.commitInputTurn();
  }

  #bind(target: RealtimeTransport): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#target = target;
    this.#unsubscribe = TRANSPORT_EVENT_NAMES.map((event) =>
      target.on(event, (payload) => this.#events.emit(event, payload as never)),
    );
    this.levels.output.setTarget(target.levels?.output);
    this.levels.input.setTarget(target.levels?.input);
    target.setMuted?.(this.#muted);
  }

  #require(method: string): RealtimeTransport {
    if (!this.#target) throw new RealtimeTransportError('not_connected', `${method}: not connected (call connect() first).`);
    return this.#target;
  }
}
