/**
 * Loads the capture and playback processors into an AudioContext without any file beside the bundle:
 * the module source is built from the functions' own text, handed to `addModule` as a Blob URL, and
 * the URL revoked once loaded (or, where the engine refuses that, as a data: URL). That survives every
 * build (ES library, single-file script tag) where a `new URL('./x.js', import.meta.url)` asset might
 * not be copied. Pages with a Content-Security-Policy must allow `blob:` (and `data:` for WebKit in
 * srcdoc frames) for scripts (worker-src/script-src) for this to load.
 * @packageDocumentation
 */
import { AudioDeviceError } from '../audio/errors.js';
import { defineAudioDsp } from './dsp.js';
import { CAPTURE_PROCESSOR, PLAYBACK_PROCESSOR, defineCaptureProcessor, definePlaybackProcessor } from './processors.js';

const loaded = new WeakMap<BaseAudioContext, Promise<void>>();

/** The worklet module's source text. */
export function workletSource(): string {
  return [
    // Bundlers that keep function names wrap inner functions in __name(); the worklet has no such helper.
    'var __name = (target) => target;',
    `const dsp = (${defineAudioDsp.toString()})();`,
    `(${defineCaptureProcessor.toString()})(dsp, ${JSON.stringify(CAPTURE_PROCESSOR)});`,
    `(${definePlaybackProcessor.toString()})(dsp, ${JSON.stringify(PLAYBACK_PROCESSOR)});`,
  ].join('\n');
}

/** Adds the processors to `context` (once per context; concurrent callers share the load). */
export function loadProcessors(context: BaseAudioContext): Promise<void> {
  let pending = loaded.get(context);
  if (!pending) {
    pending = addModule(context);
    loaded.set(context, pending);
    // A failed load may succeed later (e.g. a transient CSP or memory issue): do not cache failures.
    pending.catch(() => loaded.delete(context));
  }
  return pending;
}

async function addModule(context: BaseAudioContext): Promise<void> {
  if (!context.audioWorklet) {
    throw new AudioDeviceError('audio_unavailable', 'AudioWorklet is not available (it needs a secure context: https or localhost).');
  }
  const source = workletSource();
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  try {
    await context.audioWorklet.addModule(url);
  } catch (error) {
    // WebKit refuses a blob: module in an about:srcdoc frame as a cross-origin load; a data: URL loads
    // there (and everywhere else). Not for a context closed meanwhile (a stop during connect): that load
    // failed for good, and a retry that "succeeds" on the closed context would let a stopped session go
    // on opening. The first failure is the one reported.
    const failed = new AudioDeviceError('audio_unavailable', `Could not load the audio worklet: ${(error as Error).message}`, { cause: error });
    if ((context as AudioContext).state === 'closed') throw failed;
    try {
      await context.audioWorklet.addModule(`data:text/javascript;charset=utf-8,${encodeURIComponent(source)}`);
    } catch {
      throw failed;
    }
    if ((context as AudioContext).state === 'closed') throw failed;
  } finally {
    URL.revokeObjectURL(url);
  }
}
