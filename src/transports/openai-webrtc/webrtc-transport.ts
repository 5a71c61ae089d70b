/**
 * What both OpenAI WebRTC adapters share: the microphone (optional: a session runs without one),
 * levels, lip-sync, loss detection, replay on reconnect, rollover to a fresh session, and the
 * {@link RealtimeTransport} methods over a {@link RealtimeProtocolClient}. An adapter only supplies a
 * {@link PeerConnector}: how the peer connection and its data channel come up.
 * @packageDocumentation
 */
import type { RealtimeSessionConfig } from '../../manager/session-config.js';
import type { OpenAISessionDefaults } from '../../session/openai-session.js';
import { ForwardingLevelSource } from '../audio/level-source.js';
import type { Microphone } from '../audio/microphone.js';
import { linkAudioDevices, microphoneOptionsFor } from '../audio/device-link.js';
import { CallMicrophone } from './call-microphone.js';
import type { AdapterDeps } from '../remote/adapters.js';
import { TransportEvents } from '../transport-events.js';
import type {
  ConnectionLossCause,
  ConversationTurn,
  RealtimeTransport,
  RealtimeTransportEventMap,
  RealtimeTransportEventName,
  TransportConnectRequest,
  TransportImage,
  TransportMicrophoneStatus,
  TransportRolloverRequest,
} from '../types.js';
import { ConnectionWatch } from './connection-watch.js';
import { audioSender, wireSession, type OpenAIWebRTCAdapterOptions, type PeerConnector, type PeerLink } from './connector.js';
import { withCode } from '../errors.js';
import { abortable, abortError, OpenAIWebRTCError, throwIfAborted } from './errors.js';
import { OutputVoice } from './output-voice.js';
import { ServerOutputBuffer } from './output-audio-buffer.js';
import { RealtimeProtocolClient } from '../protocol/protocol-client.js';
import type { TransportEmission } from '../protocol/server-events.js';

interface Live {
  generation: number;
  link: PeerLink;
  voice: OutputVoice | null;
  watch: ConnectionWatch | null;
  /** False until connect() resolved: a loss before that fails the connect instead. */
  connected: boolean;
  offTrackChange: () => void;
}

/** A connection brought up but not (yet) the live one. */
interface Opened {
  generation: number;
  link: PeerLink;
  voice: OutputVoice | null;
}

const FALLBACK_DEFAULTS: OpenAISessionDefaults = { model: 'gpt-realtime', voice: 'marin' };

/** The OpenAI WebRTC transport; see `createAgentsWebRTCAdapter` and `createUnifiedWebRTCAdapter`. */
export class OpenAIWebRTCTransport implements RealtimeTransport {
  /** Stable objects: their targets follow the current connection. */
  readonly levels = { output: new ForwardingLevelSource(), input: new ForwardingLevelSource() };
  readonly #events = new TransportEvents();
  readonly #deps: AdapterDeps;
  readonly #options: OpenAIWebRTCAdapterOptions;
  readonly #connector: PeerConnector;
  readonly #mic: CallMicrophone;
  #live: Live | null = null;
  /** Events of this generation are delivered; a connection prepared for a rollover has its own until it takes over. */
  #generation = 0;
  #counter = 0;
  #attempt: AbortController | null = null;
  #ownedAudio: HTMLAudioElement | null = null;

