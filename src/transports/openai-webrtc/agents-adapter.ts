/**
 * `openai-agents-webrtc`: `OpenAIRealtimeWebRTC` from `@openai/agents-realtime`, used as a transport
 * only (the manager owns tools and state, so no `RealtimeSession`). The SDK posts the offer with the
 * bootstrap's client secret and plays the assistant; this adapter keeps the session, the events and
 * loss detection in its own hands.
 * @packageDocumentation
 */
import { OpenAIRealtimeWebRTC } from '@openai/agents-realtime';
import type { AdapterDeps } from '../remote/adapters.js';
import { readSessionOpened } from '../remote/session-opened.js';
import type { RealtimeTransport } from '../types.js';
import { abortable, OpenAIWebRTCError, withTimeout } from './errors.js';
import { audioSender, sessionDefaults, type ConnectContext, type OpenAIWebRTCAdapterOptions, type PeerLink } from './connector.js';
import { OpenAIWebRTCTransport } from './webrtc-transport.js';

/** Options of {@link createAgentsWebRTCAdapter}. */
export interface AgentsWebRTCAdapterOptions extends OpenAIWebRTCAdapterOptions {
  /**
   * Lets the SDK use a client secret that does not start with `ek_` (a custom server's own tokens).
   * Never put a real API key in a page.
   */
  useInsecureApiKey?: boolean;
}

/**
 * The SDK's transport with its message handling contained. After emitting `*` (all this adapter
 * reads) the SDK parses items strictly and can throw out of the data channel listener into the page:
 * agents-realtime 0.20 requires `transcript` on user `input_audio` parts, which OpenAI's schema
 * leaves optional (OpenAI sends `null`; the emulator leaves it out). Its bookkeeping after such a
 * throw (item history for `RealtimeSession`) is not used here.
 */
class ContainedOpenAIRealtimeWebRTC extends OpenAIRealtimeWebRTC {
  protected override _onMessage(event: MessageEvent): void {
    try {
      super._onMessage(event);
    } catch {
      // See the class comment: the raw event already reached the adapter through `*`.
    }
  }
}

/** The fields of an `openai-agents-webrtc` bootstrap this adapter reads (the route validated the rest). */
interface AgentsBootstrap {
  clientSecret: { value: string };
  callsUrl: string;
  session?: unknown;
}

/**
 * Creates the `openai-agents-webrtc` transport. The remote client calls it with its deps; pass
 * options by wrapping it: `(deps) => createAgentsWebRTCAdapter(deps, { disconnectGraceMs: 1000 })`.
 */
export function createAgentsWebRTCAdapter(deps: AdapterDeps, options: AgentsWebRTCAdapterOptions = {}): RealtimeTransport {
  // The SDK makes its own offer after the bootstrap: the route is asked while the microphone opens.
  return new OpenAIWebRTCTransport(deps, (ctx) => connectWithAgents(ctx, options), options, { bootstrapWithoutOffer: true });
}

