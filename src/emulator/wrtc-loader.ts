type Wrtc = typeof import('@roamhq/wrtc');

let wrtcPromise: Promise<Wrtc> | undefined;

/**
 * Loads @roamhq/wrtc on first use: it is an optional peer dependency, and a WebSocket-only user of
 * the emulator should not need a native WebRTC build.
 */
export function loadWrtc(): Promise<Wrtc> {
  wrtcPromise ??= import('@roamhq/wrtc').then((mod) => {
    installExitGuard();
    return ((mod as { default?: Wrtc }).default ?? mod) as Wrtc;
  });
  wrtcPromise.catch(() => (wrtcPromise = undefined));
  return wrtcPromise;
}

/**
 * Every native object a call made, kept until the process ends. @roamhq/wrtc can crash the process
 * (SIGSEGV) when the garbage collector finalizes a closed peer connection or audio source mid-run
 * (WonderInventions/node-webrtc#35: `~RTCPeerConnection` from `FinalizeCallback`), which killed the
 * test runner in the middle of a run. Closed objects hold little (their tracks stopped, their
 * connection closed); never finalizing them trades that for a process that does not die, and the
 * exit guard below skips their finalization at exit too.
 */
const retained: unknown[] = [];

/** Keeps `objects` from ever being finalized (see {@link retained}). */
export function retainNative(...objects: unknown[]): void {
  retained.push(...objects);
}

/** How many native objects are kept (for tests and the emulator's status). */
export function retainedNativeCount(): number {
  return retained.length;
}

let guarded = false;

/**
 * @roamhq/wrtc 0.10 crashes the process (SIGSEGV in `napi_reference_unref`, from
 * `RTCAudioSource`'s destructor) when Node finalizes its objects while tearing the environment
 * down after a natural exit. Leaving through `process.exit()` skips that teardown. The guard does
 * so from the `exit` event, when no JavaScript work is left, after running the `exit` listeners
 * registered after it as `emit` would have, and with the exit code unchanged.
 */
function installExitGuard(): void {
  if (guarded) return;
  guarded = true;
  const guard = (code: number): void => {
    const listeners = process.listeners('exit');
    for (const listener of listeners.slice(listeners.indexOf(guard) + 1)) listener.call(process, code);
    // Inside the exit event Node does not emit it again: this goes straight to the C exit.
    process.exit(process.exitCode ?? code);
  };
  process.on('exit', guard);
}
