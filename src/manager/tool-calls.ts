/**
 * Tool calls of the live session: runs them, sends the results back once the response that made them
 * has ended (asking for one follow-up response after the last), and tells the app what happened:
 * `realtime:tool:result` only once the provider has the result, `realtime:tool:error` for a failure,
 * a cancelled call, a result that could not be delivered, or a call without a call id. Every run is
 * logged (name, duration, outcome; argument values only when the logger asks).
 */
import { BoundedSet } from './bounded-set.js';
import { deepFreeze } from './freeze.js';
import { errorMessage, type ManagerLog } from './manager-log.js';
import type { ToolRegistry } from './tool-registry.js';
import { runToolCall } from './tool-runner.js';
import type { RealtimeCharacter, RealtimeToolResult, RealtimeToolResultProjector, ToolErrorCode } from './types.js';

interface CallRecord {
  callId: string;
  name: string;
  responseId: string | undefined;
  controller: AbortController;
  settled: boolean;
  /** What goes back to the model, once settled. */
  output?: RealtimeToolResult;
  /** The successful run, announced as a result once the provider has its output. */
  success?: { args: Record<string, unknown>; result: RealtimeToolResult; durationMs: number };
}

/** What the coordinator needs from the manager. */
export interface ToolCallHost {
  /** Where calls find their tool: as the session carries it (the server's pins applied). */
  registry: Pick<ToolRegistry, 'get'>;
  projectors: readonly RealtimeToolResultProjector[];
  defaultTimeoutMs: number;
  log: ManagerLog;
  sessionId(): string;
  character(): RealtimeCharacter | null;
  emit(event: string, payload: unknown): void;
  /** Runs `change` so its state and events are published as one (see StateStore.batch). */
  batch(change: () => void): void;
  /** Sends one result; `requestResponse` on the last result of a response. */
  send(callId: string, output: RealtimeToolResult, requestResponse: boolean): Promise<void>;
  /** The number of outstanding calls changed. */
  outstandingChanged(count: number): void;
}

/** A call as the transport reported it; untrusted, so checked here. */
export interface IncomingToolCall {
  callId?: unknown;
  name?: unknown;
  arguments?: unknown;
  responseId?: string;
}

export class ToolCallCoordinator {
  #calls = new Map<string, CallRecord>();
  /** Call ids seen in this session: a repeated id is ignored so no call is answered twice. */
  #seen = new BoundedSet<string>(1024);
  #doneResponses = new BoundedSet<string>(512);

  constructor(private readonly host: ToolCallHost) {}

  /** Calls not yet sent back (running, or finished and waiting for their response to end). */
  get outstanding(): number {
    return this.#calls.size;
  }

