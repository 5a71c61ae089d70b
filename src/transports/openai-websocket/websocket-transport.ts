/**
 * The `openai-websocket` adapter: OpenAI Realtime over a browser WebSocket, with our own audio path
 * (PCM16 24 kHz both ways through AudioWorklets). The socket is replaced on every connect; the audio
 * pipeline (microphone, worklets) survives reconnects and is released by `disconnect()`.
 * @packageDocumentation
 */
import * as events from '../openai-webrtc/client-events.js';
import { abortError } from '../openai-webrtc/errors.js';
import { OpenAIServerEventMapper } from '../openai-webrtc/server-events.js';
import type { AdapterDeps } from '../remote/adapters.js';
import { TransportEvents } from '../transport-events.js';
import type {
  ConnectionLossCause,
  RealtimeTransport,
  RealtimeTransportEventMap,
  RealtimeTransportEventName,
  TransportConnectRequest,
} from '../types.js';
import type { RealtimeSessionConfig } from '../../manager/session-config.js';
import { AudioSlot } from './audio-slot.js';
import { encodeBase64 } from './base64.js';
import { OpenAIWebSocketError } from './errors.js';
import { watchPageHealth } from './page-health.js';
import { ResponseAudio } from './response-audio.js';
import { RealtimeSocket, type ServerEvent } from './realtime-socket.js';
import { configureSession, parseBootstrap, replayHistory, type WebSocketBootstrap } from './session-setup.js';
import type { WebSocketAdapterOptions } from './options.js';

/** One open, configured socket and what belongs to it. */
interface Link {
  socket: RealtimeSocket;
  bootstrap: WebSocketBootstrap;
  mapper: OpenAIServerEventMapper;
}

export class WebSocketTransport implements RealtimeTransport {
  readonly levels: AudioSlot['levels'];
  #events = new TransportEvents();
  #link: Link | null = null;
  #slot: AudioSlot;
  #audio: ResponseAudio;
  #session: RealtimeSessionConfig = {};
  #talking = false;
  /** True while a commit collects the end of a held turn: those chunks still belong to it. */
  #collectingTail = false;
  #talkMs = 0;
  /** Bumped by every connect and disconnect: work of an older generation stops where it is. */
  #generation = 0;
  #connecting: AbortController | null = null;
  #unwatch: (() => void) | null = null;

