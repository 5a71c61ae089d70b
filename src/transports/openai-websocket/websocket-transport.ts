/**
 * The `openai-websocket` adapter: OpenAI Realtime over a browser WebSocket, on the shared protocol
 * client (acknowledgements, one response at a time, interrupts, replay), with its own audio path:
 * PCM16 24 kHz both ways through AudioWorklets ({@link PlaybackOutput}). The socket is replaced on
 * every connect; the audio pipeline (microphone, worklets) survives reconnects and is released by
 * `disconnect()`.
 * @packageDocumentation
 */
import type { RealtimeSessionConfig } from '../../session/session-config.js';
import { abortable, abortError } from '../abort.js';
import { RealtimeTransportError, withCode } from '../errors.js';
import { RealtimeProtocolClient } from '../protocol/protocol-client.js';
import type { TransportEmission } from '../protocol/server-events.js';
import type { AdapterDeps } from '../remote/adapters.js';
import { readSessionOpened } from '../remote/session-opened.js';
import { TransportEvents } from '../transport-events.js';
import type {
  ConnectionLossCause,
  RealtimeTransport,
  RealtimeTransportEventMap,
  RealtimeTransportEventName,
  TransportConnectRequest,
  TransportImage,
  TransportMicrophoneStatus,
  TransportRolloverRequest,
} from '../types.js';
import { AudioSlot } from './audio-slot.js';
import { encodeBase64 } from './base64.js';
import { OpenAIWebSocketError } from './errors.js';
import type { WebSocketAdapterOptions } from './options.js';
import { watchPageHealth } from './page-health.js';
import { RealtimeSocket } from './realtime-socket.js';
import { PlaybackOutput } from './response-audio.js';
import { parseBootstrap, wireSession, type WebSocketBootstrap } from './session-setup.js';

/** One open, configured socket and what belongs to it. */
interface Link {
  socket: RealtimeSocket;
  bootstrap: WebSocketBootstrap;
  client: RealtimeProtocolClient;
}

export class WebSocketTransport implements RealtimeTransport {
  readonly levels: AudioSlot['levels'];
  #events = new TransportEvents();
  #link: Link | null = null;
  #slot: AudioSlot;
  #output: PlaybackOutput;
  #session: RealtimeSessionConfig = {};
  #talking = false;
  /** True while a commit collects the end of a held turn: those chunks still belong to it. */
  #collectingTail = false;
  #talkMs = 0;
  /**
   * Events of this generation are delivered. Every connect and disconnect takes a new one (work of an
   * older generation stops where it is); a socket prepared for a rollover has its own until it takes over.
   */
  #generation = 0;
  #counter = 0;
  #connecting: AbortController | null = null;
  #unwatch: (() => void) | null = null;

