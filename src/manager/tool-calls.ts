/**
 * Tool calls of the live session: runs them, emits their events, and sends the results back once the
 * response that made them has ended, asking for one follow-up response after the last result.
 */
import type { ToolRegistry } from './tool-registry.js';
import { runToolCall } from './tool-runner.js';
import type {
  RealtimeCharacter,
  RealtimeToolResult,
  RealtimeToolResultProjector,
  ToolErrorCode,
} from './types.js';

interface CallRecord {
  callId: string;
  responseId: string | undefined;
  controller: AbortController;
  /** The output to send; set when the handler settled with something the model should see. */
  output?: RealtimeToolResult;
  settled: boolean;
}

/** What the coordinator needs from the manager. */
export interface ToolCallHost {
  registry: ToolRegistry;
  projectors: readonly RealtimeToolResultProjector[];
  defaultTimeoutMs: number;
  sessionId(): string;
  character(): RealtimeCharacter | null;
  emit(event: string, payload: unknown): void;
  warn(message: string, context: Record<string, unknown>): void;
  /** Sends one result; `requestResponse` on the last result of a response. */
  send(callId: string, output: RealtimeToolResult, requestResponse: boolean): Promise<void>;
  /** The number of outstanding calls changed. */
  outstandingChanged(count: number): void;
}

export class ToolCallCoordinator {
  #calls = new Map<string, CallRecord>();
  /** Every call id seen in this session: a repeated id is ignored so no call is answered twice. */
  #seen = new Set<string>();
  #doneResponses = new Set<string>();

  constructor(private readonly host: ToolCallHost) {}

  /** Calls not yet sent back (running, or finished and waiting for their response to end). */
  get outstanding(): number {
    return this.#calls.size;
  }

  handleCall(call: { callId: string; name: string; arguments: string; responseId?: string }): void {
    if (this.#seen.has(call.callId)) {
      this.host.warn('ignoring a repeated tool call id', { callId: call.callId, name: call.name });
      return;
    }
    this.#seen.add(call.callId);
    const record: CallRecord = {
      callId: call.callId,
      responseId: call.responseId,
      controller: new AbortController(),
      settled: false,
    };
    this.#calls.set(call.callId, record);
    this.host.outstandingChanged(this.#calls.size);
    const sessionId = this.host.sessionId();
    this.host.emit('realtime:tool:call', {
      sessionId,
      callId: call.callId,
      name: call.name,
      args: safeParse(call.arguments),
      responseId: call.responseId,
    });
    void this.#execute(record, call.name, call.arguments, sessionId);
  }

  /** The response ended: results of its calls may now be sent. */
  handleResponseDone(responseId: string): void {
    this.#doneResponses.add(responseId);
    this.#flush(responseId);
  }

  /**
   * Aborts every call of this session (interrupt, reconnect, stop). Their results are never sent:
   * the response that asked is gone, and old call ids must not be answered on a new connection.
   */
  abortAll(reason: string): void {
    const calls = [...this.#calls.values()];
    this.#calls.clear();
    for (const record of calls) record.controller.abort(new DOMException(reason, 'AbortError'));
    if (calls.length) this.host.outstandingChanged(0);
  }

  /** Forgets everything (a new session starts). */
  reset(): void {
    this.abortAll('session ended');
    this.#seen.clear();
    this.#doneResponses.clear();
  }

  async #execute(record: CallRecord, name: string, rawArguments: string, sessionId: string): Promise<void> {
    const started = performance.now();
    const outcome = await runToolCall(
      this.host.registry.get(name),
      name,
      rawArguments,
      { callId: record.callId, name, sessionId, character: this.host.character(), signal: record.controller.signal },
      this.host.defaultTimeoutMs,
    );
    const aborted = this.#calls.get(record.callId) !== record;
    if (aborted) {
      this.#emitError(sessionId, record.callId, name, 'aborted', outcome.ok ? 'tool call was cancelled' : outcome.error);
      return;
    }
    record.settled = true;
    if (outcome.ok) {
      record.output = outcome.result;
      this.host.emit('realtime:tool:result', {
        sessionId,
        callId: record.callId,
        name,
        result: outcome.result,
        durationMs: Math.round(performance.now() - started),
      });
      this.#project({ callId: record.callId, name, args: outcome.args, result: outcome.result, responseId: record.responseId }, sessionId);
    } else {
      this.#emitError(sessionId, record.callId, name, outcome.code, outcome.error);
      record.output = { success: false, error: outcome.error };
    }
    this.#flush(record.responseId);
  }

  #emitError(sessionId: string, callId: string, name: string, code: ToolErrorCode, error: string): void {
    this.host.emit('realtime:tool:error', { sessionId, callId, name, code, error });
  }

  #project(execution: Parameters<RealtimeToolResultProjector>[0], sessionId: string): void {
    for (const projector of this.host.projectors) {
      try {
        projector(execution, { emit: (event, payload) => this.host.emit(event, payload), sessionId });
      } catch (error) {
        this.host.warn('result projector threw; ignored', {
          tool: execution.name,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }

  /** Sends the results of `responseId` once it has ended and all its calls have settled. */
  #flush(responseId: string | undefined): void {
    if (responseId !== undefined && !this.#doneResponses.has(responseId)) return;
    const group = [...this.#calls.values()].filter((record) => record.responseId === responseId);
    if (group.length === 0 || group.some((record) => !record.settled)) return;
    for (const record of group) this.#calls.delete(record.callId);
    this.host.outstandingChanged(this.#calls.size);
    group.forEach((record, index) => {
      const last = index === group.length - 1;
      this.host.send(record.callId, record.output ?? { success: false, error: 'no result' }, last).catch((error: unknown) => {
        this.host.warn('sending a tool result failed', {
          callId: record.callId,
          error: error instanceof Error ? error.message : String(error),
        });
      });
    });
  }
}

function safeParse(text: string): unknown {
  try {
    return text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    return text;
  }
}
