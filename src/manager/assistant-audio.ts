/**
 * Whether the assistant's voice is playing, and the lip-sync level relayed while it does. Whatever
 * ends the audio (the provider, interrupt, a barge-in, a loss, stop), a zero level goes out right
 * before `tts:audio:end`, and no level after it, so a mouth driven by events closes and stays closed.
 */
import { BoundedSet } from './bounded-set.js';
import type { StateStore } from './state-store.js';

/** Why audio ended, as `tts:audio:end` reports it. */
export type AudioEndReason = 'stopped' | 'cleared' | 'interrupted' | 'disconnected';

export class AssistantAudio {
  #playing: { responseId: string | undefined } | null = null;
  /** Responses whose playback ended: one playback per response, so a late start is dropped. */
  #ended = new BoundedSet<string>(256);

  constructor(
    private readonly state: StateStore,
    private readonly sessionId: () => string,
  ) {}

  start(responseId: string | undefined): void {
    if (this.#playing || (responseId !== undefined && this.#ended.has(responseId))) return;
    this.#playing = { responseId };
    this.state.set({ audioPlaying: true });
    this.state.emit('tts:audio:start', { sessionId: this.sessionId(), responseId });
  }

  /** The transport reports the end of a playback (which may be another response's than the one playing). */
  endedByTransport(reason: AudioEndReason, responseId: string | undefined): void {
    if (responseId !== undefined) this.#ended.add(responseId);
    const playing = this.#playing?.responseId;
    if (responseId !== undefined && playing !== undefined && responseId !== playing) return;
    this.end(reason, responseId);
  }

  /** Ends the playback, if any, with the mouth closed first. */
  end(reason: AudioEndReason, responseId?: string): void {
    if (!this.#playing) return;
    const playing = this.#playing.responseId;
    if (playing !== undefined) this.#ended.add(playing);
    this.#playing = null;
    this.state.batch(() => {
      this.state.set({ audioPlaying: false });
      this.state.emit('tts:lipsync:update', { rms: 0 });
      this.state.emit('tts:audio:end', { sessionId: this.sessionId(), responseId, reason });
    });
  }

  /** A level from the transport's analyser: relayed only while audio plays, clamped to [0, 1]. */
  level(level: number): void {
    if (!this.#playing || typeof level !== 'number' || !Number.isFinite(level)) return;
    this.state.emit('tts:lipsync:update', { rms: Math.min(1, Math.max(0, level)) });
  }

  reset(): void {
    this.#playing = null;
    this.#ended.clear();
  }
}