async function connectWithAgents(ctx: ConnectContext, options: AgentsWebRTCAdapterOptions): Promise<PeerLink> {
  const bootstrap = readBootstrap(await ctx.deps.bootstrap(undefined, ctx.signal));
  // The session the route minted, never the page's request: the SDK's first update carries it.
  const opened = readSessionOpened(bootstrap, ctx.request.session, (message) => new OpenAIWebRTCError('invalid_bootstrap', message));
  const defaults = sessionDefaults(opened.session, ctx.defaults);
  const wire = ctx.wire(opened.session, defaults);
  let hooked: { pc: RTCPeerConnection; dc: RTCDataChannel; client: ReturnType<ConnectContext['createClient']> } | undefined;
  let closed = false;
  // The SDK adds the stream's first audio track to its peer connection; without a microphone it gets
  // a silent stand-in, taken off again before the offer (the line stays, the track goes).
  const standIn = ctx.stream ? null : silentStream(ctx);

  const sdk = new ContainedOpenAIRealtimeWebRTC({
    baseUrl: bootstrap.callsUrl,
    mediaStream: ctx.stream ?? standIn!,
    audioElement: ctx.audioElement,
    ...(options.useInsecureApiKey ? { useInsecureApiKey: true } : {}),
    changePeerConnection: async (pc) => {
      if (standIn) {
        await audioSender(pc)?.replaceTrack(null);
        for (const track of standIn.getTracks()) track.stop();
      }
      const dc = sdk.connectionState.dataChannel;
      if (!dc) throw new OpenAIWebRTCError('connection_failed', 'agents-realtime created no data channel.');
      const client = ctx.createClient(dc);
      // The SDK sends session.update events of its own (the initial config, tracing); counting them
      // keeps the acks, which name no request, lined up with ours.
      client.watchForeignSends(dc);
      // Installed after the watch, so a dropped update is never counted as waiting for an ack.
      dropRestatedTracing(dc, wire.tracing ?? null);
      pc.addEventListener('track', (event) => ctx.onRemoteStream(event.streams[0] ?? new MediaStream([event.track])));
      hooked = { pc, dc, client };
      return pc;
    },
  });
  // Raw server events, parsed once by the SDK; the protocol client maps them.
  sdk.on('*', (event: unknown) => hooked?.client.receive(event));
  // The SDK reports its own failures here too; without a listener nothing would see them, and the
  // connection state is watched separately.
  sdk.on('error', () => {});

  const close = () => {
    if (closed) return;
    closed = true;
    try {
      sdk.close();
    } catch {
      // Best effort: the peer may already be gone.
    }
    // close() leaves a peer alone when the SDK had not recorded it yet; make sure it is closed.
    hooked?.pc.close();
  };

  try {
    const connecting = sdk.connect({
      apiKey: bootstrap.clientSecret.value,
      model: wire.model,
      initialSessionConfig: {
        // providerData is spread over the SDK's own session payload, so the wire session wins and
        // the SDK's defaults (semantic VAD, transcription model, …) never reach the provider.
        providerData: wire,
        // The SDK turns tracing on ("auto") unless told otherwise; whether a session is traced is
        // the server's choice, made when it created the session.
        tracing: (wire.tracing as never) ?? null,
      } as never,
    });
    const timeoutMs = ctx.options.connectTimeoutMs;
    await abortable(
      withTimeout(connecting, timeoutMs, () => new OpenAIWebRTCError('connection_failed', `The connection did not open within ${timeoutMs} ms.`, { reason: 'timeout' })),
      ctx.signal,
    );
    if (!hooked || sdk.status !== 'connected') {
      throw new OpenAIWebRTCError('connection_failed', 'agents-realtime resolved connect() without a live connection.');
    }
    // connect() also resolves after 5 s without an ack (with a warning): wait for the real one.
    await abortable(hooked.client.settled(), ctx.signal);
    return { pc: hooked.pc, dc: hooked.dc, client: hooked.client, defaults, opened, callId: sdk.callId, close };
  } catch (error) {
    hooked?.client.close();
    close();
    for (const track of standIn?.getTracks() ?? []) track.stop();
    if (error instanceof OpenAIWebRTCError || (error as Error)?.name === 'AbortError') throw error;
    throw new OpenAIWebRTCError('connection_failed', `Could not connect to the realtime provider: ${(error as Error)?.message ?? String(error)}`, {
      cause: error,
    });
  }
}

/**
 * Keeps the SDK's tracing-only `session.update` off the wire. On `session.created` the SDK always
 * sends one (`{ tracing }`, the value given to connect(), which is the minted session's own), after
 * its initial update: it restates what the session already has (the server chose tracing when it
 * minted the session, and OpenAI does not let it change afterwards), and waiting for its ack cost
 * every start a second round trip on the data channel.
 */
function dropRestatedTracing(channel: RTCDataChannel, tracing: unknown): void {
  const send = channel.send.bind(channel) as (data: unknown) => void;
  const restated = JSON.stringify(tracing);
  (channel as unknown as { send(data: unknown): void }).send = (data: unknown) => {
    if (typeof data === 'string' && data.includes('"tracing"') && data.includes('"session.update"')) {
      try {
        const event = JSON.parse(data) as { type?: unknown; event_id?: unknown; session?: Record<string, unknown> };
        const fields = Object.keys(event.session ?? {}).filter((key) => key !== 'type');
        if (event.type === 'session.update' && fields.length === 1 && fields[0] === 'tracing' && JSON.stringify(event.session!.tracing) === restated) return;
      } catch {
        // Not JSON: not this update; send it as it is.
      }
    }
    send(data);
  };
}

/** A stream with one silent audio track, from the shared AudioContext (nothing is heard or sent). */
function silentStream(ctx: ConnectContext): MediaStream {
  try {
    return ctx.deps.audio.context.createMediaStreamDestination().stream;
  } catch (error) {
    throw new OpenAIWebRTCError('connection_failed', `Could not make the silent track a session without a microphone needs: ${(error as Error)?.message ?? String(error)}`, { cause: error });
  }
}

function readBootstrap(value: unknown): AgentsBootstrap {
  const b = value as Partial<AgentsBootstrap> | null;
  if (typeof b?.clientSecret?.value !== 'string' || !b.clientSecret.value || typeof b.callsUrl !== 'string' || !b.callsUrl) {
    throw new OpenAIWebRTCError('invalid_bootstrap', 'The bootstrap has no clientSecret.value or callsUrl (is the route configured for openai-agents-webrtc?).');
  }
  return b as AgentsBootstrap;
}
