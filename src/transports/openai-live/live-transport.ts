/**
 * `openai-live-webrtc`: GPT-Live in the page, on the manager's transport contract. The browser makes
 * the peer connection and its offer; the page's route creates the Live session upstream with the
 * server's key and returns the answer. Microphone, voice level and loss detection are the shared
 * WebRTC parts; turns, delegations and tool calls come from GPT-Live's events (live-events.ts).
 * @packageDocumentation
 */
import type { RealtimeSessionConfig } from '../../session/session-config.js';
import { liveLockedFields } from '../../session/live-fixed-fields.js';
import { ForwardingLevelSource } from '../audio/level-source.js';
import { Microphone } from '../audio/microphone.js';
import { linkAudioDevices, microphoneOptionsFor } from '../audio/device-link.js';
import type { AdapterDeps } from '../remote/adapters.js';
import { TransportEvents } from '../transport-events.js';
import type {
  ConnectionLossCause,
  DelegationAnswerKind,
  RealtimeTransport,
  RealtimeTransportEventMap,
  RealtimeTransportEventName,
  TransportConnectRequest,
} from '../types.js';
import { ConnectionWatch } from '../openai-webrtc/connection-watch.js';
import { abortable, abortError, throwIfAborted } from '../abort.js';
import { withCode } from '../errors.js';
import { OutputVoice } from '../openai-webrtc/output-voice.js';
import { OpenAILiveError } from './errors.js';
import { connectLive, type LiveLink } from './live-connect.js';
import { LiveEventMapper, type LiveEmission } from './live-events.js';

/** Options of {@link createLiveWebRTCAdapter}. */
export interface LiveWebRTCAdapterOptions {
  /** Passed to `new RTCPeerConnection()` (default: no ICE servers). */
  rtcConfiguration?: RTCConfiguration;
  /** How long ICE may stay `disconnected` before the connection counts as lost, in ms (default 2000). */
  disconnectGraceMs?: number;
  /** How long the connection may take until `session.started`, in ms (default 15 000); then `connection_failed` (`reason: 'timeout'`). */
  connectTimeoutMs?: number;
  /**
   * How long a session command (a delegation's answer, mute at connect) may wait for GPT-Live's
   * acknowledgement, in ms (default 10 000); then `session_update_timeout`. The same option as on the
   * other adapters.
   */
  sessionUpdateTimeoutMs?: number;
  /** Quiet after the assistant's last words (beyond their audio) that ends its turn, in ms (default 700). */
  utteranceGapMs?: number;
  /** Quiet after the user's last transcribed words that makes their turn final, in ms (default 800). */
  userGapMs?: number;
  /** The element that plays the assistant; stays yours (only `srcObject` and `muted` are set). */
  audioElement?: HTMLAudioElement;
}

interface Live {
  generation: number;
  link: LiveLink;
  mapper: LiveEventMapper;
  voice: OutputVoice | null;
  watch: ConnectionWatch;
  connected: boolean;
  offTrackChange: () => void;
}

/** Creates the GPT-Live transport. Pass options by wrapping it: `(deps) => createLiveWebRTCAdapter(deps, { utteranceGapMs: 500 })`. */
export function createLiveWebRTCAdapter(deps: AdapterDeps, options: LiveWebRTCAdapterOptions = {}): RealtimeTransport {
  return new LiveWebRTCTransport(deps, options);
}

export class LiveWebRTCTransport implements RealtimeTransport {
  readonly levels = { output: new ForwardingLevelSource(), input: new ForwardingLevelSource() };
  readonly #events = new TransportEvents();
  readonly #deps: AdapterDeps;
  readonly #options: LiveWebRTCAdapterOptions;
  #mic: Microphone | null = null;
  #muted = false;
  #live: Live | null = null;
  #generation = 0;
  #attempt: AbortController | null = null;
  #ownedAudio: HTMLAudioElement | null = null;
  /** Unlinks the microphone and the output element from the page's device choice. */
  #unlinkDevices: () => void = () => {};

  constructor(deps: AdapterDeps, options: LiveWebRTCAdapterOptions = {}) {
    this.#deps = deps;
    this.#options = options;
  }

  /** The Live session's id (`live_…`), e.g. for a server-side sideband; undefined when not connected. */
  get sessionId(): string | undefined {
    return this.#live?.link.info.sessionId;
  }

  on<K extends RealtimeTransportEventName>(event: K, handler: (payload: RealtimeTransportEventMap[K]) => void): () => void {
    return this.#events.on(event, handler);
  }

