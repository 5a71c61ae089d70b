/**
 * What both OpenAI WebRTC adapters share: the microphone, levels, lip-sync, loss detection, replay
 * on reconnect, and the {@link RealtimeTransport} methods over a {@link RealtimeProtocolClient}. An
 * adapter only supplies a {@link PeerConnector}: how the peer connection and its data channel come up.
 * @packageDocumentation
 */
import type { RealtimeSessionConfig } from '../../manager/session-config.js';
import type { OpenAISessionDefaults } from '../../session/openai-session.js';
import { ForwardingLevelSource } from '../audio/level-source.js';
import { Microphone } from '../audio/microphone.js';
import type { AdapterDeps } from '../remote/adapters.js';
import { TransportEvents } from '../transport-events.js';
import type {
  ConnectionLossCause,
  RealtimeTransport,
  RealtimeTransportEventMap,
  RealtimeTransportEventName,
  TransportConnectRequest,
} from '../types.js';
import { ConnectionWatch } from './connection-watch.js';
import { wireSession, type OpenAIWebRTCAdapterOptions, type PeerConnector, type PeerLink } from './connector.js';
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

const FALLBACK_DEFAULTS: OpenAISessionDefaults = { model: 'gpt-realtime', voice: 'marin' };

/** The OpenAI WebRTC transport; see `createAgentsWebRTCAdapter` and `createUnifiedWebRTCAdapter`. */
export class OpenAIWebRTCTransport implements RealtimeTransport {
  /** Stable objects: their targets follow the current connection. */
  readonly levels = { output: new ForwardingLevelSource(), input: new ForwardingLevelSource() };
  readonly #events = new TransportEvents();
  readonly #deps: AdapterDeps;
  readonly #options: OpenAIWebRTCAdapterOptions;
  readonly #connector: PeerConnector;
  #mic: Microphone | null = null;
  #muted = false;
  #live: Live | null = null;
  #generation = 0;
  #attempt: AbortController | null = null;
  #ownedAudio: HTMLAudioElement | null = null;
  readonly #earlyBootstrap: boolean;

