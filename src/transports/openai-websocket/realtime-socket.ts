/**
 * One WebSocket to an OpenAI-compatible Realtime endpoint: JSON events in and out (the protocol
 * client's {@link EventChannel}), and the wait for `session.created` that opens it, which a timeout,
 * an AbortSignal and the socket's own death can all end.
 * @packageDocumentation
 */
import { abortError } from '../abort.js';
import type { EventChannel } from '../protocol/protocol-client.js';
import type { ServerEvent } from '../protocol/output-audio.js';
import { OpenAIServerError } from '../protocol/server-error.js';
import { OpenAIWebSocketError } from './errors.js';

export type { ServerEvent } from '../protocol/output-audio.js';

/** How the socket ended. */
export interface SocketClosed {
  code: number;
  reason: string;
  /** True when `close()` was called on this side. */
  intentional: boolean;
}

/** Ends a wait: return the event (done), `undefined` (keep waiting) or an Error (fail). */
type EventMatcher<T> = (event: ServerEvent) => T | undefined | Error;

/** The subprotocol prefix through which a browser passes its key (it cannot set headers). */
const KEY_PROTOCOL = 'openai-insecure-api-key.';

export class RealtimeSocket implements EventChannel {
  #ws: WebSocket;
  #events = new Set<(event: ServerEvent) => void>();
  #closeListeners = new Set<(closed: SocketClosed) => void>();
  #invalid = new Set<(text: string) => void>();
  #closed: SocketClosed | null = null;
  #intentional = false;

  /** Opens the socket; use {@link RealtimeSocket.connect} to also wait for `session.created`. */
  constructor(url: string, secret: string) {
    this.#ws = new WebSocket(url, ['realtime', `${KEY_PROTOCOL}${secret}`]);
    this.#ws.addEventListener('message', this.#onMessage);
    this.#ws.addEventListener('close', this.#onClose);
    // `error` is always followed by `close` in browsers, but reporting it at once saves a round of waiting.
    this.#ws.addEventListener('error', this.#onError);
  }

  /**
   * Opens a socket and resolves with it once the server sent `session.created`. Anything else ends in
   * `connection_failed`: refused or closed (`reason` `closed`), an `error` from the provider
   * (`refused`, `providerCode`), or no `session.created` within `timeoutMs` (`timeout`).
   */
  static async connect(url: string, secret: string, options: { signal: AbortSignal; timeoutMs: number }): Promise<RealtimeSocket> {
    const socket = new RealtimeSocket(url, secret);
    try {
      await socket.#waitFor((event) => (event.type === 'session.created' ? event : refusal(event)), options);
      return socket;
    } catch (error) {
      socket.close();
      throw error;
    }
  }

  /** True while events can be sent. */
  get open(): boolean {
    return this.#closed === null && this.#ws.readyState === WebSocket.OPEN;
  }

  get readyState(): number {
    return this.#ws.readyState;
  }

  /** Sends one serialized client event; throws `not_connected` when the socket is not open. */
  send(data: string): void {
    if (!this.open) throw new OpenAIWebSocketError('not_connected', 'Cannot send: the socket is not open.');
    this.#ws.send(data);
  }

  onEvent(listener: (event: ServerEvent) => void): () => void {
    this.#events.add(listener);
    return () => this.#events.delete(listener);
  }

  onClose(listener: (closed: SocketClosed) => void): () => void {
    this.#closeListeners.add(listener);
    return () => this.#closeListeners.delete(listener);
  }

  /** Frames that are not JSON events (reported, then ignored). */
  onInvalid(listener: (text: string) => void): () => void {
    this.#invalid.add(listener);
    return () => this.#invalid.delete(listener);
  }

  /** Resolves with the first event `match` accepts; rejects on a matcher Error, the timeout, the signal or the socket's end. */
  #waitFor<T>(match: EventMatcher<T>, options: { timeoutMs: number; signal: AbortSignal }): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const cleanup: Array<() => void> = [];
      const finish = (settle: () => void): void => {
        for (const undo of cleanup) undo();
        settle();
      };
      if (options.signal.aborted) return reject(abortError());
      if (this.#closed) return reject(closedError(this.#closed));
      cleanup.push(
        this.onEvent((event) => {
          const result = match(event);
          if (result === undefined) return;
          finish(() => (result instanceof Error ? reject(result) : resolve(result)));
        }),
        this.onClose((closed) => finish(() => reject(closedError(closed)))),
      );
      const timer = setTimeout(
        () =>
          finish(() =>
            reject(new OpenAIWebSocketError('connection_failed', `No session.created within ${options.timeoutMs} ms.`, { reason: 'timeout' })),
          ),
        options.timeoutMs,
      );
      cleanup.push(() => clearTimeout(timer));
      const onAbort = (): void => finish(() => reject(abortError()));
      options.signal.addEventListener('abort', onAbort, { once: true });
      cleanup.push(() => options.signal.removeEventListener('abort', onAbort));
    });
  }

  /** Closes from this side (no `connection:lost`); idempotent. Listeners hear one `intentional` close. */
  close(): void {
    if (this.#closed) return;
    this.#intentional = true;
    try {
      this.#ws.close(1000, 'client closed');
    } catch {
      // Closing a socket that never opened can throw in old engines; it is closed either way.
    }
    this.#finish(1000, 'client closed');
  }

  #onMessage = (message: MessageEvent): void => {
    if (this.#closed) return;
    let event: unknown;
    try {
      event = typeof message.data === 'string' ? JSON.parse(message.data) : undefined;
    } catch {
      event = undefined;
    }
    if (typeof event !== 'object' || event === null || typeof (event as ServerEvent).type !== 'string') {
      const text = typeof message.data === 'string' ? message.data.slice(0, 200) : '(binary frame)';
      for (const listener of [...this.#invalid]) listener(text);
      return;
    }
    for (const listener of [...this.#events]) listener(event as ServerEvent);
  };

  #onClose = (event: CloseEvent): void => this.#finish(event.code, event.reason);

  #onError = (): void => this.#finish(1006, 'socket error');

  #finish(code: number, reason: string): void {
    if (this.#closed) return;
    this.#closed = { code, reason, intentional: this.#intentional };
    this.#ws.removeEventListener('message', this.#onMessage);
    this.#ws.removeEventListener('close', this.#onClose);
    this.#ws.removeEventListener('error', this.#onError);
    if (!this.#intentional) {
      try {
        this.#ws.close();
      } catch {
        // Already closing.
      }
    }
    const closed = this.#closed;
    for (const listener of [...this.#closeListeners]) listener(closed);
    this.#closeListeners.clear();
    this.#events.clear();
    this.#invalid.clear();
  }
}

/** An `error` event before `session.created`: the provider refused the connection. */
function refusal(event: ServerEvent): OpenAIWebSocketError | undefined {
  if (event.type !== 'error') return undefined;
  const body = typeof event.error === 'object' && event.error !== null ? (event.error as Record<string, unknown>) : {};
  const message = typeof body.message === 'string' ? body.message : 'The realtime provider reported an error.';
  const providerCode = typeof body.code === 'string' ? body.code : undefined;
  return new OpenAIWebSocketError('connection_failed', `The provider refused the connection: ${message}`, {
    reason: 'refused',
    providerCode,
    cause: new OpenAIServerError(message, providerCode ? { providerCode } : {}),
  });
}

function closedError(closed: SocketClosed): OpenAIWebSocketError {
  return new OpenAIWebSocketError(
    'connection_failed',
    `The socket closed (code ${closed.code}${closed.reason ? `: ${closed.reason}` : ''}) before the session was created.`,
    { reason: 'closed' },
  );
}
