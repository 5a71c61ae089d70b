/** One event as the emulator saw it, for tests to inspect. */
export interface EmulatorEventRecord {
  /** `server`: sent by the emulator; `client`: received from the client. */
  direction: 'server' | 'client';
  type: string;
  /** Milliseconds since the session was created. */
  at: number;
  /** The payload, with long strings (audio) shortened. */
  event: unknown;
  /** Set on frames a fault injected or mangled; they are not schema-checked. */
  injected?: true;
  /** Set on client events that came over a server-side control connection (`?call_id=`). */
  via?: 'sideband';
}

/** An event that did not match OpenAI's schema. */
export interface EmulatorViolation {
  sessionId: string;
  direction: 'server' | 'client';
  type: string;
  eventId?: string;
  /** The schema definition it was checked against, when its type is known. */
  definition?: string;
  errors: string[];
}

/** The checks the recorder runs; the conformance validator provides them. */
export interface EventValidator {
  validateServerEvent(event: unknown): { valid: boolean; definition?: string; errors: string[] };
  validateClientEvent(event: unknown): { valid: boolean; definition?: string; errors: string[] };
}

const MAX_EVENTS = 10_000;
const MAX_VIOLATIONS = 1_000;
const MAX_STRING = 512;

/**
 * Keeps a session's traffic and its schema violations. It snapshots each payload when it is
 * recorded: the emulator goes on mutating items after sending them (status, transcript), and the
 * log must show what was on the wire at the time.
 */
export class SessionRecorder {
  readonly events: EmulatorEventRecord[] = [];
  readonly violations: EmulatorViolation[] = [];
  /** Events dropped from the front of `events` to bound memory. */
  droppedEvents = 0;
  readonly #startedAt = Date.now();

  constructor(
    readonly sessionId: string,
    private readonly validator?: EventValidator,
  ) {}

  /** Records an event the emulator sends, validating it unless it was injected by a fault. */
  server(event: { type: string }, injected = false): void {
    if (!injected && this.validator) this.#check('server', event, this.validator.validateServerEvent(event));
    this.#push({ direction: 'server', type: event.type, at: this.#now(), event: snapshot(event), ...(injected ? { injected: true } : {}) });
  }

  /** Records a frame the emulator sent that is not an event at all (a malformed-JSON fault). */
  serverRaw(text: string): void {
    this.#push({ direction: 'server', type: '(malformed)', at: this.#now(), event: text, injected: true });
  }

  /** Records a parsed client event (from the client, or `via` a control connection) and validates it. */
  client(event: unknown, via?: 'sideband'): void {
    const type = typeof (event as { type?: unknown })?.type === 'string' ? (event as { type: string }).type : '(no type)';
    if (this.validator) this.#check('client', event, this.validator.validateClientEvent(event));
    this.#push({ direction: 'client', type, at: this.#now(), event: snapshot(event), ...(via ? { via } : {}) });
  }

  /** Records a client frame that was not JSON; with validation on it counts as a violation. */
  clientUnparseable(text: string, reason: string): void {
    if (this.validator) {
      this.#addViolation({ sessionId: this.sessionId, direction: 'client', type: '(unparseable)', errors: [reason] });
    }
    this.#push({ direction: 'client', type: '(unparseable)', at: this.#now(), event: shorten(text) });
  }

  #check(direction: 'server' | 'client', event: unknown, result: { valid: boolean; definition?: string; errors: string[] }): void {
    if (result.valid) return;
    const obj = (event ?? {}) as { type?: unknown; event_id?: unknown };
    this.#addViolation({
      sessionId: this.sessionId,
      direction,
      type: typeof obj.type === 'string' ? obj.type : '(no type)',
      ...(typeof obj.event_id === 'string' ? { eventId: obj.event_id } : {}),
      ...(result.definition ? { definition: result.definition } : {}),
      errors: result.errors,
    });
  }

  #addViolation(violation: EmulatorViolation): void {
    if (this.violations.length < MAX_VIOLATIONS) this.violations.push(violation);
  }

  #push(record: EmulatorEventRecord): void {
    this.events.push(record);
    if (this.events.length > MAX_EVENTS * 1.1) {
      const excess = this.events.length - MAX_EVENTS;
      this.events.splice(0, excess);
      this.droppedEvents += excess;
    }
  }

  #now(): number {
    return Date.now() - this.#startedAt;
  }
}

function shorten(text: string): string {
  return text.length > MAX_STRING ? `${text.slice(0, 64)}…[${text.length} chars]` : text;
}

function snapshot(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? shorten(v) : v)) ?? 'null');
}
