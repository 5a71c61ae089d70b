/**
 * One call's watcher: joins the call over OpenAI's server-side control connection
 * (`wss://…/v1/realtime?call_id=…`, server key), checks every `session.created` / `session.updated`
 * against the fields the policy owns, and puts them back or hangs up when a page changed one.
 * @packageDocumentation
 */
import { RealtimeCallGuardError } from './errors.js';
import type { OwnedField, OwnedFieldName } from './owned-fields.js';
import { findViolations, restorePatch, type OwnedFieldViolation } from './session-check.js';
import { messageText, SOCKET_OPEN, type GuardSocket, type GuardWebSocketConstructor } from './socket.js';

/** What a guard does when a page changed an owned field. */
export type RealtimeCallGuardAction = 'reapply' | 'hangup';

/** Why a guard hung up its call. */
export type RealtimeCallGuardHangupReason = 'violation' | 'max_corrections' | 'guard_unavailable';

/** Why a guard stopped watching. */
export type RealtimeCallGuardEndReason = 'call_ended' | 'closed' | 'hangup' | 'join_failed' | 'connection_lost';

/** What a guard reports, in order, through `onEvent` (and, without the values, the route logger). */
export type RealtimeCallGuardEvent =
  /** The control connection is open; `ms` since the guard started. */
  | { type: 'joined'; callId: string; ms: number }
  /** A `session.updated` showed owned fields changed; `action` says what the guard does about it. */
  | { type: 'violation'; callId: string; violations: OwnedFieldViolation[]; action: RealtimeCallGuardAction | 'none' }
  /** The first clean `session.updated` after a violation; `ms` since the violation was seen. */
  | { type: 'corrected'; callId: string; fields: OwnedFieldName[]; ms: number }
  | { type: 'hangup'; callId: string; reason: RealtimeCallGuardHangupReason }
  | { type: 'error'; callId: string; error: RealtimeCallGuardError }
  /** The last event of every guard. */
  | { type: 'ended'; callId: string; reason: RealtimeCallGuardEndReason; violations: number; corrections: number };

/** Everything one guard needs; {@link createRealtimeCallGuards} fills it from the route's options. */
export interface CallGuardConfig {
  callId: string;
  /** The minted session as OpenAI's wire object (what the owned fields are put back to). */
  minted: Record<string, unknown>;
  owned: readonly OwnedField[];
  action: RealtimeCallGuardAction;
  maxCorrections: number;
  failClosed: boolean;
  joinTimeoutMs: number;
  /** `wss://…/v1/realtime?call_id=…` */
  controlUrl: string;
  /** `https://…/v1/realtime/calls/{call_id}/hangup` */
  hangupUrl: string;
  apiKey: string;
  WebSocket: () => Promise<GuardWebSocketConstructor>;
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  report: (event: RealtimeCallGuardEvent) => void;
}

const HANGUP_TIMEOUT_MS = 10_000;

/** A guard on one call. Never throws once started: failures are reported as events. */
export class CallGuard {
  readonly callId: string;
  /** Resolves when the guard stops watching, with its last event. */
  readonly ended: Promise<Extract<RealtimeCallGuardEvent, { type: 'ended' }>>;
  #state: 'idle' | 'joining' | 'watching' | 'ending' | 'ended' = 'idle';
  #socket: GuardSocket | undefined;
  #joinTimer: ReturnType<typeof setTimeout> | undefined;
  #lastSocketError = '';
  #startedAt = 0;
  #violations = 0;
  #correctionsSent = 0;
  #corrections = 0;
  #pending: { since: number; fields: Set<OwnedFieldName> } | undefined;
  /**
   * The violations last answered with a correction (fields and live values), while that correction
   * is on its way: a `session.updated` showing exactly these is the provider re-reporting the same
   * state (the answer to the join probe or to another no-op update that reached it first), not a new
   * change by the page, so it is neither counted nor corrected a second time.
   */
  #correcting: string | undefined;
  #sequence = 0;
  #resolveEnded!: (event: Extract<RealtimeCallGuardEvent, { type: 'ended' }>) => void;
  #resolveJoin: ((joined: boolean) => void) | undefined;

