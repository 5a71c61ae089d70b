/**
 * One AudioContext per transport, created on first use (never at import), resumable from a user
 * gesture (`prepare()`), closed on release.
 */
import { AudioDeviceError } from './errors.js';

export class AudioContextOwner {
  #context: AudioContext | null = null;

  constructor(private readonly options: AudioContextOptions = { latencyHint: 'interactive' }) {}

  /** The context, created if needed. */
  get context(): AudioContext {
    if (!this.#context || this.#context.state === 'closed') {
      if (typeof AudioContext === 'undefined') {
        throw new AudioDeviceError('audio_unavailable', 'Web Audio is not available in this environment.');
      }
      this.#context = new AudioContext(this.options);
    }
    return this.#context;
  }

  get created(): boolean {
    return this.#context !== null && this.#context.state !== 'closed';
  }

  /** Creates and resumes the context; call from a click or key handler so autoplay rules allow it. */
  async prepare(): Promise<AudioContext> {
    const context = this.context;
    if (context.state === 'suspended') await context.resume();
    return context;
  }

  async close(): Promise<void> {
    const context = this.#context;
    this.#context = null;
    if (context && context.state !== 'closed') await context.close();
  }
}