  /**
   * `traits.bootstrapWithoutOffer`: the connector asks for its bootstrap without an SDP offer, so the
   * route's answer is requested while the microphone opens instead of after it.
   */
  constructor(deps: AdapterDeps, connector: PeerConnector, options: OpenAIWebRTCAdapterOptions = {}, traits: { bootstrapWithoutOffer?: boolean } = {}) {
    this.#deps = deps;
    this.#connector = connector;
    this.#options = options;
    this.#earlyBootstrap = traits.bootstrapWithoutOffer === true;
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
    const generation = ++this.#generation;
    const attempt = new AbortController();
    this.#attempt = attempt;
    const combined = AbortSignal.any([signal, attempt.signal]);
    let createdMic = false;
    let mic: Microphone | null = null;
    let voice: OutputVoice | null = null;
    let link: PeerLink | null = null;
    let live: Live | null = null;
    // The route and the microphone at once (each takes milliseconds the other need not wait for).
    const early = this.#earlyBootstrap && !combined.aborted ? this.#deps.bootstrap(undefined, combined) : undefined;
    early?.catch(() => {});
    const deps: AdapterDeps = early ? { ...this.#deps, bootstrap: (extra, s) => (extra?.sdp ? this.#deps.bootstrap(extra, s) : early) } : this.#deps;
    try {
      throwIfAborted(combined);
      if (!this.#mic) {
        this.#mic = new Microphone(this.#deps.microphone);
        createdMic = true;
      }
      mic = this.#mic;
      await abortable(mic.open(), combined);
      // disconnect() may have run while the microphone opened: create nothing more.
      throwIfAborted(combined);
      mic.setMuted(this.#muted);
      const context = this.#audioContext();
      this.levels.input.setTarget(context ? mic.level(context) : undefined);
      voice = context ? new OutputVoice(context, (level) => this.#emit(generation, { name: 'lipsync', payload: { level } })) : null;
      const defaults = { ...FALLBACK_DEFAULTS, ...this.#options.defaults };
      link = await this.#connector({
        request,
        signal: combined,
        stream: mic.stream!,
        audioElement: this.#audioElement(),
        deps,
        options: { sessionUpdateTimeoutMs: this.#sessionUpdateTimeoutMs(), connectTimeoutMs: this.#options.connectTimeoutMs ?? 15_000 },
        defaults,
        onRemoteStream: (stream) => voice?.attach(stream),
        createClient: (channel) =>
          new RealtimeProtocolClient({
            channel,
            audio: new ServerOutputBuffer(),
            sessionUpdateTimeoutMs: this.#sessionUpdateTimeoutMs(),
            emit: (emission) => this.#emit(generation, emission),
          }),
        wire: (session, used) => wireSession(session, used),
      });
      throwIfAborted(combined);
      const sender = link.pc.getSenders().find((s) => s.track?.kind === 'audio');
      live = {
        generation,
        link,
        voice,
        watch: null,
        connected: false,
        offTrackChange: mic.onTrackChange((track) => void sender?.replaceTrack(track).catch(() => {})),
      };
      const current = live;
      // Watch from here on: a connection that dies while the conversation is replayed fails the
      // connect (the manager retries) instead of waiting for the replay's ack timeout.
      let lostEarly: Error | undefined;
      let rejectEarly: (error: Error) => void = () => {};
      const early = new Promise<never>((_, reject) => (rejectEarly = reject));
      early.catch(() => {});
      current.watch = new ConnectionWatch(
        { pc: link.pc, dc: link.dc },
        {
          disconnectGraceMs: this.#options.disconnectGraceMs ?? 2000,
          onLost: (cause, error) => {
            if (current.connected) return this.#onLost(current, cause, error);
            lostEarly = new OpenAIWebRTCError('connection_failed', `The connection was lost while connecting (${cause}).`, { cause: error });
            rejectEarly(lostEarly);
          },
        },
      );
      current.watch.start();
      if (request.reason === 'reconnect' && request.history.length > 0) {
        await abortable(Promise.race([link.client.replay(request.history), early]), combined);
      }
      throwIfAborted(combined);
      if (lostEarly) throw lostEarly;
      // Before connect() resolves, so the manager knows the policy before the page's next change.
      this.#emit(generation, { name: 'session:opened', payload: link.opened });
      current.connected = true;
      this.#live = current;
      this.levels.output.setTarget(voice?.source);
    } catch (error) {
      live?.watch?.stop();
      live?.offTrackChange();
      link?.client.close();
      link?.close();
      voice?.dispose();
      // Our microphone goes when this attempt failed, or when disconnect() dropped it while it was
      // still opening (its track may have gone live after that release).
      if (createdMic && mic && (this.#mic !== mic || this.#generation === generation)) {
        mic.release();
        if (this.#mic === mic) this.#releaseMic();
      }
      const cancelled = combined.aborted;
      // A route request still in flight (the microphone failed first) is not waited for.
      attempt.abort();
      if (this.#attempt === attempt) this.#attempt = null;
      if (cancelled) throw abortError();
      throw withCode(error, 'connection_failed', 'Could not connect to the realtime provider');
    }
    if (this.#attempt === attempt) this.#attempt = null;
  }

  async disconnect(): Promise<void> {
    this.#generation += 1;
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
    this.#muted = muted;
    this.#mic?.setMuted(muted);
  }

  async startInputTurn(): Promise<void> {
    this.#client().startInputTurn();
  }

  async commitInputTurn(): Promise<void> {
    this.#client().commitInputTurn();
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

  /** Closes the current connection without reporting a loss. */
  #releaseLive(): void {
    const live = this.#live;
    if (!live) return;
    this.#live = null;
    live.watch?.stop();
    live.offTrackChange();
    live.link.client.close();
    live.link.close();
    live.voice?.dispose();
    this.levels.output.setTarget(undefined);
  }

  #releaseMic(): void {
    this.#mic?.release();
    this.#mic = null;
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