  constructor(private readonly config: CallGuardConfig) {
    this.callId = config.callId;
    this.ended = new Promise((resolve) => (this.#resolveEnded = resolve));
  }

  /** Opens the control connection; resolves true once it is open, false if joining failed. */
  start(): Promise<boolean> {
    if (this.#state !== 'idle') return Promise.resolve(this.#state === 'watching');
    this.#state = 'joining';
    this.#startedAt = performance.now();
    const joined = new Promise<boolean>((resolve) => (this.#resolveJoin = resolve));
    void this.#join();
    return joined;
  }

  /** Stops watching and closes the control connection; the call goes on. */
  close(): void {
    if (this.#state === 'ended' || this.#state === 'ending') return;
    this.#finish('closed');
  }

  /** Hangs the call up (`POST /realtime/calls/{id}/hangup`) and stops watching. */
  async hangUp(reason: RealtimeCallGuardHangupReason): Promise<void> {
    if (this.#state === 'ended' || this.#state === 'ending') return;
    this.#state = 'ending';
    this.#settleJoin(false);
    this.config.report({ type: 'hangup', callId: this.callId, reason });
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), HANGUP_TIMEOUT_MS);
    try {
      const response = await this.config.fetch(this.config.hangupUrl, {
        method: 'POST',
        headers: { Authorization: `Bearer ${this.config.apiKey}` },
        signal: controller.signal,
      });
      await response.body?.cancel().catch(() => {});
      // 404: the call had already ended, which is what a hang-up wants.
      if (!response.ok && response.status !== 404) this.#error('guard_hangup_failed', `The hang-up was answered ${response.status}.`);
    } catch (cause) {
      this.#error('guard_hangup_failed', `The hang-up failed: ${describe(cause)}.`, cause);
    } finally {
      clearTimeout(timer);
    }
    this.#finish('hangup');
  }

  async #join(): Promise<void> {
    let socket: GuardSocket;
    try {
      const WebSocket = await this.config.WebSocket();
      if (this.#state !== 'joining') return;
      socket = new WebSocket(this.config.controlUrl, { headers: { Authorization: `Bearer ${this.config.apiKey}` } });
    } catch (cause) {
      this.#joinFailed(`could not open the control connection: ${describe(cause)}`, cause);
      return;
    }
    this.#socket = socket;
    this.#joinTimer = setTimeout(() => this.#joinFailed(`the control connection did not open within ${this.config.joinTimeoutMs} ms`), this.config.joinTimeoutMs);
    socket.addEventListener('open', () => this.#onOpen());
    socket.addEventListener('message', (event) => this.#onMessage(event.data));
    socket.addEventListener('error', (event) => {
      this.#lastSocketError = event.message ?? describe(event.error);
    });
    socket.addEventListener('close', (event) => this.#onClose(event.code, event.reason));
  }

  #onOpen(): void {
    if (this.#state !== 'joining') return;
    clearTimeout(this.#joinTimer);
    this.#state = 'watching';
    this.config.report({ type: 'joined', callId: this.callId, ms: Math.round(performance.now() - this.#startedAt) });
    this.#settleJoin(true);
    // An empty update changes nothing and is answered with the whole live session: whatever a page
    // did before the guard joined is checked like anything after.
    this.#send({ type: 'realtime' });
  }

  #onMessage(data: unknown): void {
    if (this.#state !== 'watching') return;
    const text = messageText(data);
    let event: unknown;
    try {
      event = text === undefined ? undefined : JSON.parse(text);
    } catch {
      return;
    }
    if (!isObject(event)) return;
    if ((event.type === 'session.updated' || event.type === 'session.created') && isObject(event.session)) {
      this.#check(event.session);
    } else if (event.type === 'error' && isObject(event.error) && typeof event.error.event_id === 'string' && event.error.event_id.startsWith(EVENT_PREFIX)) {
      const message = typeof event.error.message === 'string' ? event.error.message.slice(0, 300) : 'no message';
      // The correction will not land: the same violation seen again is to be corrected again.
      this.#correcting = undefined;
      this.#error('guard_update_rejected', `The provider refused the guard's session.update: ${message}`);
    }
  }

  #check(live: Record<string, unknown>): void {
    const violations = findViolations(this.config.owned, live, this.config.minted);
    if (violations.length === 0) {
      this.#correcting = undefined;
      if (this.#pending) {
        const { since, fields } = this.#pending;
        this.#pending = undefined;
        this.#corrections += 1;
        this.config.report({ type: 'corrected', callId: this.callId, fields: [...fields], ms: Math.round((performance.now() - since) * 10) / 10 });
      }
      return;
    }
    const seen = JSON.stringify(violations.map(({ field, actual }) => [field, actual]));
    if (this.#pending && seen === this.#correcting) return;
    this.#violations += 1;
    const overLimit = this.config.action === 'reapply' && this.#correctionsSent >= this.config.maxCorrections;
    const action = this.config.action === 'hangup' || overLimit ? 'hangup' : 'reapply';
    this.config.report({ type: 'violation', callId: this.callId, violations, action });
    if (action === 'hangup') {
      void this.hangUp(overLimit ? 'max_corrections' : 'violation');
      return;
    }
    this.#correctionsSent += 1;
    this.#correcting = seen;
    const names = new Set(violations.map((v) => v.field));
    this.#send(restorePatch(this.config.owned.filter((entry) => names.has(entry.field)), this.config.minted, live));
    this.#pending ??= { since: performance.now(), fields: new Set() };
    for (const name of names) this.#pending.fields.add(name);
  }

  #onClose(code: number, reason: string): void {
    clearTimeout(this.#joinTimer);
    if (this.#state === 'joining') {
      this.#joinFailed(`the control connection was refused or closed (${this.#lastSocketError || `code ${code}`})`);
    } else if (this.#state === 'watching') {
      // OpenAI closes the control connection when the call ends; anything but a normal close may
      // mean the call runs on with nobody watching it.
      if (code === 1000) {
        this.#finish('call_ended');
        return;
      }
      this.#error('guard_connection_lost', `The control connection closed (code ${code}${reason ? `, ${reason.slice(0, 100)}` : ''}).`);
      if (this.config.failClosed) void this.hangUp('guard_unavailable');
      else this.#finish('connection_lost');
    }
  }

  #joinFailed(message: string, cause?: unknown): void {
    if (this.#state !== 'joining') return;
    clearTimeout(this.#joinTimer);
    this.#error('guard_join_failed', `Could not join call ${this.callId}: ${message}.`, cause);
    this.#settleJoin(false);
    if (this.config.failClosed) void this.hangUp('guard_unavailable');
    else this.#finish('join_failed');
  }

  #send(session: Record<string, unknown>): void {
    const socket = this.#socket;
    if (!socket || socket.readyState !== SOCKET_OPEN) return;
    this.#sequence += 1;
    socket.send(JSON.stringify({ type: 'session.update', event_id: `${EVENT_PREFIX}${this.#sequence}`, session }));
  }

  #error(code: RealtimeCallGuardError['code'], message: string, cause?: unknown): void {
    this.config.report({ type: 'error', callId: this.callId, error: new RealtimeCallGuardError(code, this.callId, message, { cause }) });
  }

  #settleJoin(joined: boolean): void {
    this.#resolveJoin?.(joined);
    this.#resolveJoin = undefined;
  }

  #finish(reason: RealtimeCallGuardEndReason): void {
    if (this.#state === 'ended') return;
    this.#state = 'ended';
    clearTimeout(this.#joinTimer);
    this.#settleJoin(false);
    const socket = this.#socket;
    this.#socket = undefined;
    try {
      socket?.close(1000, 'guard closed');
    } catch {
      // Already closing.
    }
    const event = { type: 'ended' as const, callId: this.callId, reason, violations: this.#violations, corrections: this.#corrections };
    this.config.report(event);
    this.#resolveEnded(event);
  }
}

/** Prefix of the guard's own event ids, so an error answering one is told from a page's. */
const EVENT_PREFIX = 'evt_guard_';

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
