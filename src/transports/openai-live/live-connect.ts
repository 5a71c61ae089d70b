/**
 * Brings up one GPT-Live connection: the peer connection with the microphone and the `oai-events`
 * channel, the offer through the page's route (the server posts it to `POST /v1/live/sessions` with
 * its key), the answer, and the wait for `session.started`.
 */
import { readSessionOpened } from '../remote/session-opened.js';
import type { AdapterDeps } from '../remote/adapters.js';
import type { ConversationTurn, SessionOpened, TransportConnectRequest } from '../types.js';
import { abortable, withTimeout } from '../abort.js';
import { attachPeerAudio } from '../openai-webrtc/peer-audio.js';
import { OpenAILiveError } from './errors.js';
import { LiveChannel } from './live-channel.js';
import type { LiveEventMapper } from './live-events.js';

/** What the page learns from the bootstrap about the Live session. */
export interface LiveSessionInfo {
  sessionId: string;
  delegation: 'client' | 'responses' | 'decisions';
  allowedClientEvents: 'all' | string[];
}

/** A connection that is up: session started, channel open. */
export interface LiveLink {
  pc: RTCPeerConnection;
  dc: RTCDataChannel;
  channel: LiveChannel;
  info: LiveSessionInfo;
  opened: SessionOpened;
  close(): void;
}

export interface LiveConnectContext {
  request: TransportConnectRequest;
  signal: AbortSignal;
  stream: MediaStream;
  audioElement: HTMLAudioElement;
  deps: AdapterDeps;
  mapper: LiveEventMapper;
  rtcConfiguration: RTCConfiguration | undefined;
  connectTimeoutMs: number;
  sessionUpdateTimeoutMs: number;
  onRemoteStream(stream: MediaStream): void;
}

/** The Live API takes at most 128 startup messages (and about 8,000 tokens of them by default). */
const HISTORY_TURNS = 128;
const HISTORY_CHARS = 24_000;

export async function connectLive(ctx: LiveConnectContext): Promise<LiveLink> {
  const pc = new RTCPeerConnection(ctx.rtcConfiguration ?? {});
  let channel: LiveChannel | undefined;
  const close = () => {
    channel?.close();
    pc.close();
  };
  try {
    const dc = pc.createDataChannel('oai-events');
    let allowed: 'all' | string[] = 'all';
    channel = new LiveChannel(dc, () => allowed, (event) => ctx.mapper.handle(event), ctx.sessionUpdateTimeoutMs);
    const started = ctx.mapper.whenStarted();
    attachPeerAudio(pc, ctx.stream, ctx.audioElement, ctx.onRemoteStream, () => new OpenAILiveError('connection_failed', 'The microphone stream has no audio track.'));
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    if (!offer.sdp) throw new OpenAILiveError('connection_failed', 'The browser made an empty SDP offer.');
    const history = ctx.request.reason === 'reconnect' ? recentHistory(ctx.request.history) : [];
    const bootstrap = await ctx.deps.bootstrap({ sdp: offer.sdp, ...(history.length ? { history } : {}) }, ctx.signal);
    const info = readLiveBootstrap(bootstrap);
    allowed = info.allowedClientEvents;
    const opened = readSessionOpened(bootstrap, ctx.request.session, (message) => new OpenAILiveError('invalid_bootstrap', message));
    await abortable(pc.setRemoteDescription({ type: 'answer', sdp: (bootstrap as { answerSdp: string }).answerSdp }), ctx.signal);
    const failed = whenFailed(pc, dc);
    await abortable(
      withTimeout(Promise.race([started, failed.promise]), ctx.connectTimeoutMs, () =>
        dc.readyState === 'open'
          ? new OpenAILiveError('connection_failed', `GPT-Live opened the data channel but sent no session.started within ${ctx.connectTimeoutMs} ms.`, { reason: 'timeout' })
          : new OpenAILiveError('connection_failed', `The data channel did not open within ${ctx.connectTimeoutMs} ms.`, { reason: 'timeout' }),
      ).finally(failed.stop),
      ctx.signal,
    );
    return { pc, dc, channel, info, opened, close };
  } catch (error) {
    close();
    throw error;
  }
}

/** The most recent finished turns that fit the Live API's startup history. */
function recentHistory(history: readonly ConversationTurn[]): ConversationTurn[] {
  const kept: ConversationTurn[] = [];
  let chars = 0;
  for (let i = history.length - 1; i >= 0 && kept.length < HISTORY_TURNS; i -= 1) {
    const turn = history[i]!;
    const text = turn.text.trim();
    if (!text) continue;
    chars += text.length;
    if (chars > HISTORY_CHARS) break;
    kept.unshift({ role: turn.role, text: text.slice(0, 8000), ...(turn.interrupted ? { interrupted: true } : {}) });
  }
  return kept;
}

function readLiveBootstrap(value: unknown): LiveSessionInfo {
  const b = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const live = (typeof b.live === 'object' && b.live !== null ? b.live : {}) as Record<string, unknown>;
  if (typeof b.answerSdp !== 'string' || !b.answerSdp || typeof b.sessionId !== 'string') {
    throw new OpenAILiveError('invalid_bootstrap', 'The bootstrap has no answerSdp and sessionId (is the route configured for openai-live-webrtc?).');
  }
  const delegation = live.delegation === 'responses' || live.delegation === 'decisions' ? live.delegation : 'client';
  const events = live.allowedClientEvents;
  const allowedClientEvents = events === 'all' || events === undefined ? 'all' : Array.isArray(events) ? events.filter((e): e is string => typeof e === 'string') : 'all';
  return { sessionId: b.sessionId, delegation, allowedClientEvents };
}

/** Rejects when the peer fails or the channel closes before the session started. */
function whenFailed(pc: RTCPeerConnection, dc: RTCDataChannel): { promise: Promise<never>; stop(): void } {
  let stop = () => {};
  const promise = new Promise<never>((_, reject) => {
    const onClose = () => reject(new OpenAILiveError('connection_failed', 'The data channel closed before the session started.', { reason: 'closed' }));
    const onState = () => {
      if (pc.connectionState === 'failed' || pc.connectionState === 'closed') {
        reject(new OpenAILiveError('connection_failed', `The peer connection ${pc.connectionState} before the session started.`, { reason: 'closed' }));
      }
    };
    dc.addEventListener('close', onClose);
    pc.addEventListener('connectionstatechange', onState);
    stop = () => {
      dc.removeEventListener('close', onClose);
      pc.removeEventListener('connectionstatechange', onState);
    };
  });
  promise.catch(() => {});
  return { promise, stop };
}
