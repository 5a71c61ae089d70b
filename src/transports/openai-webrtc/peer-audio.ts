/**
 * The audio of a peer connection the page makes itself (`openai-webrtc`, `openai-live-webrtc`): the
 * microphone track goes out, the provider's voice comes back into the page's `<audio>` element and to
 * the voice-level source.
 */

/** Sends `stream`'s microphone track on `pc` (a track-less line when there is none) and plays what comes back. */
export function attachPeerAudio(
  pc: RTCPeerConnection,
  stream: MediaStream | null | undefined,
  audioElement: HTMLAudioElement,
  onRemoteStream: (stream: MediaStream) => void,
  missingTrack: () => Error,
): void {
  const track = stream?.getAudioTracks()[0];
  if (stream && !track) throw missingTrack();
  // Without a microphone, a track-less line the microphone can join later with replaceTrack.
  if (track) pc.addTrack(track, stream!);
  else pc.addTransceiver('audio', { direction: 'sendrecv' });
  pc.addEventListener('track', (event) => {
    const remote = event.streams[0] ?? new MediaStream([event.track]);
    audioElement.srcObject = remote;
    void audioElement.play().catch(() => {
      // Autoplay refused: the page must call prepareAudio() from a gesture; the level still works.
    });
    onRemoteStream(remote);
  });
}