  async connect(request: TransportConnectRequest, signal: AbortSignal): Promise<void> {
    if (typeof RTCPeerConnection === 'undefined') {
      throw new OpenAILiveError('unsupported', 'This browser has no WebRTC (RTCPeerConnection): GPT-Live reaches browsers over WebRTC only.');
    }
    this.#releaseLive();
    this.#attempt?.abort();
    const generation = ++this.#generation;
    const attempt = new AbortController();
    this.#attempt = attempt;
    const combined = AbortSignal.any([signal, attempt.signal]);
    let createdMic = false;
    let mic: Microphone | null = null;
    let voice: OutputVoice | null = null;
    let link: LiveLink | null = null;
    let live: Live | null = null;
    try {
      throwIfAborted(combined);
      if (!this.#mic) {
        this.#mic = new Microphone(microphoneOptionsFor(this.#deps.microphone, this.#deps.devices));
        // Before open(): a chosen device that is missing falls back to the default, and the choice says so.
        this.#unlinkDevices = linkAudioDevices(this.#deps.devices, { microphone: this.#mic, output: this.#audioElement() });
        createdMic = true;
      }
      mic = this.#mic;
      await abortable(mic.open(), combined);
      throwIfAborted(combined);
      mic.setMuted(this.#muted);
      const context = this.#audioContext();
      this.levels.input.setTarget(context ? mic.level(context) : undefined);
      voice = context ? new OutputVoice(context, (level) => this.#emit(generation, { name: 'lipsync', payload: { level } })) : null;
      const audioElement = this.#audioElement();
      audioElement.muted = false;
      const mapper = new LiveEventMapper((emission) => this.#emit(generation, emission), {
        utteranceGapMs: this.#options.utteranceGapMs ?? 700,
        userGapMs: this.#options.userGapMs ?? 800,
      }, () => {
        audioElement.muted = false;
      });
      link = await connectLive({
        request,
        signal: combined,
        stream: mic.stream!,
        audioElement,
        deps: this.#deps,
        mapper,
        rtcConfiguration: this.#options.rtcConfiguration,
        connectTimeoutMs: this.#options.connectTimeoutMs ?? 15_000,
        sessionUpdateTimeoutMs: this.#options.sessionUpdateTimeoutMs ?? 10_000,
        onRemoteStream: (stream) => voice?.attach(stream),
      });
      throwIfAborted(combined);
      const sender = link.pc.getSenders().find((s) => s.track?.kind === 'audio');
      const current: Live = {
        generation,
        link,
        mapper,
        voice,
        watch: new ConnectionWatch(
          { pc: link.pc, dc: link.dc },
          { disconnectGraceMs: this.#options.disconnectGraceMs ?? 2000, onLost: (cause, error) => this.#onLost(current, cause, error) },
        ),
        connected: false,
        offTrackChange: mic.onTrackChange((track) => sender?.replaceTrack(track).catch(() => {})),
      };
      live = current;
      current.watch.start();
      // A page muted before the start is muted for the model too before connect() resolves.
      if (this.#muted && link.channel.allows('session.input_audio.mute')) {
        await abortable(link.channel.request({ type: 'session.input_audio.mute' }, 'session.input_audio.muted'), combined);
      }
      this.#live = current;
      // Before connect() resolves, so the manager knows the policy before the page's next change.
      this.#emit(generation, { name: 'session:opened', payload: link.opened });
      current.connected = true;
      this.levels.output.setTarget(voice?.source);
    } catch (error) {
      live?.watch.stop();
      live?.offTrackChange();
      if (this.#live === live) this.#live = null;
      link?.close();
      voice?.dispose();
      if (createdMic && mic && (this.#mic !== mic || this.#generation === generation)) {
        mic.release();
        if (this.#mic === mic) this.#releaseMic();
      }
      if (this.#attempt === attempt) this.#attempt = null;
      if (combined.aborted) throw abortError();
      throw withCode(error, 'connection_failed', 'Could not connect to GPT-Live');
    }
    if (this.#attempt === attempt) this.#attempt = null;
  }

  async disconnect(): Promise<void> {
    this.#generation += 1;
    this.#attempt?.abort();
    this.#attempt = null;
    const live = this.#live;
    // A graceful end lets GPT-Live finalize (session.closed); the connection goes right after.
    if (live?.link.channel.allows('session.close')) {
      try {
        live.link.channel.send({ type: 'session.close' });
      } catch {
        // The channel is already gone: nothing to finalize.
      }
    }
    this.#releaseLive();
    this.#releaseMic();
    if (this.#ownedAudio) {
      this.#ownedAudio.pause();
      this.#ownedAudio.srcObject = null;
      this.#ownedAudio = null;
    } else if (this.#options.audioElement) {
      this.#options.audioElement.srcObject = null;
    }
    await this.#deps.audio.close().catch(() => {});
  }

  /**
   * A typed turn: with Responses delegation the text goes to the backend as a user message
   * (`response.item.create`) and a response is requested; GPT-Live speaks the answer. GPT-Live takes
   * no typed text otherwise, so under client delegation this rejects with `unsupported`.
   */
  async sendText(text: string): Promise<void> {
    const live = this.#requireLive();
    if (live.link.info.delegation !== 'responses') {
      throw new OpenAILiveError('unsupported', 'GPT-Live takes typed text only through a Responses delegation; this session delegates to the page (speak instead, or answer delegations).');
    }
    const channel = live.link.channel;
    for (const type of ['response.item.create', 'response.create']) {
      if (!channel.allows(type)) throw new OpenAILiveError('unsupported', `The server's data-channel permissions do not allow ${type} from this page.`);
    }
    channel.send({ type: 'response.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] } });
    channel.send({ type: 'response.create' });
  }

  /** Not supported: the microphone travels on the WebRTC track. */
  async sendAudio(_chunk: ArrayBuffer): Promise<void> {
    throw new OpenAILiveError('unsupported', 'sendAudio is not supported over WebRTC: the microphone track carries the audio.');
  }

  /**
   * GPT-Live fixes its session at startup. A session that keeps the fixed fields resolves at once
   * (nothing else is live-changeable in our vocabulary); one that changes them rejects with
   * `unsupported`. The fields are the ones the bootstrap's policy locks, which for a Live session
   * always include `LIVE_FIXED_FIELDS` (the same list the route reads), so the manager refuses first
   * with `policy_locked`; this only stops a caller that bypasses it.
   */
  async updateSession(session: RealtimeSessionConfig): Promise<void> {
    const live = this.#requireLive();
    const running = live.link.opened.session as Record<string, unknown>;
    const next = session as Record<string, unknown>;
    const changed = liveLockedFields(live.link.opened.policy).find(
      (field) => next[field] !== undefined && JSON.stringify(next[field]) !== JSON.stringify(running[field]),
    );
    if (changed) throw new OpenAILiveError('unsupported', `${changed} cannot change in a running GPT-Live session; it applies at the next start.`);
  }

  /** Returns a function result to the Responses backend, and asks it to continue after the last one. */
  async sendToolResult(callId: string, output: Record<string, unknown>, options?: { requestResponse?: boolean }): Promise<void> {
    const channel = this.#requireLive().link.channel;
    channel.send({ type: 'response.item.create', item: { type: 'function_call_output', call_id: callId, output: JSON.stringify(output) } });
    if (options?.requestResponse !== false) channel.send({ type: 'response.create' });
  }

  /**
   * Stops the assistant's voice in this page at once. GPT-Live has no cancel command (it stops when
   * the user speaks): the rest of the cut utterance is muted and dropped from the transcript.
   */
  async interrupt(): Promise<void> {
    const live = this.#requireLive();
    if (!live.mapper.interrupt()) return;
    this.#audioElement().muted = true;
  }

  async answerDelegation(delegationId: string, content: string, kind: DelegationAnswerKind): Promise<void> {
    const live = this.#requireLive();
    if (!live.mapper.clientDelegations.has(delegationId)) {
      throw new OpenAILiveError('unknown_delegation', `No client delegation "${delegationId}" in this GPT-Live session (ids do not survive a reconnect).`);
    }
    const type = kind === 'thinking' ? 'session.thinking.append' : 'session.commentary.append';
    // Resolved before the send: the answer the model now speaks is final, not commentary.
    if (kind === 'commentary') live.mapper.resolveDelegation(delegationId);
    await live.link.channel.request({ type, content, delegation_id: delegationId }, type.replace('.append', '.appended'));
  }

  setMuted(muted: boolean): void {
    this.#muted = muted;
    // Local first: with the track muted no audio leaves the page whatever the server does.
    this.#mic?.setMuted(muted);
    this.#sendMute(muted);
  }

  #sendMute(muted: boolean): void {
    const channel = this.#live?.link.channel;
    const type = muted ? 'session.input_audio.mute' : 'session.input_audio.unmute';
    if (!channel?.allows(type)) return;
    try {
      channel.send({ type });
    } catch {
      // Not open (a reconnect is coming): the next connect sends the state again.
    }
  }

  #emit(generation: number, emission: LiveEmission): void {
    if (generation !== this.#generation) return;
    const voice = this.#live?.generation === generation ? this.#live.voice : null;
    if (emission.name === 'audio:start') voice?.setPlaying(true);
    else if (emission.name === 'audio:end') voice?.setPlaying(false);
    this.#events.emit(emission.name, emission.payload as never);
  }

  #onLost(live: Live, cause: ConnectionLossCause, error?: Error): void {
    if (this.#live !== live || live.generation !== this.#generation || !live.connected) return;
    this.#releaseLive();
    this.#events.emit('connection:lost', { cause, ...(error ? { error } : {}) });
  }

  #requireLive(): Live {
    if (!this.#live?.connected) throw new OpenAILiveError('not_connected', 'Not connected: call connect() first (or wait for the reconnect).');
    return this.#live;
  }

  /** Closes the current connection without reporting a loss (open turns end as disconnected). */
  #releaseLive(): void {
    const live = this.#live;
    if (!live) return;
    this.#live = null;
    live.watch.stop();
    live.offTrackChange();
    live.mapper.dispose();
    live.link.close();
    live.voice?.dispose();
    this.levels.output.setTarget(undefined);
  }

  #releaseMic(): void {
    this.#unlinkDevices();
    this.#unlinkDevices = () => {};
    this.#mic?.release();
    this.#mic = null;
    this.levels.input.setTarget(undefined);
  }

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