  constructor(
    private readonly deps: AdapterDeps,
    private readonly options: WebSocketAdapterOptions = {},
  ) {
    this.#audio = new ResponseAudio({
      emit: (name, payload) => this.#events.emit(name, payload as never),
      truncate: (itemId, audioEndMs) => this.#sendIfOpen(events.truncate(itemId, audioEndMs)),
    });
    this.#slot = new AudioSlot({
      deps,
      options,
      onChunk: (pcm) => this.#onChunk(pcm),
      listener: this.#audio.listener(() => this.#slot.current),
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
    const generation = (this.#generation += 1);
    const controller = new AbortController();
    this.#connecting = controller;
    const onAbort = (): void => controller.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) controller.abort();
    this.#session = request.session;
    let socket: RealtimeSocket | undefined;
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
      const bootstrap = parseBootstrap(await this.deps.bootstrap(undefined, controller.signal));
      this.#check(generation, controller.signal);
      const timeoutMs = this.options.connectTimeoutMs ?? 15_000;
      socket = await RealtimeSocket.connect(bootstrap.url, bootstrap.clientSecret, { signal: controller.signal, timeoutMs });
      this.#check(generation, controller.signal);
      await configureSession(socket, request.session, bootstrap, this.#updateTimeout(), controller.signal);
      if (request.reason === 'reconnect') await replayHistory(socket, request.history, timeoutMs, controller.signal);
      await pipeline;
      this.#check(generation, controller.signal);
      this.#adopt({ socket, bootstrap, mapper: new OpenAIServerEventMapper() });
    } catch (error) {
      socket?.close();
      const stale = generation !== this.#generation;
      const deviceFailed = deviceError !== undefined && !stale && !signal.aborted;
      const aborted = !deviceFailed && (controller.signal.aborted || stale);
      // A failed start leaves nothing behind; a failed reconnect keeps the microphone for the next attempt.
      if (generation === this.#generation && (aborted || (request.reason === 'start' && createdPipeline))) {
        abandoned = true;
        this.#slot.release();
      }
      throw aborted ? abortError() : deviceFailed ? deviceError : error;
    } finally {
      signal.removeEventListener('abort', onAbort);
      if (this.#connecting === controller) this.#connecting = null;
    }
  }

  async disconnect(): Promise<void> {
    this.#generation += 1;
    this.#connecting?.abort();
    this.#connecting = null;
    this.#unwatch?.();
    this.#unwatch = null;
    this.#dropLink();
    this.#slot.release();
    this.#talking = false;
  }

  async sendText(text: string): Promise<void> {
    const { socket } = this.#live('sendText');
    socket.send(events.userTextItem(text));
    socket.send(events.responseCreate());
  }

  async sendAudio(chunk: ArrayBuffer): Promise<void> {
    const { socket } = this.#live('sendAudio');
    this.#append(socket, chunk);
  }

  async updateSession(session: RealtimeSessionConfig): Promise<void> {
    const link = this.#live('updateSession');
    this.#session = session;
    await configureSession(link.socket, session, link.bootstrap, this.#updateTimeout(), undefined, (id) => this.#audio.claim(id));
    this.#gateCapture();
  }

  async sendToolResult(callId: string, output: Record<string, unknown>, options?: { requestResponse?: boolean }): Promise<void> {
    const { socket } = this.#live('sendToolResult');
    socket.send(events.functionCallOutput(callId, output));
    if (options?.requestResponse !== false) socket.send(events.responseCreate());
  }

  async interrupt(): Promise<void> {
    const { socket } = this.#live('interrupt');
    const active = this.#audio.discardAll();
    if (active) socket.send(this.#audio.cancelEvent(events.responseCancel()));
    await this.#audio.stop(this.#slot.current, 'interrupted', true);
  }

  setMuted(muted: boolean): void {
    this.#slot.setMuted(muted);
  }

  async startInputTurn(): Promise<void> {
    const { socket } = this.#live('startInputTurn');
    socket.send(events.inputAudioBufferClear());
    this.#talking = true;
    this.#talkMs = 0;
    this.#gateCapture();
  }

  async commitInputTurn(): Promise<void> {
    const { socket } = this.#live('commitInputTurn');
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
      this.#sendIfOpen(events.inputAudioBufferClear());
      throw new OpenAIWebSocketError('input_too_short', `Only ${Math.round(this.#talkMs)} ms of audio was captured; hold to talk a little longer.`);
    }
    socket.send(events.inputAudioBufferCommit());
    socket.send(events.responseCreate());
  }

  // ── connection ──────────────────────────────────────────────────────────────────────────────

  #adopt(link: Link): void {
    this.#link = link;
    link.socket.onEvent((event) => this.#onServerEvent(link, event));
    link.socket.onInvalid((text) =>
      this.#events.emit('error', { error: new OpenAIWebSocketError('server_error', `Ignored a frame that is not a realtime event: ${text}`), code: 'invalid_server_event' }),
    );
    link.socket.onClose((closed) => {
      if (!closed.intentional && this.#link === link) this.#lost('socket-closed', new Error(`socket closed (code ${closed.code})`));
    });
    this.#unwatch ??= watchPageHealth(() => {
      const current = this.#link;
      if (current && !current.socket.open) this.#lost('health-check-failed');
    });
    this.#gateCapture();
  }

  #onServerEvent(link: Link, event: ServerEvent): void {
    if (this.#link !== link) return;
    switch (event.type) {
      case 'response.output_audio.delta':
        this.#audio.delta(this.#slot.current, event, (error) => this.#events.emit('error', { error, code: 'invalid_server_event' }));
        return;
      case 'response.created':
      case 'response.done':
        this.#audio.lifecycle(this.#slot.current, event);
        break;
      case 'input_audio_buffer.speech_started':
        // The server cancels the response itself (interrupt_response); stopping local playback and
        // truncating to what was heard is the client's half of a barge-in over WebSocket.
        if (this.#session.turnDetection?.interruptResponse !== false) {
          this.#audio.discardAll();
          void this.#audio.stop(this.#slot.current, 'interrupted', true);
        }
        break;
      case 'error':
        if (this.#audio.isOwnError(event)) return;
        break;
      default:
        break;
    }
    for (const emission of link.mapper.map(event)) this.#events.emit(emission.name, emission.payload as never);
  }

  #lost(cause: ConnectionLossCause, error?: Error): void {
    if (!this.#link) return;
    this.#dropLink();
    this.#events.emit('connection:lost', error ? { cause, error } : { cause });
  }

  /** Closes the current socket without reporting a loss, and silences what it was playing. */
  #dropLink(): void {
    const link = this.#link;
    this.#link = null;
    link?.socket.close();
    this.#talking = false;
    this.#audio.discardAll();
    if (link) void this.#audio.stop(this.#slot.current, 'disconnected', false);
    this.#audio.reset();
    this.#gateCapture();
  }

  // ── audio ───────────────────────────────────────────────────────────────────────────────────

  /** Mic audio flows while a socket is live and either VAD listens or the user holds push-to-talk. */
  #gateCapture(): void {
    const listening = this.#session.turnDetection !== null || this.#talking;
    this.#slot.current?.capture.setSending(this.#link !== null && listening);
  }

  #onChunk(pcm: ArrayBuffer): void {
    // A chunk that arrives after its turn was committed (the flush gave up on a starved audio thread:
    // seen in WebKit under load) would land in the next turn's buffer: drop it.
    if (this.#session.turnDetection === null && !this.#talking && !this.#collectingTail) return;
    const socket = this.#link?.socket;
    if (socket?.open) this.#append(socket, pcm);
  }

  #append(socket: RealtimeSocket, pcm: ArrayBuffer): void {
    if (this.#talking) this.#talkMs += (pcm.byteLength / 2 / 24_000) * 1000;
    socket.send({ type: 'input_audio_buffer.append', event_id: events.newEventId('audio'), audio: encodeBase64(pcm) });
  }

  // ── helpers ─────────────────────────────────────────────────────────────────────────────────

  #live(method: string): Link {
    const link = this.#link;
    if (!link || !link.socket.open) throw new OpenAIWebSocketError('not_connected', `${method}: not connected.`);
    return link;
  }

  #sendIfOpen(event: events.ClientEvent): void {
    const socket = this.#link?.socket;
    if (socket?.open) socket.send(event);
  }

  #check(generation: number, signal: AbortSignal): void {
    if (signal.aborted || generation !== this.#generation) throw abortError();
  }

  #updateTimeout(): number {
    return this.options.sessionUpdateTimeoutMs ?? 10_000;
  }
}