  constructor(
    private readonly deps: AdapterDeps,
    private readonly options: WebSocketAdapterOptions = {},
  ) {
    this.#output = new PlaybackOutput({
      pipeline: () => this.#slot.current,
      bargeIn: () => this.#session.turnDetection?.interruptResponse !== false,
    });
    this.#slot = new AudioSlot({
      deps,
      options,
      onChunk: (pcm) => this.#onChunk(pcm),
      listener: this.#output.listener(),
      lipsync: (level) => this.#events.emit('lipsync', { level }),
    });
    this.levels = this.#slot.levels;
  }

  on<K extends RealtimeTransportEventName>(event: K, handler: (payload: RealtimeTransportEventMap[K]) => void): () => void {
    return this.#events.on(event, handler);
  }

  async connect(request: TransportConnectRequest, signal: AbortSignal): Promise<void> {
    // A reconnect arrives without disconnect(): drop what is left of the dead socket first.
    this.#dropLink();
    this.#connecting?.abort();
    const generation = (this.#generation = ++this.#counter);
    const controller = new AbortController();
    this.#connecting = controller;
    const onAbort = (): void => controller.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) controller.abort();
    this.#session = request.session;
    let link: Link | undefined;
    const createdPipeline = !this.#slot.current;
    let abandoned = false;
    let deviceError: unknown;
    try {
      const pipeline = this.#slot.ensure(() => !abandoned && generation === this.#generation);
      // A microphone refused ends the attempt at once, whatever step the socket is at.
      pipeline.catch((error: unknown) => {
        deviceError ??= error;
        controller.abort();
      });
      const raw = await this.deps.bootstrap(undefined, controller.signal);
      const bootstrap = parseBootstrap(raw);
      // The session the route minted, never the page's request.
      const opened = readSessionOpened(raw, request.session, (message) => new OpenAIWebSocketError('invalid_bootstrap', message));
      this.#check(generation, controller.signal);
      const timeoutMs = this.options.connectTimeoutMs ?? 15_000;
      const socket = await RealtimeSocket.connect(bootstrap.url, bootstrap.clientSecret, { signal: controller.signal, timeoutMs });
      link = { socket, bootstrap, client: this.#createClient(socket, generation) };
      this.#check(generation, controller.signal);
      await abortable(link.client.updateSession(wireSession(opened.session, bootstrap)), controller.signal);
      this.#session = opened.session;
      if (request.reason === 'reconnect') await abortable(link.client.replay(request.history), controller.signal);
      await pipeline;
      this.#check(generation, controller.signal);
      this.#adopt(link);
      this.#emitMicrophone();
      // Before connect() resolves, so the manager knows the policy before the page's next change.
      this.#events.emit('session:opened', opened);
    } catch (error) {
      link?.client.close();
      link?.socket.close();
      const stale = generation !== this.#generation;
      const deviceFailed = deviceError !== undefined && !stale && !signal.aborted;
      const aborted = !deviceFailed && (controller.signal.aborted || stale);
      // A failed start leaves nothing behind; a failed reconnect keeps the microphone for the next attempt.
      if (generation === this.#generation && (aborted || (request.reason === 'start' && createdPipeline))) {
        abandoned = true;
        this.#slot.release();
      }
      throw aborted ? abortError() : withCode(deviceFailed ? deviceError : error, 'connection_failed', 'Could not connect to the realtime provider');
    } finally {
      signal.removeEventListener('abort', onAbort);
      if (this.#connecting === controller) this.#connecting = null;
    }
  }

  /**
   * A fresh provider session beside the live one: a second socket, configured but silent (no
   * microphone chunks reach it, and it has no output path) until the hand-over; then the old socket
   * is closed, the new one takes the output and the microphone, and the conversation is replayed.
   */
  async rollover(request: TransportRolloverRequest, signal: AbortSignal): Promise<void> {
    const old = this.#live('rollover');
    this.#connecting?.abort();
    const controller = new AbortController();
    this.#connecting = controller;
    const onAbort = (): void => controller.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) controller.abort();
    const generation = ++this.#counter;
    let link: Link | undefined;
    let switched = false;
    try {
      const raw = await this.deps.bootstrap(undefined, controller.signal);
      const bootstrap = parseBootstrap(raw);
      const opened = readSessionOpened(raw, request.session, (message) => new OpenAIWebSocketError('invalid_bootstrap', message));
      const timeoutMs = this.options.connectTimeoutMs ?? 15_000;
      const socket = await RealtimeSocket.connect(bootstrap.url, bootstrap.clientSecret, { signal: controller.signal, timeoutMs });
      link = { socket, bootstrap, client: this.#createClient(socket, generation, false) };
      await abortable(link.client.updateSession(wireSession(opened.session, bootstrap)), controller.signal);
      const history = await abortable(request.handover(), controller.signal);
      if (this.#link !== old) throw new OpenAIWebSocketError('connection_failed', 'The connection changed while the new session was prepared.');
      // The hand-over: the old socket goes (its events are no longer delivered), the new one takes over.
      switched = true;
      this.#generation = generation;
      this.#dropLink();
      link.client.adoptAudio(this.#output);
      this.#session = opened.session;
      await abortable(link.client.replay(history), controller.signal);
      this.#adopt(link);
      this.#emitMicrophone();
      this.#events.emit('session:opened', opened);
    } catch (error) {
      if (this.#link !== link) {
        link?.client.close();
        link?.socket.close();
      }
      if (!switched && controller.signal.aborted) throw abortError();
      throw withCode(error, 'connection_failed', 'Could not roll over to a new session');
    } finally {
      signal.removeEventListener('abort', onAbort);
      if (this.#connecting === controller) this.#connecting = null;
    }
  }

  async disconnect(): Promise<void> {
    this.#generation = ++this.#counter;
    this.#connecting?.abort();
    this.#connecting = null;
    this.#unwatch?.();
    this.#unwatch = null;
    this.#dropLink();
    this.#slot.release();
    this.#talking = false;
  }

  async sendText(text: string): Promise<void> {
    this.#live('sendText').client.sendText(text);
  }

  async sendImage(image: TransportImage, options: { text?: string; requestResponse?: boolean } = {}): Promise<void> {
    this.#live('sendImage').client.sendImage(image, options);
  }

  /** Asks for the microphone again; once it opens, the capture follows it (no new session). */
  async retryMicrophone(): Promise<TransportMicrophoneStatus> {
    this.#live('retryMicrophone');
    const pipeline = this.#slot.current;
    if (!pipeline) throw new OpenAIWebSocketError('not_connected', 'retryMicrophone: not connected.');
    const report = await pipeline.retryMicrophone();
    this.#gateCapture();
    this.#emitMicrophone();
    return report.status;
  }

  async sendAudio(chunk: ArrayBuffer): Promise<void> {
    this.#append(this.#live('sendAudio').client, chunk);
  }

  async updateSession(session: RealtimeSessionConfig): Promise<void> {
    const link = this.#live('updateSession');
    this.#session = session;
    await link.client.updateSession(wireSession(session, link.bootstrap));
    this.#gateCapture();
  }

  async sendToolResult(callId: string, output: Record<string, unknown>, options?: { requestResponse?: boolean }): Promise<void> {
    this.#live('sendToolResult').client.sendToolResult(callId, output, options?.requestResponse !== false);
  }

  async interrupt(): Promise<void> {
    await this.#live('interrupt').client.interrupt();
  }

  setMuted(muted: boolean): void {
    this.#slot.setMuted(muted);
  }

  async startInputTurn(): Promise<void> {
    this.#live('startInputTurn').client.startInputTurn();
    this.#talking = true;
    this.#talkMs = 0;
    this.#gateCapture();
  }

  async commitInputTurn(): Promise<void> {
    const { client } = this.#live('commitInputTurn');
    const wasTalking = this.#talking;
    this.#talking = false;
    // Stop first, then flush: the port keeps order, so every chunk up to the release is appended.
    this.#gateCapture();
    this.#collectingTail = true;
    try {
      await this.#slot.current?.capture.flush();
    } finally {
      this.#collectingTail = false;
    }
    if (wasTalking && this.#talkMs < 100) {
      client.clearInputIfOpen();
      throw new OpenAIWebSocketError('input_too_short', `Only ${Math.round(this.#talkMs)} ms of audio was captured; hold to talk a little longer.`);
    }
    client.commitInputTurn();
  }

  // ── connection ──────────────────────────────────────────────────────────────────────────────

  /**
   * The protocol client of a new socket: every server event goes through it from the first one on.
   * A socket prepared for a rollover gets the output path (`withAudio` false) when it takes over.
   */
  #createClient(socket: RealtimeSocket, generation: number, withAudio = true): RealtimeProtocolClient {
    const client = new RealtimeProtocolClient({
      channel: socket,
      ...(withAudio ? { audio: this.#output } : {}),
      sessionUpdateTimeoutMs: this.options.sessionUpdateTimeoutMs ?? 10_000,
      emit: (emission) => this.#emit(generation, emission),
    });
    socket.onEvent((event) => client.receive(event));
    socket.onInvalid((text) => {
      const error = new OpenAIWebSocketError('invalid_server_event', `Ignored a frame that is not a realtime event: ${text}`);
      this.#emit(generation, { name: 'error', payload: { error, code: error.code } });
    });
    socket.onClose((closed) => {
      const how = `The socket closed (code ${closed.code}${closed.reason ? `: ${closed.reason}` : ''}).`;
      // A live connection that dies is a loss; one still connecting fails what waits on it at once.
      if (!closed.intentional && this.#link?.client === client) this.#lost('socket-closed', new RealtimeTransportError('connection_lost', how));
      else client.close(new RealtimeTransportError('connection_closed', how));
    });
    return client;
  }

  #adopt(link: Link): void {
    this.#link = link;
    this.#unwatch ??= watchPageHealth(() => {
      const current = this.#link;
      if (current && !current.socket.open) this.#lost('health-check-failed', new RealtimeTransportError('connection_lost', 'The socket was found closed.'));
    });
    this.#gateCapture();
  }

  #emit(generation: number, emission: TransportEmission): void {
    if (generation !== this.#generation) return;
    this.#events.emit(emission.name, emission.payload as never);
  }

  #lost(cause: ConnectionLossCause, error: Error): void {
    if (!this.#link) return;
    this.#dropLink();
    this.#events.emit('connection:lost', { cause, error });
  }

  /** Closes the current socket without reporting a loss, and silences what it was playing. */
  #dropLink(): void {
    const link = this.#link;
    this.#link = null;
    this.#talking = false;
    if (link) {
      const playing = this.#output.playingResponse;
      link.client.close();
      link.socket.close();
      if (playing) this.#events.emit('audio:end', { responseId: playing, reason: 'disconnected' });
    }
    this.#gateCapture();
  }

  // ── audio ───────────────────────────────────────────────────────────────────────────────────

  /**
   * Mic audio flows while a socket is live, there is a microphone, and either VAD listens or the user
   * holds push-to-talk. Without a microphone nothing is sent at all (not even silence).
   */
  #gateCapture(): void {
    const listening = this.#session.turnDetection !== null || this.#talking;
    const pipeline = this.#slot.current;
    pipeline?.capture.setSending(this.#link !== null && listening && pipeline.microphoneReport.status === 'live');
  }

  #emitMicrophone(): void {
    const report = this.#slot.current?.microphoneReport;
    if (report) this.#events.emit('microphone', { status: report.status, ...(report.error ? { error: report.error } : {}) });
  }

  #onChunk(pcm: ArrayBuffer): void {
    // A chunk that arrives after its turn was committed (the flush gave up on a starved audio thread:
    // seen in WebKit under load) would land in the next turn's buffer: drop it.
    if (this.#session.turnDetection === null && !this.#talking && !this.#collectingTail) return;
    const link = this.#link;
    if (!link?.socket.open) return;
    try {
      this.#append(link.client, pcm);
    } catch {
      // The socket closed between the check and the send: its loss is reported by the close.
    }
  }

  #append(client: RealtimeProtocolClient, pcm: ArrayBuffer): void {
    if (this.#talking) this.#talkMs += (pcm.byteLength / 2 / 24_000) * 1000;
    client.appendInputAudio(encodeBase64(pcm));
  }

  // ── helpers ─────────────────────────────────────────────────────────────────────────────────

  #live(method: string): Link {
    const link = this.#link;
    if (!link || !link.socket.open) throw new OpenAIWebSocketError('not_connected', `${method}: not connected.`);
    return link;
  }

  #check(generation: number, signal: AbortSignal): void {
    if (signal.aborted || generation !== this.#generation) throw abortError();
  }
}
