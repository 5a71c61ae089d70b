/**
 * `openai-webrtc` (OpenAI's unified interface): the browser makes the peer connection and its offer,
 * the page's route posts the offer to OpenAI with the server key and returns the answer. No SDK and
 * no client secret in the page.
 * @packageDocumentation
 */
import type { AdapterDeps } from '../remote/adapters.js';
import { readSessionOpened } from '../remote/session-opened.js';
import type { RealtimeTransport } from '../types.js';
import { abortable, OpenAIWebRTCError } from './errors.js';
import { sessionDefaults, type ConnectContext, type OpenAIWebRTCAdapterOptions, type PeerLink } from './connector.js';
import { attachPeerAudio } from './peer-audio.js';
import { OpenAIWebRTCTransport } from './webrtc-transport.js';

/** Options of {@link createUnifiedWebRTCAdapter}. */
export interface UnifiedWebRTCAdapterOptions extends OpenAIWebRTCAdapterOptions {
  /** Passed to `new RTCPeerConnection()` (default: no ICE servers, as OpenAI's answer needs none). */
  rtcConfiguration?: RTCConfiguration;
}

/** The fields of an `openai-webrtc` bootstrap this adapter reads. */
interface UnifiedBootstrap {
  answerSdp: string;
  callId?: string;
  session?: unknown;
}

/**
 * Creates the `openai-webrtc` transport. Pass options by wrapping it:
 * `(deps) => createUnifiedWebRTCAdapter(deps, { disconnectGraceMs: 1000 })`.
 */
export function createUnifiedWebRTCAdapter(deps: AdapterDeps, options: UnifiedWebRTCAdapterOptions = {}): RealtimeTransport {
  return new OpenAIWebRTCTransport(deps, (ctx) => connectUnified(ctx, options), options);
}

async function connectUnified(ctx: ConnectContext, options: UnifiedWebRTCAdapterOptions): Promise<PeerLink> {
  const pc = new RTCPeerConnection(options.rtcConfiguration ?? {});
  let client: ReturnType<ConnectContext['createClient']> | undefined;
  const close = () => {
    client?.close();
    pc.close();
  };
  try {
    const dc = pc.createDataChannel('oai-events');
    client = ctx.createClient(dc);
    attachPeerAudio(pc, ctx.stream, ctx.audioElement, ctx.onRemoteStream, () => new OpenAIWebRTCError('connection_failed', 'The microphone stream has no audio track.'));
    const receiving = client;
    dc.addEventListener('message', (event: MessageEvent) => {
      if (typeof event.data !== 'string') return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(event.data);
      } catch {
        return; // Not JSON: nothing to act on (the provider never sends such frames).
      }
      receiving.receive(parsed);
    });

    // The offer goes out without waiting for ICE candidates: OpenAI (and the emulator) accept the
    // browser's addresses as peer-reflexive ones, and gathering would only add latency.
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    if (!offer.sdp) throw new OpenAIWebRTCError('connection_failed', 'The browser made an empty SDP offer.');
    const bootstrap = readBootstrap(await ctx.deps.bootstrap({ sdp: offer.sdp }, ctx.signal));
    const opened = readSessionOpened(bootstrap, ctx.request.session, (message) => new OpenAIWebRTCError('invalid_bootstrap', message));
    const defaults = sessionDefaults(opened.session, ctx.defaults);
    await abortable(pc.setRemoteDescription({ type: 'answer', sdp: bootstrap.answerSdp }), ctx.signal);
    await abortable(channelOpen(pc, dc, ctx.options.connectTimeoutMs), ctx.signal);
    // The route created the call with this session already (policy applied): sending it again, not
    // the page's request, keeps the live session the minted one and gives connect() an ack to wait for.
    await abortable(client.updateSession(ctx.wire(opened.session, defaults)), ctx.signal);
    return { pc, dc, client, defaults, opened, callId: typeof bootstrap.callId === 'string' ? bootstrap.callId : undefined, close };
  } catch (error) {
    close();
    throw error;
  }
}

/** Resolves when `dc` opens; rejects when the peer fails or closes first, or after `timeoutMs`. */
function channelOpen(pc: RTCPeerConnection, dc: RTCDataChannel, timeoutMs: number): Promise<void> {
  if (dc.readyState === 'open') return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const done = (error?: Error) => {
      clearTimeout(timer);
      dc.removeEventListener('open', onOpen);
      dc.removeEventListener('close', onClose);
      pc.removeEventListener('connectionstatechange', onState);
      if (error) reject(error);
      else resolve();
    };
    const onOpen = () => done();
    const onClose = () => done(new OpenAIWebRTCError('connection_failed', 'The data channel closed before it opened.', { reason: 'closed' }));
    const onState = () => {
      if (pc.connectionState === 'failed' || pc.connectionState === 'closed') {
        done(new OpenAIWebRTCError('connection_failed', `The peer connection ${pc.connectionState} before the data channel opened.`, { reason: 'closed' }));
      }
    };
    const timer = setTimeout(
      () => done(new OpenAIWebRTCError('connection_failed', `The data channel did not open within ${timeoutMs} ms.`, { reason: 'timeout' })),
      timeoutMs,
    );
    dc.addEventListener('open', onOpen);
    dc.addEventListener('close', onClose);
    pc.addEventListener('connectionstatechange', onState);
  });
}

function readBootstrap(value: unknown): UnifiedBootstrap {
  const b = value as Partial<UnifiedBootstrap> | null;
  if (typeof b?.answerSdp !== 'string' || !b.answerSdp) {
    throw new OpenAIWebRTCError('invalid_bootstrap', 'The bootstrap has no answerSdp (is the route configured for openai-webrtc?).');
  }
  return b as UnifiedBootstrap;
}
