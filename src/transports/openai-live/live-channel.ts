/**
 * The `oai-events` data channel of one GPT-Live connection: sends client events (each with an
 * `event_id`, refused locally when the server's permissions leave them out), parses server events,
 * and pairs acknowledgements and errors with the command that caused them (`client_event_id`).
 */
import { withTimeout } from '../abort.js';
import { newEventId } from '../protocol/client-events.js';
import { OpenAIServerError } from '../protocol/server-error.js';
import { OpenAILiveError } from './errors.js';

/** A server event as parsed: an object with a string `type`; anything else is dropped. */
export type LiveServerEvent = Record<string, unknown> & { type: string };

interface Pending {
  ackType: string;
  resolve(): void;
  reject(error: Error): void;
}

export class LiveChannel {
  #pending = new Map<string, Pending>();
  #closed = false;

  constructor(
    private readonly dc: RTCDataChannel,
    /** `'all'` or the client event types the server lets this page send. */
    private readonly allowed: () => 'all' | readonly string[],
    private readonly onEvent: (event: LiveServerEvent) => void,
    /** How long a session command may wait for its acknowledgement (`sessionUpdateTimeoutMs`). */
    private readonly sessionUpdateTimeoutMs: number,
  ) {
    dc.addEventListener('message', this.#onMessage);
  }

  /** Whether the server's permissions let this page send `type`. */
  allows(type: string): boolean {
    const allowed = this.allowed();
    return allowed === 'all' || allowed.includes(type);
  }

  /** Sends `event`; throws `unsupported` (nothing sent) when the permissions leave it out. */
  send(event: Record<string, unknown> & { type: string }): string {
    if (!this.allows(event.type)) {
      throw new OpenAILiveError('unsupported', `The server's data-channel permissions do not allow ${event.type} from this page.`);
    }
    if (this.#closed || this.dc.readyState !== 'open') throw new OpenAILiveError('not_connected', 'The GPT-Live data channel is not open.');
    const eventId = newEventId('live');
    this.dc.send(JSON.stringify({ ...event, event_id: eventId }));
    return eventId;
  }

  /**
   * Sends a session command and resolves on its acknowledgement (`ackType` naming it); rejects with
   * GPT-Live's error for it, or `session_update_timeout` after `sessionUpdateTimeoutMs`.
   */
  request(event: Record<string, unknown> & { type: string }, ackType: string): Promise<void> {
    const eventId = this.send(event);
    const acked = new Promise<void>((resolve, reject) => this.#pending.set(eventId, { ackType, resolve, reject }));
    return withTimeout(acked, this.sessionUpdateTimeoutMs, () => {
      this.#pending.delete(eventId);
      return new OpenAILiveError('session_update_timeout', `GPT-Live did not acknowledge ${event.type} within ${this.sessionUpdateTimeoutMs} ms.`);
    });
  }

  /** Stops listening; commands still waiting reject with `connection_closed`. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.dc.removeEventListener('message', this.#onMessage);
    for (const pending of this.#pending.values()) pending.reject(new OpenAILiveError('connection_closed', 'The connection closed before GPT-Live acknowledged the command.'));
    this.#pending.clear();
  }

  readonly #onMessage = (message: MessageEvent): void => {
    if (typeof message.data !== 'string') return;
    let event: unknown;
    try {
      event = JSON.parse(message.data);
    } catch {
      return; // Not JSON: nothing to act on.
    }
    if (typeof event !== 'object' || event === null || typeof (event as { type?: unknown }).type !== 'string') return;
    const parsed = event as LiveServerEvent;
    this.#settle(parsed);
    this.onEvent(parsed);
  };

  #settle(event: LiveServerEvent): void {
    const error = event.type === 'error' && typeof event.error === 'object' && event.error !== null ? (event.error as Record<string, unknown>) : undefined;
    const id = typeof event.client_event_id === 'string' ? event.client_event_id : typeof error?.client_event_id === 'string' ? error.client_event_id : undefined;
    const pending = id === undefined ? undefined : this.#pending.get(id);
    if (!pending) return;
    if (error) {
      this.#pending.delete(id!);
      pending.reject(toServerError(error));
    } else if (event.type === pending.ackType) {
      this.#pending.delete(id!);
      pending.resolve();
    }
  }
}

/**
 * The Error for a Live `error` event's `error` object: an {@link OpenAIServerError} as on the Realtime
 * adapters (GPT-Live's code in `providerCode`, the command it answers in `eventId`).
 */
export function toServerError(error: Record<string, unknown>): OpenAIServerError {
  const text = (key: string): string | undefined => (typeof error[key] === 'string' ? (error[key] as string) : undefined);
  return new OpenAIServerError(text('message') ?? 'GPT-Live reported an error.', {
    ...(text('code') ? { providerCode: text('code') } : {}),
    ...(text('type') ? { type: text('type') } : {}),
    ...(text('param') ? { param: text('param') } : {}),
    ...(text('client_event_id') ? { eventId: text('client_event_id') } : {}),
  });
}
