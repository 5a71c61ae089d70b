/**
 * Keeps the screen awake while a session is active (Screen Wake Lock API): taken when the session
 * becomes active, released when it ends, and taken again when the page becomes visible (browsers
 * release the lock of a hidden page themselves). Where the API is missing, or the browser refuses,
 * nothing happens but a log line: a session never fails for it.
 */
import { errorMessage, type ManagerLog } from './manager-log.js';

/** The one lock held: what `navigator.wakeLock.request('screen')` resolves with. */
export interface WakeLockHandle {
  readonly released?: boolean;
  release(): Promise<void>;
  addEventListener?(type: 'release', listener: () => void): void;
}

/** Where the lock comes from; the browser's by default, injectable for tests and other hosts. */
export interface WakeLockEnvironment {
  request(): Promise<WakeLockHandle>;
  /** Whether the page is visible (a hidden page cannot take the lock). */
  visible(): boolean;
  /** Calls `listener` whenever the page's visibility changes; returns an unsubscribe. */
  onVisibilityChange(listener: () => void): () => void;
}

/** The browser's Screen Wake Lock, or null where there is none (SSR, older browsers). */
export function browserWakeLock(): WakeLockEnvironment | null {
  if (typeof navigator === 'undefined' || typeof document === 'undefined') return null;
  const api = (navigator as Navigator & { wakeLock?: { request(type: 'screen'): Promise<WakeLockHandle> } }).wakeLock;
  if (!api || typeof api.request !== 'function') return null;
  return {
    request: () => api.request('screen'),
    visible: () => document.visibilityState === 'visible',
    onVisibilityChange(listener) {
      document.addEventListener('visibilitychange', listener);
      return () => document.removeEventListener('visibilitychange', listener);
    },
  };
}

export class ScreenWakeLock {
  #enabled: boolean;
  #wanted = false;
  #held: WakeLockHandle | null = null;
  #requesting = false;
  #offVisibility: (() => void) | null = null;
  #environment: WakeLockEnvironment | null | undefined;

  constructor(
    private readonly log: ManagerLog,
    enabled: boolean,
    private readonly environment: () => WakeLockEnvironment | null = browserWakeLock,
  ) {
    this.#enabled = enabled;
  }

  /** Whether a lock is held right now. */
  get held(): boolean {
    return this.#held !== null && this.#held.released !== true;
  }

  setEnabled(enabled: boolean): void {
    this.#enabled = enabled;
    this.#sync();
  }

  /** The session became active (true) or ended (false). */
  sessionActive(active: boolean): void {
    if (active === this.#wanted) return;
    this.#wanted = active;
    const env = this.#env();
    if (active && env) this.#offVisibility ??= env.onVisibilityChange(() => this.#sync());
    if (!active) {
      this.#offVisibility?.();
      this.#offVisibility = null;
    }
    this.#sync();
  }

  #env(): WakeLockEnvironment | null {
    if (this.#environment === undefined) this.#environment = this.environment();
    return this.#environment;
  }

  #sync(): void {
    const env = this.#env();
    if (!env) return;
    const want = this.#wanted && this.#enabled;
    if (!want) {
      this.#release();
      return;
    }
    if (this.held || this.#requesting || !env.visible()) return;
    this.#requesting = true;
    env.request().then(
      (handle) => {
        this.#requesting = false;
        if (!(this.#wanted && this.#enabled)) {
          void handle.release().catch(() => {});
          return;
        }
        this.#held = handle;
        // The browser releases it when the page is hidden; it is taken again when it is visible.
        handle.addEventListener?.('release', () => {
          if (this.#held === handle) this.#held = null;
        });
        this.log.debug('screen wake lock taken');
        // Visibility may have changed while the request ran.
        this.#sync();
      },
      (error: unknown) => {
        this.#requesting = false;
        this.log.debug('screen wake lock refused', { error: errorMessage(error) });
      },
    );
  }

  #release(): void {
    const held = this.#held;
    this.#held = null;
    if (!held || held.released) return;
    held.release().then(
      () => this.log.debug('screen wake lock released'),
      (error: unknown) => this.log.debug('screen wake lock release failed', { error: errorMessage(error) }),
    );
  }
}
