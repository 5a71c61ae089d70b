/**
 * The microphone as the state shows it: what the transport reports for the running connection
 * (`live`, `denied`, `absent`, `unavailable`), with the page's mute on top (`muted`), and `off` when no
 * session runs. Each change is one `realtime:microphone` event; a denied or missing microphone leaves
 * the session running for typed turns.
 */
import type { TransportMicrophoneStatus } from '../transports/types.js';
import type { StateStore } from './state-store.js';
import type { MicrophoneStatus } from './types.js';

const REPORTED: readonly TransportMicrophoneStatus[] = ['live', 'denied', 'absent', 'unavailable'];

export class MicrophoneTracker {
  #reported: TransportMicrophoneStatus | null = null;
  #error: { code: string; message: string } | null = null;
  #muted = false;

  constructor(
    private readonly state: StateStore,
    private readonly sessionId: () => string | null,
  ) {}

  get muted(): boolean {
    return this.#muted;
  }

  /** The status the state should show. */
  get status(): MicrophoneStatus {
    if (this.#reported === null) return 'off';
    if (this.#reported === 'live') return this.#muted ? 'muted' : 'live';
    return this.#reported;
  }

  setMuted(muted: boolean): void {
    this.#muted = muted;
    this.#publish();
  }

  /** What the transport reported (untrusted: anything unknown is ignored). */
  reported(status: unknown, error?: unknown): void {
    if (!REPORTED.includes(status as TransportMicrophoneStatus)) return;
    this.#reported = status as TransportMicrophoneStatus;
    this.#error = status === 'live' ? null : describe(error, status as TransportMicrophoneStatus);
    this.#publish();
  }

  /** The session ended: nothing is open any more. The mute stays the page's choice. */
  reset(): void {
    this.#reported = null;
    this.#error = null;
    this.#publish();
  }

  #publish(): void {
    const status = this.status;
    const previous = this.state.current.microphone;
    if (status === previous) return;
    const error = status === 'denied' || status === 'absent' || status === 'unavailable' ? this.#error : null;
    this.state.batch(() => {
      this.state.set({ microphone: status });
      this.state.emit('realtime:microphone', { sessionId: this.sessionId(), status, previous, ...(error ? { error } : {}) });
    });
  }
}

/** The error's code and message, or a stable stand-in when the transport gave none. */
function describe(error: unknown, status: TransportMicrophoneStatus): { code: string; message: string } {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : undefined;
  const fallback = {
    live: ['', ''],
    denied: ['microphone_permission_denied', 'Microphone access was denied.'],
    absent: ['microphone_not_found', 'No microphone was found.'],
    unavailable: ['microphone_busy', 'The microphone could not be started.'],
  }[status];
  return { code: typeof code === 'string' && code ? code : fallback[0]!, message: message || fallback[1]! };
}
