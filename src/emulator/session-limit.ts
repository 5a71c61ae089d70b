/**
 * The provider's cap on a session's length. OpenAI ends a realtime session 60 minutes after it was
 * created: it sends an `error` with code `session_expired` ("Your session hit the maximum duration of
 * 60 minutes.", no `param`, no `event_id`), then closes the connection (a WebSocket with code 1001,
 * "going away", and the same text as its reason). The emulator does the same after
 * `maxSessionSeconds` (default 3600), so a kit's rollover can be tested in seconds.
 */

/** OpenAI's cap (60 minutes), the emulator's default. */
export const DEFAULT_MAX_SESSION_SECONDS = 3600;

/** OpenAI's wording, with the limit in minutes when it is whole minutes, else in seconds. */
export function sessionExpiredMessage(seconds: number): string {
  const length = seconds % 60 === 0 ? plural(seconds / 60, 'minute') : plural(seconds, 'second');
  return `Your session hit the maximum duration of ${length}.`;
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/** One session's timer: armed from the session's creation time, re-armed when the limit changes. */
export class SessionLimit {
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly createdAt: number,
    private readonly expire: (seconds: number) => void,
  ) {}

  /** Arms (or re-arms) the cap; `seconds` of 0 (or not finite) turns it off. */
  arm(seconds: number): void {
    this.stop();
    if (!(seconds > 0) || !Number.isFinite(seconds)) return;
    const dueIn = Math.max(0, this.createdAt + seconds * 1000 - Date.now());
    this.#timer = setTimeout(() => this.expire(seconds), dueIn);
    this.#timer.unref?.();
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
