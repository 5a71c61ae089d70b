/**
 * Loss detection for one live WebRTC connection. agents-realtime reports a dead call only after ICE
 * times out plus its own 5 s grace (~12 s, ../shared/FIELD-NOTES.md), while the data channel closes
 * within milliseconds of the server hanging up; so the adapters watch the channel and the peer
 * themselves and report a loss at once.
 */
import { RealtimeTransportError } from '../errors.js';
import type { ConnectionLossCause } from '../types.js';

/** What is watched. */
export interface WatchedConnection {
  pc: RTCPeerConnection;
  dc: RTCDataChannel;
}

/** Options of {@link ConnectionWatch}. */
export interface ConnectionWatchOptions {
  /** How long `disconnected` may last before it counts as lost, in ms. */
  disconnectGraceMs: number;
  /** Called once, with the first cause found. */
  onLost(cause: ConnectionLossCause, error?: Error): void;
}

export class ConnectionWatch {
  readonly #target: WatchedConnection;
  readonly #options: ConnectionWatchOptions;
  #graceTimer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  readonly #check = () => this.check();
  readonly #health = () => this.#healthCheck();
  readonly #onVisibility = () => {
    if (document.visibilityState === 'visible') this.#healthCheck();
  };
  readonly #onChannelClose = () => this.#lost('data-channel-closed', 'The realtime data channel closed.');

  constructor(target: WatchedConnection, options: ConnectionWatchOptions) {
    this.#target = target;
    this.#options = options;
  }

  /** Starts watching (and checks at once: the state may have changed before). */
  start(): void {
    const { pc, dc } = this.#target;
    dc.addEventListener('close', this.#onChannelClose);
    pc.addEventListener('connectionstatechange', this.#check);
    pc.addEventListener('iceconnectionstatechange', this.#check);
    // After sleep, a network change or a page restored from the back/forward cache, the events
    // above may never come: look at the connection instead of waiting for ICE timeouts.
    if (typeof window !== 'undefined') {
      window.addEventListener('online', this.#health);
      window.addEventListener('pageshow', this.#health);
    }
    if (typeof document !== 'undefined') document.addEventListener('visibilitychange', this.#onVisibility);
    this.check();
  }

  /** Looks at the connection now; reports a loss or starts the `disconnected` grace. */
  check(): void {
    if (this.#stopped) return;
    const { pc, dc } = this.#target;
    if (dc.readyState === 'closing' || dc.readyState === 'closed') {
      return this.#lost('data-channel-closed', 'The realtime data channel closed.');
    }
    const state = pc.connectionState;
    const ice = pc.iceConnectionState;
    if (state === 'closed' || ice === 'closed') return this.#lost('peer-closed', 'The peer connection closed.');
    if (state === 'failed' || ice === 'failed') return this.#lost('ice-failed', 'The peer connection failed (ICE).');
    if (state === 'disconnected' || ice === 'disconnected') {
      this.#graceTimer ??= setTimeout(() => {
        this.#graceTimer = undefined;
        const now = this.#target.pc;
        if (now.connectionState === 'disconnected' || now.iceConnectionState === 'disconnected') {
          this.#lost('ice-disconnected', `The peer connection stayed disconnected for ${this.#options.disconnectGraceMs} ms.`);
        } else {
          this.check();
        }
      }, this.#options.disconnectGraceMs);
      return;
    }
    // Recovered (or still connecting): a pending grace is moot.
    clearTimeout(this.#graceTimer);
    this.#graceTimer = undefined;
  }

  /** Stops watching; no loss is reported afterwards. Idempotent. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    clearTimeout(this.#graceTimer);
    this.#graceTimer = undefined;
    const { pc, dc } = this.#target;
    dc.removeEventListener('close', this.#onChannelClose);
    pc.removeEventListener('connectionstatechange', this.#check);
    pc.removeEventListener('iceconnectionstatechange', this.#check);
    if (typeof window !== 'undefined') {
      window.removeEventListener('online', this.#health);
      window.removeEventListener('pageshow', this.#health);
    }
    if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', this.#onVisibility);
  }

  /** A health check found on a wake-up event: a dead connection is reported as such. */
  #healthCheck(): void {
    if (this.#stopped) return;
    const { pc, dc } = this.#target;
    const dead = dc.readyState !== 'open' || ['failed', 'closed'].includes(pc.connectionState) || ['failed', 'closed'].includes(pc.iceConnectionState);
    if (dead) return this.#lost('health-check-failed', `Health check failed (channel ${dc.readyState}, peer ${pc.connectionState}, ICE ${pc.iceConnectionState}).`);
    this.check();
  }

  #lost(cause: ConnectionLossCause, message: string): void {
    if (this.#stopped) return;
    this.stop();
    this.#options.onLost(cause, new RealtimeTransportError('connection_lost', message));
  }
}