  handleCall(call: IncomingToolCall): void {
    const name = typeof call.name === 'string' ? call.name : '';
    if (typeof call.callId !== 'string' || call.callId === '') {
      // Nothing can be sent back without a call id; the app and the log hear of it instead.
      const error = `tool call "${name}" has no call id and cannot be answered`;
      this.host.log.warn('tool call without a call id', { tool: name, responseId: call.responseId, code: 'missing_call_id' });
      this.#emitError('', name, 'missing_call_id', error);
      return;
    }
    const callId = call.callId;
    if (this.#seen.has(callId)) {
      this.host.log.warn('ignoring a repeated tool call id', { callId, tool: name });
      return;
    }
    this.#seen.add(callId);
    const record: CallRecord = { callId, name, responseId: call.responseId, controller: new AbortController(), settled: false };
    const rawArguments = typeof call.arguments === 'string' ? call.arguments : '';
    this.#calls.set(callId, record);
    this.host.batch(() => {
      this.host.outstandingChanged(this.#calls.size);
      this.host.emit('realtime:tool:call', {
        sessionId: this.host.sessionId(),
        callId,
        name,
        args: parseForListeners(rawArguments),
        responseId: call.responseId,
      });
    });
    void this.#execute(record, rawArguments);
  }

  /** The response ended: results of its calls may now be sent. */
  handleResponseDone(responseId: string): void {
    this.#doneResponses.add(responseId);
    this.#flush(responseId);
  }

  /**
   * Aborts every call of this session (interrupt, reconnect, stop, timeout). Their results are never
   * sent: the response that asked is gone, and old call ids must not be answered on a new connection.
   */
  abortAll(reason: string): void {
    const calls = [...this.#calls.values()];
    if (calls.length === 0) return;
    this.#calls.clear();
    this.host.batch(() => {
      this.host.outstandingChanged(0);
      for (const record of calls) {
        record.controller.abort(new DOMException(reason, 'AbortError'));
        // A finished success was never announced: it ends as cancelled. Running calls report when they settle.
        if (record.success) this.#emitError(record.callId, record.name, 'aborted', `tool "${record.name}" was cancelled (${reason}) before its result was sent`);
      }
    });
  }

  /** Forgets everything (a new session starts). */
  reset(): void {
    this.abortAll('session ended');
    this.#seen.clear();
    this.#doneResponses.clear();
  }

  async #execute(record: CallRecord, rawArguments: string): Promise<void> {
    const { callId, name } = record;
    const started = performance.now();
    const outcome = await runToolCall(
      this.host.registry.get(name),
      name,
      rawArguments,
      { callId, name, sessionId: this.host.sessionId(), character: this.host.character(), signal: record.controller.signal },
      this.host.defaultTimeoutMs,
    );
    const durationMs = Math.round(performance.now() - started);
    const aborted = this.#calls.get(callId) !== record;
    this.host.log.info('tool run', {
      tool: name,
      callId,
      durationMs,
      outcome: aborted ? 'aborted' : outcome.ok ? 'ok' : outcome.code,
      ...(this.host.log.wantsToolArguments ? { args: outcome.ok ? outcome.args : (outcome.args ?? rawArguments) } : {}),
    });
    if (aborted) {
      this.#emitError(callId, name, 'aborted', outcome.ok ? 'tool call was cancelled' : outcome.error);
      return;
    }
    record.settled = true;
    if (outcome.ok) {
      const result = deepFreeze(outcome.result);
      record.output = result;
      record.success = { args: outcome.args, result, durationMs };
    } else {
      this.#emitError(callId, name, outcome.code, outcome.error);
      record.output = { success: false, error: outcome.error };
    }
    this.#flush(record.responseId);
  }

  /** Sends the results of `responseId` once it has ended and all its calls have settled. */
  #flush(responseId: string | undefined): void {
    if (responseId !== undefined && !this.#doneResponses.has(responseId)) return;
    const group = [...this.#calls.values()].filter((record) => record.responseId === responseId);
    if (group.length === 0 || group.some((record) => !record.settled)) return;
    // One batch: the outstanding count drops and the reply is awaited in the same snapshot.
    this.host.batch(() => {
      for (const record of group) this.#calls.delete(record.callId);
      this.host.outstandingChanged(this.#calls.size);
      group.forEach((record, index) => void this.#deliver(record, index === group.length - 1));
    });
  }

  async #deliver(record: CallRecord, requestResponse: boolean): Promise<void> {
    try {
      await this.host.send(record.callId, record.output!, requestResponse);
    } catch (error) {
      const reason = `the result of tool "${record.name}" did not reach the provider: ${errorMessage(error)}`;
      this.host.log.warn('tool result not delivered', { tool: record.name, callId: record.callId, error: errorMessage(error) });
      // A failure was already reported when the handler failed; a success the model never got is one.
      if (record.success) this.#emitError(record.callId, record.name, 'send_failed', reason);
      return;
    }
    const success = record.success;
    if (!success) return;
    this.host.emit('realtime:tool:result', {
      sessionId: this.host.sessionId(),
      callId: record.callId,
      name: record.name,
      result: success.result,
      durationMs: success.durationMs,
    });
    this.#project({ callId: record.callId, name: record.name, args: success.args, result: success.result, responseId: record.responseId });
  }

  #emitError(callId: string, name: string, code: ToolErrorCode, error: string): void {
    this.host.emit('realtime:tool:error', { sessionId: this.host.sessionId(), callId, name, code, error });
  }

  #project(execution: Parameters<RealtimeToolResultProjector>[0]): void {
    const sessionId = this.host.sessionId();
    for (const projector of this.host.projectors) {
      try {
        projector(execution, { emit: (event, payload) => this.host.emit(event, payload), sessionId });
      } catch (error) {
        this.host.log.warn('result projector threw; ignored', { tool: execution.name, error: errorMessage(error) });
      }
    }
  }
}

/** The arguments for `realtime:tool:call` listeners: their own parse, so editing it changes nothing. */
function parseForListeners(text: string): unknown {
  try {
    return text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    return text;
  }
}
