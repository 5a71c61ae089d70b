import { isJsonObject } from './types.js';

/**
 * Faults the emulator can inject. Those marked *server-wide* act on HTTP requests and take effect
 * only when set for `'all'`; the others act on a session. Counters (`dropAfterEvents`,
 * `dropAfterDeltas`, the injection counts) start from the moment the faults reach the session:
 * its creation for defaults, the call for faults set at run time.
 *
 * Setting faults replaces the previous set for that scope; `{}` clears them.
 */
export interface EmulatorFaults {
  /** *Server-wide.* Refuse new client secrets, calls and WebSocket connections with 503. */
  down?: boolean;
  /** *Server-wide.* Refuse `POST /v1/realtime/calls` with this HTTP status (400–599). */
  refuseSdp?: number;
  /**
   * *Server-wide.* Client secrets live this many seconds. Applies to existing secrets as well
   * (they expire at creation + this, if that is earlier); 0 expires them all at once.
   */
  secretTtlSeconds?: number;
  /** Close the peer connection or socket abruptly after this many more server events. */
  dropAfterEvents?: number;
  /** Close it in the middle of a response, right after this many more transcript or text deltas (GPT-Live: output transcript deltas). */
  dropAfterDeltas?: number;
  /** Hold every server event this long before sending it (order is kept). */
  delayMs?: number;
  /** Precede each of the next N server events with a frame that is not JSON. */
  malformedJson?: number;
  /** Precede each of the next N server events with an event of a type OpenAI never sends. */
  unknownEvents?: number;
  /** Strip the next N server events down to `type` and `event_id`, dropping their required fields. */
  missingFields?: number;
  /** Restrict `malformedJson`, `unknownEvents` and `missingFields` to events of these types. */
  injectTypes?: string[];
  /** Stall the `session.updated` acknowledgement: `true` never sends it, a number delays it (ms). */
  stallSessionUpdated?: boolean | number;
  /**
   * Not a fault but the provider's own session cap, shortened (or lengthened) for tests: a session
   * ends this many seconds after it was created, as OpenAI ends one at 60 minutes (an `error`
   * `session_expired`, then the connection closes: WebSocket code 1001). Overrides the emulator's
   * `maxSessionSeconds` option; set server-wide it applies to every new session too. 0 turns the cap off.
   */
  maxSessionSeconds?: number;
}

const NUMBER_FIELDS = [
  'refuseSdp',
  'secretTtlSeconds',
  'dropAfterEvents',
  'dropAfterDeltas',
  'delayMs',
  'malformedJson',
  'unknownEvents',
  'missingFields',
  'maxSessionSeconds',
] as const;

/**
 * Checks a faults object from an untrusted source (the control endpoint). Returns the cleaned
 * faults or a message naming the first bad field.
 */
export function parseFaults(input: unknown): { faults: EmulatorFaults } | { error: string } {
  if (!isJsonObject(input)) return { error: 'faults must be an object' };
  const faults: EmulatorFaults = {};
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined || value === null) continue;
    if ((NUMBER_FIELDS as readonly string[]).includes(key)) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        return { error: `faults.${key} must be a non-negative number` };
      }
      (faults as Record<string, number>)[key] = value;
    } else if (key === 'down') {
      if (typeof value !== 'boolean') return { error: 'faults.down must be a boolean' };
      faults.down = value;
    } else if (key === 'stallSessionUpdated') {
      if (typeof value !== 'boolean' && (typeof value !== 'number' || !(value >= 0))) {
        return { error: 'faults.stallSessionUpdated must be a boolean or a non-negative number' };
      }
      faults.stallSessionUpdated = value;
    } else if (key === 'injectTypes') {
      if (!Array.isArray(value) || !value.every((t) => typeof t === 'string')) {
        return { error: 'faults.injectTypes must be an array of strings' };
      }
      faults.injectTypes = [...value];
    } else {
      return { error: `unknown fault "${key}"` };
    }
  }
  if (faults.refuseSdp !== undefined && !(faults.refuseSdp >= 400 && faults.refuseSdp <= 599)) {
    return { error: 'faults.refuseSdp must be an HTTP status from 400 to 599' };
  }
  return { faults };
}

/** The faults of one session with the counters that consume them. */
export class SessionFaults {
  #faults: EmulatorFaults = {};
  #eventsSent = 0;
  #deltasSent = 0;
  #malformed = 0;
  #unknown = 0;
  #missing = 0;

  constructor(faults: EmulatorFaults = {}) {
    this.set(faults);
  }

  /** Replaces the faults and restarts their counters. */
  set(faults: EmulatorFaults): void {
    this.#faults = { ...faults, injectTypes: faults.injectTypes ? [...faults.injectTypes] : undefined };
    this.#eventsSent = 0;
    this.#deltasSent = 0;
    this.#malformed = faults.malformedJson ?? 0;
    this.#unknown = faults.unknownEvents ?? 0;
    this.#missing = faults.missingFields ?? 0;
  }

  /** The current faults, with injection counts showing what is left. */
  get current(): EmulatorFaults {
    const { injectTypes, ...rest } = this.#faults;
    const out: EmulatorFaults = { ...rest };
    if (injectTypes) out.injectTypes = [...injectTypes];
    if (this.#faults.malformedJson !== undefined) out.malformedJson = this.#malformed;
    if (this.#faults.unknownEvents !== undefined) out.unknownEvents = this.#unknown;
    if (this.#faults.missingFields !== undefined) out.missingFields = this.#missing;
    return out;
  }

  get delayMs(): number {
    return this.#faults.delayMs ?? 0;
  }

  get stallSessionUpdated(): boolean | number | undefined {
    return this.#faults.stallSessionUpdated;
  }

  get maxSessionSeconds(): number | undefined {
    return this.#faults.maxSessionSeconds;
  }

  /** True when the session should be dropped before it sends anything at all. */
  get dropNow(): boolean {
    return this.#faults.dropAfterEvents === 0 || this.#faults.dropAfterDeltas === 0;
  }

  /** Decides the injections for the next event of `type`, consuming their counters. */
  takeInjections(type: string): { malformed: boolean; unknown: boolean; missing: boolean } {
    const types = this.#faults.injectTypes;
    if (types && !types.includes(type)) return { malformed: false, unknown: false, missing: false };
    const malformed = this.#malformed > 0;
    const unknown = this.#unknown > 0;
    const missing = this.#missing > 0;
    if (malformed) this.#malformed -= 1;
    if (unknown) this.#unknown -= 1;
    if (missing) this.#missing -= 1;
    return { malformed, unknown, missing };
  }

  /** Counts one sent event; true when the connection must now be dropped. */
  countSent(type: string): boolean {
    this.#eventsSent += 1;
    if (type === 'response.output_audio_transcript.delta' || type === 'response.output_text.delta' || type === 'session.output_transcript.delta') {
      this.#deltasSent += 1;
      const limit = this.#faults.dropAfterDeltas;
      if (limit !== undefined && this.#deltasSent >= limit) return true;
    }
    const limit = this.#faults.dropAfterEvents;
    return limit !== undefined && this.#eventsSent >= limit;
  }
}
