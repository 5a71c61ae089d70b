/**
 * One AudioContext per session, created on first use (never at import), resumable from a user gesture
 * (`prepare()`), closed when the session ends so the next one starts fresh.
 *
 * While it is open it keeps the context running: engines suspend a context on their own (Safari when
 * the tab goes to the background or another app takes the audio session, WebKit at creation without a
 * gesture). When the page is visible again, or the context leaves `running` while it is, the owner
 * resumes it; where the engine wants a gesture for that, the next pointer or key press anywhere on the
 * page resumes it.
 */
import { AudioDeviceError } from './errors.js';

/** Events that count as a user gesture for resuming audio. */
const GESTURES = ['pointerdown', 'pointerup', 'keydown', 'touchend'] as const;

export class AudioContextOwner {
  #context: AudioContext | null = null;
  #unwatch: (() => void) | null = null;

  constructor(private readonly options: AudioContextOptions = { latencyHint: 'interactive' }) {}

  /** The context, created if needed. */
  get context(): AudioContext {
    if (!this.#context || this.#context.state === 'closed') {
      if (typeof AudioContext === 'undefined') {
        throw new AudioDeviceError('audio_unavailable', 'Web Audio is not available in this environment.');
      }
      this.#unwatch?.();
      this.#context = new AudioContext(this.options);
      this.#unwatch = keepRunning(this.#context);
    }
    return this.#context;
  }

  get created(): boolean {
    return this.#context !== null && this.#context.state !== 'closed';
  }

  /**
   * Creates and resumes the context; call from a click or key handler so autoplay rules allow it. The
   * context is created and `resume()` called before this returns (before any await), which is what
   * the gesture rules look at.
   */
  async prepare(): Promise<AudioContext> {
    const context = this.context;
    // Not only 'suspended': Safari's 'interrupted' (another app took the audio session) resumes the same way.
    if (context.state !== 'running') await context.resume();
    return context;
  }

  async close(): Promise<void> {
    const context = this.#context;
    this.#context = null;
    this.#unwatch?.();
    this.#unwatch = null;
    if (context && context.state !== 'closed') await context.close();
  }
}

/** Resumes `context` whenever the engine stopped it and the page is visible; returns the stop function. */
function keepRunning(context: AudioContext): () => void {
  if (typeof document === 'undefined') return () => {};
  let armed = false;
  const disarm = (): void => {
    if (!armed) return;
    armed = false;
    for (const type of GESTURES) document.removeEventListener(type, onGesture, true);
  };
  // Armed until the context runs again (statechange disarms): a gesture the engine did not accept
  // leaves the next one to try.
  const onGesture = (): void => {
    if (context.state !== 'running' && context.state !== 'closed') void context.resume().catch(() => {});
  };
  const revive = (): void => {
    if (context.state === 'closed') return stop();
    if (context.state === 'running') return disarm();
    if (document.visibilityState !== 'visible') return;
    // Not awaited: without a gesture some engines never settle resume(). The next gesture tries again.
    void context.resume().catch(() => {});
    if (!armed) {
      armed = true;
      for (const type of GESTURES) document.addEventListener(type, onGesture, { capture: true, passive: true });
    }
  };
  const stop = (): void => {
    disarm();
    context.removeEventListener('statechange', revive);
    document.removeEventListener('visibilitychange', revive);
  };
  context.addEventListener('statechange', revive);
  document.addEventListener('visibilitychange', revive);
  return stop;
}
