import { downmix } from './pcm.js';
import type { SessionChannel } from './channels.js';
import type { TrackAudioOutput } from './responder.js';
import { TrackPlayer, type AudioFrameSink } from './track-player.js';
import { loadWrtc, retainNative } from './wrtc-loader.js';

/** How long the answer waits for ICE gathering (the client gets no trickled candidates). */
const GATHER_TIMEOUT_MS = 5000;
/** A call whose data channel never opens is abandoned after this. */
const OPEN_TIMEOUT_MS = 30_000;
/** ICE `disconnected` can recover; give it this long before ending the session. */
const DISCONNECT_GRACE_MS = 3000;
/** After a goodbye, the data channel gets this long to deliver what it holds before the call hangs up. */
const GOODBYE_GRACE_MS = 2000;

/** What a peer connection drives: a Realtime session, or a Live one (src/emulator/live/). */
export interface PeerSession {
  trackAudio: TrackAudioOutput | undefined;
  attach(channel: SessionChannel): void;
  receive(text: string): void;
  appendTrackAudio(samples: Int16Array, sampleRate: number): void;
  playbackStarted(responseId: string): void;
  playbackStopped(responseId: string): void;
  onClose(listener: (reason: string) => void): () => void;
  close(reason: string): void;
}

/**
 * Answers a WebRTC offer for `session`: a real peer connection that receives the client's
 * `oai-events` data channel and microphone, and sends the assistant's voice on an audio track.
 * Resolves with the answer SDP once ICE gathering is complete, since the client (like OpenAI's
 * API) exchanges no further candidates; the client's own addresses arrive as peer-reflexive.
 */
export async function answerOffer(session: PeerSession, offerSdp: string, loopbackOnly: boolean): Promise<string> {
  const wrtc = await loadWrtc();
  const pc = new wrtc.RTCPeerConnection({ iceServers: [] });
  const source = new wrtc.nonstandard.RTCAudioSource();
  const track = source.createTrack();
  retainNative(pc, source, track);
  const player = new TrackPlayer(source as unknown as AudioFrameSink, {
    started: (id) => session.playbackStarted(id),
    stopped: (id) => session.playbackStopped(id),
  });
  const sinks: Array<{ stop(): void }> = [];
  let disconnectTimer: NodeJS.Timeout | undefined;
  let tornDown = false;
  /** A goodbye (the session cap) is closing the data channel: what it still holds goes out first. */
  let closing = false;

  const teardown = (): void => {
    if (tornDown) return;
    tornDown = true;
    clearTimeout(openTimer);
    clearTimeout(disconnectTimer);
    player.stop();
    for (const sink of sinks) sink.stop();
    try {
      track.stop();
    } catch {
      // Already stopped.
    }
    pc.close();
  };
  const openTimer = setTimeout(() => session.close('data channel never opened'), OPEN_TIMEOUT_MS);
  session.onClose(() => {
    if (!closing) teardown();
  });

  pc.ontrack = (event) => {
    if (event.track.kind !== 'audio') return;
    const sink = new wrtc.nonstandard.RTCAudioSink(event.track);
    retainNative(sink, event.track);
    sinks.push(sink);
    sink.ondata = (data: { samples: Int16Array; sampleRate: number; channelCount?: number }) => {
      session.appendTrackAudio(downmix(data.samples, data.channelCount ?? 1), data.sampleRate);
    };
  };

  pc.ondatachannel = (event) => {
    const channel = event.channel;
    retainNative(channel);
    if (channel.label !== 'oai-events') return;
    const wire: SessionChannel = {
      get open() {
        return channel.readyState === 'open';
      },
      send: (text) => channel.send(text),
      drop: () => teardown(),
      // The data channel's own close sends what is queued (the session_expired error) before it
      // closes; the call hangs up when it has, or after a grace period.
      close: () => {
        closing = true;
        channel.close();
        setTimeout(teardown, GOODBYE_GRACE_MS).unref?.();
      },
    };
    // wrtc can deliver a message before the channel's open event; such frames wait for the session.
    let early: string[] | undefined = [];
    const start = (): void => {
      if (!early) return;
      const waiting = early;
      early = undefined;
      clearTimeout(openTimer);
      session.trackAudio = player;
      player.start();
      session.attach(wire);
      for (const text of waiting) session.receive(text);
    };
    channel.onmessage = (message: MessageEvent) => {
      const data: unknown = message.data;
      const text = typeof data === 'string' ? data : Buffer.from(data as ArrayBuffer).toString('utf8');
      // A channel that says it is open while its open event has not come (or never will) starts now:
      // waiting for the event would hold the client's session.update, and its ack, until the call dies.
      if (early && channel.readyState === 'open') start();
      if (early) early.push(text);
      else session.receive(text);
    };
    channel.onclose = () => {
      session.close('data channel closed');
      if (closing) teardown();
    };
    if (channel.readyState === 'open') start();
    else channel.onopen = start;
  };

  pc.onconnectionstatechange = () => {
    const state = pc.connectionState;
    if (state === 'failed' || state === 'closed') session.close(`peer connection ${state}`);
    else if (state === 'disconnected') {
      clearTimeout(disconnectTimer);
      disconnectTimer = setTimeout(() => {
        if (pc.connectionState === 'disconnected') session.close('peer connection disconnected');
      }, DISCONNECT_GRACE_MS);
    } else if (state === 'connected') clearTimeout(disconnectTimer);
  };

  try {
    await pc.setRemoteDescription({ type: 'offer', sdp: offerSdp });
    // Reuses the offer's audio transceiver; the stream is what the browser client plays.
    pc.addTrack(track, new wrtc.MediaStream([track]));
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    await gatheringComplete(pc);
  } catch (error) {
    session.close('invalid offer');
    throw error;
  }
  const sdp = pc.localDescription?.sdp ?? '';
  return loopbackOnly ? keepLoopbackCandidates(sdp) : sdp;
}

function gatheringComplete(pc: RTCPeerConnection): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, GATHER_TIMEOUT_MS);
    pc.addEventListener('icegatheringstatechange', () => {
      if (pc.iceGatheringState === 'complete') {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

/**
 * Removes candidates on other interfaces from the answer, so a loopback-bound emulator is reached
 * over loopback only (and a test never depends on the machine's network).
 */
export function keepLoopbackCandidates(sdp: string): string {
  return sdp
    .split(/\r\n/)
    .filter((line) => {
      if (!line.startsWith('a=candidate:')) return true;
      const address = line.split(' ')[4] ?? '';
      return address === '127.0.0.1' || address === '::1';
    })
    .join('\r\n');
}
