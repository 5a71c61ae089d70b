/**
 * The WebRTC output audio path: the provider plays the assistant from a server-side buffer on the
 * media track and reports it with `output_audio_buffer.started/stopped/cleared`. An interrupt clears
 * that buffer and truncates the heard item at the time it played (the track has no sample count the
 * page can read, so elapsed time since `started` is the measure).
 * @packageDocumentation
 */
import * as events from '../protocol/client-events.js';
import type { OutputAudioHost, OutputAudioPath, ServerEvent } from '../protocol/output-audio.js';

export class ServerOutputBuffer implements OutputAudioPath {
  #host: OutputAudioHost | undefined;
  #playing: { responseId: string | undefined; startedAt: number } | undefined;

  /** `now`: clock for played positions (default `performance.now`). */
  constructor(private readonly now: () => number = () => performance.now()) {}

  get playing(): boolean {
    return this.#playing !== undefined;
  }

  attach(host: OutputAudioHost): void {
    this.#host = host;
    this.#playing = undefined;
  }

  receive(event: ServerEvent): 'consumed' | undefined {
    switch (event.type) {
      case 'output_audio_buffer.started':
        this.#playing = { responseId: typeof event.response_id === 'string' ? event.response_id : undefined, startedAt: this.now() };
        return undefined;
      case 'output_audio_buffer.stopped':
      case 'output_audio_buffer.cleared':
        // Already ended here (interrupt): the provider's confirmation is not a second end.
        if (!this.#playing) return 'consumed';
        this.#playing = undefined;
        return undefined;
      default:
        return undefined;
    }
  }

  async interrupt(): Promise<void> {
    const host = this.#host;
    if (!host) return;
    host.sendBestEffort(events.outputAudioBufferClear());
    const playing = this.#playing;
    if (!playing) return;
    this.#playing = undefined;
    const itemId = host.assistantItem(playing.responseId);
    if (itemId) host.sendBestEffort(events.truncate(itemId, this.now() - playing.startedAt));
    host.emit({ name: 'audio:end', payload: { ...(playing.responseId ? { responseId: playing.responseId } : {}), reason: 'interrupted' } });
  }

  detach(): void {
    this.#host = undefined;
    this.#playing = undefined;
  }
}
