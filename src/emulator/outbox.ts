import type { SessionChannel } from './channels.js';
import type { SessionFaults } from './faults.js';
import { newId } from './ids.js';
import type { SessionRecorder } from './recorder.js';
import type { ServerEvent, ServerEventInit } from './types.js';

/** Where the outbox puts frames: the session's channel(s). */
export interface OutboxTarget {
  readonly open: boolean;
  /** Sends to `to` only, or to every connection of the session. */
  sendFrame(text: string, to?: SessionChannel): void;
  /** Ends the connection abruptly (a drop fault). */
  drop(reason: string): void;
}

interface Pending {
  event: ServerEvent;
  dueAt: number;
  to: SessionChannel | undefined;
}

/**
 * The one path every server event takes: stamp a unique `event_id`, apply the session's faults
 * (delay, injected garbage, drops), record and validate, send. Keeping it in one place is what
 * lets a test trust that the log and the violation list describe exactly what went on the wire.
 */
export class Outbox {
  #queue: Pending[] = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly target: OutboxTarget,
    private readonly recorder: SessionRecorder,
    private readonly faults: SessionFaults,
  ) {}

  /**
   * Sends (or, with a delay fault, schedules) one event and returns it with its `event_id`; `to`
   * addresses one connection instead of all of them.
   */
  send(init: ServerEventInit, to?: SessionChannel): ServerEvent {
    // Snapshot now: items referenced by the event keep changing after this call.
    const event = { ...structuredClone(init), event_id: newId('event') } as ServerEvent;
    const delay = this.faults.delayMs;
    if (delay <= 0 && this.#queue.length === 0) {
      this.#deliver(event, to);
    } else {
      this.#queue.push({ event, dueAt: Date.now() + delay, to });
      this.#schedule();
    }
    return event;
  }

  /**
   * Sends raw frames as they are (fault suites: mutated, malformed or unknown events). They are
   * recorded as injected, so they never count as the emulator's own schema violations.
   */
  injectRaw(frames: readonly string[]): number {
    let sent = 0;
    for (const frame of frames) {
      if (!this.target.open) break;
      let parsed: unknown;
      try {
        parsed = JSON.parse(frame);
      } catch {
        parsed = undefined;
      }
      const type = typeof (parsed as { type?: unknown } | undefined)?.type === 'string' ? (parsed as { type: string }) : undefined;
      if (type) this.recorder.server(type, true);
      else this.recorder.serverRaw(frame);
      this.target.sendFrame(frame);
      sent += 1;
    }
    return sent;
  }

  /** Drops whatever a delay fault is still holding (the session closed). */
  discard(): void {
    this.#queue = [];
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(): void {
    if (this.#timer || this.#queue.length === 0) return;
    const wait = Math.max(0, this.#queue[0]!.dueAt - Date.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      const now = Date.now();
      while (this.#queue.length > 0 && this.#queue[0]!.dueAt <= now) {
        const { event, to } = this.#queue.shift()!;
        this.#deliver(event, to);
      }
      this.#schedule();
    }, wait);
  }

  #deliver(event: ServerEvent, to: SessionChannel | undefined): void {
    if (!this.target.open) return;
    const injections = this.faults.takeInjections(event.type);
    if (injections.malformed) {
      const text = JSON.stringify(event);
      const broken = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
      this.recorder.serverRaw(broken);
      this.target.sendFrame(broken, to);
    }
    if (injections.unknown) {
      const unknown = { type: 'emulator.unknown_event', event_id: newId('event'), note: 'injected by the unknownEvents fault' };
      this.recorder.server(unknown, true);
      this.target.sendFrame(JSON.stringify(unknown), to);
    }
    if (injections.missing) {
      const stripped = { type: event.type, event_id: event.event_id };
      this.recorder.server(stripped, true);
      this.target.sendFrame(JSON.stringify(stripped), to);
    } else {
      this.recorder.server(event);
      this.target.sendFrame(JSON.stringify(event), to);
    }
    if (this.faults.countSent(event.type)) {
      this.discard();
      this.target.drop(`fault: dropped after ${event.type}`);
    }
  }
}