  constructor(deps: AdapterDeps, connector: PeerConnector, options: OpenAIWebRTCAdapterOptions = {}) {
    this.#deps = deps;
    this.#connector = connector;
    this.#options = options;
    this.#mic = new CallMicrophone(() => microphoneOptionsFor(deps.microphone, deps.devices), (microphone) =>
      linkAudioDevices(deps.devices, { microphone, output: this.#audioElement() }),
    );
  }

  /** The provider's id of the current call (`rtc_…`), e.g. for a server-side hang-up; undefined when not connected. */
  get callId(): string | undefined {
    return this.#live?.link.callId;
  }

  on<K extends RealtimeTransportEventName>(event: K, handler: (payload: RealtimeTransportEventMap[K]) => void): () => void {
    return this.#events.on(event, handler);
  }

  async connect(request: TransportConnectRequest, signal: AbortSignal): Promise<void> {
    // A reconnect arrives without disconnect(): the dead connection goes first, silently.
    this.#releaseLive();
    this.#attempt?.abort();
    const generation = (this.#generation = ++this.#counter);
    const attempt = new AbortController();
    this.#attempt = attempt;
    const combined = AbortSignal.any([signal, attempt.signal]);
    let createdMic = false;
    let mic: Microphone | null = null;
    let opened: Opened | null = null;
    try {
      throwIfAborted(combined);
      const taken = this.#mic.take();
      mic = taken.mic;
      createdMic = taken.created;
      // Asked once per session: a reconnect does not prompt again for a microphone that was refused.
      await abortable(this.#mic.open(mic), combined);
      // disconnect() may have run while the microphone opened: create nothing more.
      throwIfAborted(combined);
      const context = this.#audioContext();
      this.levels.input.setTarget(context ? mic.level(context) : undefined);
      opened = await this.#open(request, combined, generation, mic.stream, this.#audioElement());
      await this.#adopt(opened, request.reason === 'reconnect' ? request.history : [], combined);
    } catch (error) {
      if (opened && this.#live?.link !== opened.link) this.#close(opened);
      // Our microphone goes when this attempt failed, or when disconnect() dropped it while it was
      // still opening (its track may have gone live after that release).
      if (createdMic && mic && (this.#mic.current !== mic || this.#generation === generation)) {
        this.#mic.drop(mic);
        if (!this.#mic.current) this.levels.input.setTarget(undefined);
      }
      if (this.#attempt === attempt) this.#attempt = null;
      if (combined.aborted) throw abortError();
      throw withCode(error, 'connection_failed', 'Could not connect to the realtime provider');
    }
    if (this.#attempt === attempt) this.#attempt = null;
  }

  /**
   * A fresh provider session beside the live one: brought up without the microphone and playing into
   * a detached element, so the user hears and is heard by the old one until the hand-over; then the
   * old one is released, the microphone and the output move over, and the conversation is replayed.
   */
  async rollover(request: TransportRolloverRequest, signal: AbortSignal): Promise<void> {
    const old = this.#live;
    if (!old) throw new OpenAIWebRTCError('not_connected', 'rollover: not connected.');
    this.#attempt?.abort();
    const attempt = new AbortController();
    this.#attempt = attempt;
    const combined = AbortSignal.any([signal, attempt.signal]);
    const generation = ++this.#counter;
    const standby = document.createElement('audio');
    standby.muted = true;
    let opened: Opened | null = null;
    let switched = false;
    try {
      opened = await this.#open(
        { session: request.session, reason: 'reconnect', history: [], sessionId: request.sessionId },
        combined,
        generation,
        null,
        standby,
      );
      const history = await abortable(request.handover(), combined);
      if (this.#live !== old) throw new OpenAIWebRTCError('connection_failed', 'The connection changed while the new session was prepared.');
      // The hand-over: from here the old session is gone and its events are not delivered.
      switched = true;
      this.#generation = generation;
      this.#releaseLive();
      const element = this.#audioElement();
      element.srcObject = standby.srcObject;
      standby.srcObject = null;
      void element.play().catch(() => {});
      const track = this.#mic.current?.track;
      if (track) await audioSender(opened.link.pc)?.replaceTrack(track);
      await this.#adopt(opened, history, combined);
    } catch (error) {
      if (opened && this.#live?.link !== opened.link) this.#close(opened);
      standby.srcObject = null;
      if (this.#attempt === attempt) this.#attempt = null;
      if (!switched && combined.aborted) throw abortError();
      throw withCode(error, 'connection_failed', 'Could not roll over to a new session');
    }
    if (this.#attempt === attempt) this.#attempt = null;
  }

  async disconnect(): Promise<void> {
    this.#generation = ++this.#counter;
    this.#attempt?.abort();
    this.#attempt = null;
    this.#releaseLive();
    this.#releaseMic();
    if (this.#ownedAudio) {
      this.#ownedAudio.pause();
      this.#ownedAudio.srcObject = null;
      this.#ownedAudio = null;
    } else if (this.#options.audioElement) {
      this.#options.audioElement.srcObject = null;
    }
    // The transport owns the AudioContext it used (types.ts); the owner makes a new one on demand.
    await this.#deps.audio.close().catch(() => {});
  }

  async sendText(text: string): Promise<void> {
    this.#client().sendText(text);
  }

  async sendImage(image: TransportImage, options: { text?: string; requestResponse?: boolean } = {}): Promise<void> {
    const live = this.#requireLive();
    // A data channel message may not exceed what both ends allow (SCTP max-message-size).
    const maxEventBytes = live.link.pc.sctp?.maxMessageSize;
    live.link.client.sendImage(image, { ...options, ...(maxEventBytes ? { maxEventBytes } : {}) });
  }

  /**
   * Not supported: over WebRTC the microphone travels on the RTP audio track, and the provider's
   * input buffer is fed from it. Rejects with code `unsupported` rather than dropping the audio, so
   * a page that streams its own PCM finds out at once (use the WebSocket adapter for that).
   */
  async sendAudio(_chunk: ArrayBuffer): Promise<void> {
    throw new OpenAIWebRTCError('unsupported', 'sendAudio is not supported over WebRTC: the microphone track carries the audio. Use the openai-websocket adapter to send PCM.');
  }

  async updateSession(session: RealtimeSessionConfig): Promise<void> {
    const live = this.#requireLive();
    await live.link.client.updateSession(wireSession(session, live.link.defaults));
  }

  async sendToolResult(callId: string, output: Record<string, unknown>, options?: { requestResponse?: boolean }): Promise<void> {
    this.#client().sendToolResult(callId, output, options?.requestResponse !== false);
  }

  async interrupt(): Promise<void> {
    await this.#client().interrupt();
  }

  setMuted(muted: boolean): void {
    this.#mic.setMuted(muted);
  }

  /** Asks for the microphone again; once it opens, its track goes on the live call (no new session). */
  async retryMicrophone(): Promise<TransportMicrophoneStatus> {
    const live = this.#requireLive();
    const report = await this.#mic.retry();
    if (this.#live !== live) throw new OpenAIWebRTCError('not_connected', 'retryMicrophone: the connection changed meanwhile.');
    // The track change listener put it on the sender already; make sure, as it may have opened first.
    if (report.status === 'live') await audioSender(live.link.pc)?.replaceTrack(this.#mic.current?.track ?? null);
    this.#emitMicrophone(live.generation);
    return report.status;
  }

  async startInputTurn(): Promise<void> {
    this.#client().startInputTurn();
  }

  async commitInputTurn(): Promise<void> {
    this.#client().commitInputTurn();
  }

  /** Brings one connection up (configured, data channel open) for `generation`; it is not live yet. */
  async #open(request: TransportConnectRequest, signal: AbortSignal, generation: number, stream: MediaStream | null, element: HTMLAudioElement): Promise<Opened> {
    const context = this.#audioContext();
    const voice = context ? new OutputVoice(context, (level) => this.#emit(generation, { name: 'lipsync', payload: { level } })) : null;
    try {
      const link = await this.#connector({
        request,
        signal,
        stream,
        audioElement: element,
        deps: this.#deps,
        options: { sessionUpdateTimeoutMs: this.#sessionUpdateTimeoutMs(), connectTimeoutMs: this.#options.connectTimeoutMs ?? 15_000 },
        defaults: { ...FALLBACK_DEFAULTS, ...this.#options.defaults },
        onRemoteStream: (remote) => voice?.attach(remote),
        createClient: (channel) =>
          new RealtimeProtocolClient({
            channel,
            audio: new ServerOutputBuffer(),
            sessionUpdateTimeoutMs: this.#sessionUpdateTimeoutMs(),
            emit: (emission) => this.#emit(generation, emission),
          }),
        wire: (session, used) => wireSession(session, used),
      });
      throwIfAborted(signal);
      return { generation, link, voice };
    } catch (error) {
      voice?.dispose();
      throw error;
    }
  }

  /**
   * Makes `opened` the live connection: watched for loss, `history` replayed, the microphone's status
   * and `session:opened` emitted before the caller resolves.
   */
  async #adopt(opened: Opened, history: readonly ConversationTurn[], signal: AbortSignal): Promise<void> {
    const { link, generation } = opened;
    const live: Live = {
      generation,
      link,
      voice: opened.voice,
      watch: null,
      connected: false,
      // Returned, not voided: a device switch resolves once the sender carries the new track.
      offTrackChange: this.#mic.current?.onTrackChange((track) => audioSender(link.pc)?.replaceTrack(track).catch(() => {})) ?? (() => {}),
    };
    // Watch from here on: a connection that dies while the conversation is replayed fails the
    // connect (the manager retries) instead of waiting for the replay's ack timeout.
    let lostEarly: Error | undefined;
    let rejectEarly: (error: Error) => void = () => {};
    const early = new Promise<never>((_, reject) => (rejectEarly = reject));
    early.catch(() => {});
    live.watch = new ConnectionWatch(
      { pc: link.pc, dc: link.dc },
      {
        disconnectGraceMs: this.#options.disconnectGraceMs ?? 2000,
        onLost: (cause, error) => {
          if (live.connected) return this.#onLost(live, cause, error);
          lostEarly = new OpenAIWebRTCError('connection_failed', `The connection was lost while connecting (${cause}).`, { cause: error });
          rejectEarly(lostEarly);
        },
      },
    );
    live.watch.start();
    try {
      if (history.length > 0) await abortable(Promise.race([link.client.replay(history), early]), signal);
      throwIfAborted(signal);
      if (lostEarly) throw lostEarly;
    } catch (error) {
      live.watch.stop();
      live.offTrackChange();
      throw error;
    }
    this.#emitMicrophone(generation);
    // Before connect() resolves, so the manager knows the policy before the page's next change.
    this.#emit(generation, { name: 'session:opened', payload: link.opened });
    live.connected = true;
    this.#live = live;
    this.levels.output.setTarget(opened.voice?.source);
  }

  #emitMicrophone(generation: number): void {
    const report = this.#mic.report;
    if (report) this.#emit(generation, { name: 'microphone', payload: { status: report.status, ...(report.error ? { error: report.error } : {}) } });
  }

  #sessionUpdateTimeoutMs(): number {
    return this.#options.sessionUpdateTimeoutMs ?? 10_000;
  }

  #emit(generation: number, emission: TransportEmission): void {
    if (generation !== this.#generation) return;
    const voice = this.#live?.generation === generation ? this.#live.voice : null;
    if (emission.name === 'audio:start') voice?.setPlaying(true);
    else if (emission.name === 'audio:end') voice?.setPlaying(false);
    this.#events.emit(emission.name, emission.payload as never);
  }

  #onLost(live: Live, cause: ConnectionLossCause, error?: Error): void {
    if (this.#live !== live || live.generation !== this.#generation) return;
    const playing = live.link.client.playing;
    this.#releaseLive();
    if (playing) this.#events.emit('audio:end', { reason: 'disconnected' });
    this.#events.emit('connection:lost', { cause, ...(error ? { error } : {}) });
  }

  #requireLive(): Live {
    if (!this.#live) throw new OpenAIWebRTCError('not_connected', 'Not connected: call connect() first (or wait for the reconnect).');
    return this.#live;
  }

  #client(): RealtimeProtocolClient {
    return this.#requireLive().link.client;
  }

  /** Closes a connection that never became (or no longer is) the live one. */
  #close(opened: Opened): void {
    opened.link.client.close();
    opened.link.close();
    opened.voice?.dispose();
  }

  /** Closes the current connection without reporting a loss. */
  #releaseLive(): void {
    const live = this.#live;
    if (!live) return;
    this.#live = null;
    live.watch?.stop();
    live.offTrackChange();
    this.#close(live);
    this.levels.output.setTarget(undefined);
  }

  #releaseMic(): void {
    this.#mic.release();
    this.levels.input.setTarget(undefined);
  }

  /** The shared AudioContext, or null where Web Audio is unavailable (levels then read 0). */
  #audioContext(): AudioContext | null {
    try {
      return this.#deps.audio.context;
    } catch {
      return null;
    }
  }

  #audioElement(): HTMLAudioElement {
    if (this.#options.audioElement) return this.#options.audioElement;
    if (!this.#ownedAudio) {
      this.#ownedAudio = document.createElement('audio');
      this.#ownedAudio.autoplay = true;
    }
    return this.#ownedAudio;
  }
}
