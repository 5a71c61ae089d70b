/**
 * The emulated Responses backend of a Live session (`delegation.type: 'responses'`): it keeps the
 * backend conversation (items the Live model delegates, and those the client adds with
 * `response.item.create`), plans each response with the scripted assistant, and streams it as the
 * Responses events a `response.event` nests. A response that calls function tools waits for their
 * `function_call_output` items and a `response.create` before it answers.
 */
import { newId } from '../ids.js';
import { planReply, type EmulatorScenario, type EmulatorTurn } from '../scenario.js';
import { pause } from '../timers.js';
import { isJsonObject, type JsonObject } from '../types.js';
import { backendFunctionNames, responsesConfig, type LiveSessionResource } from './live-config.js';

/** What the backend needs from its session. */
export interface BackendHost {
  readonly resource: LiveSessionResource;
  readonly scenario: EmulatorScenario | undefined;
  /** Sends one nested Responses event inside a `response.event`. */
  emitNested(delegationId: string | null, event: JsonObject): void;
}

/** What one backend response produced. */
export interface BackendResult {
  responseId: string;
  /** The answer text for the Live model to speak, when the response answered. */
  text?: string;
  /** Call ids the response is waiting for (function calls the client runs). */
  waitingFor: string[];
  cancelled: boolean;
}

const DELTA_MS = 10;
const CHUNK = 16;

export class ResponsesBackend {
  /** The backend conversation, oldest first. */
  readonly items: JsonObject[] = [];
  #running: AbortController | undefined;
  /** The delegation whose response waits for tool results, and those results' call ids. */
  #waiting: { delegationId: string | null; callIds: string[] } | undefined;

  constructor(private readonly host: BackendHost) {}

  get busy(): boolean {
    return this.#running !== undefined;
  }

  /** The delegation waiting for tool results (a `response.create` continues it). */
  get waitingDelegation(): string | null | undefined {
    return this.#waiting?.delegationId;
  }

  /** `response.item.create`: appends a client item (a user message, a function result, …). */
  addItem(item: JsonObject): void {
    this.items.push(structuredClone(item));
  }

  /** The Live model hands a task over: the user's words become the backend's input. */
  addUserText(text: string): void {
    this.items.push({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] });
  }

  /** Stops a running response (the session is closing). */
  shutdown(): void {
    this.#running?.abort();
  }

  /**
   * Runs one response for `delegationId` (null for a client's own `response.create`). `responseId`
   * is the id `session.delegation.created` already announced, when there was one.
   */
  async run(delegationId: string | null, responseId = newId('resp')): Promise<BackendResult> {
    const continuing = this.#waiting;
    this.#waiting = undefined;
    const abort = new AbortController();
    this.#running = abort;
    let sequence = 0;
    const emit = (event: JsonObject): void => this.host.emitNested(delegationId ?? continuing?.delegationId ?? null, { ...event, sequence_number: sequence++ });
    const config = responsesConfig(this.host.resource) ?? {};
    const snapshot = (status: string, usage?: JsonObject): JsonObject => ({
      id: responseId,
      object: 'response',
      created_at: Math.floor(Date.now() / 1000),
      status,
      model: typeof config.model === 'string' ? config.model : 'gpt-5.5',
      // Lifecycle snapshots are kept small, as the API's are: no input, instructions, tools or output.
      // `output_text` is the SDK's convenience field, which its Response type declares.
      output: [],
      output_text: '',
      instructions: null,
      tools: [],
      tool_choice: 'auto',
      parallel_tool_calls: config.parallel_tool_calls !== false,
      temperature: null,
      top_p: null,
      metadata: null,
      error: null,
      incomplete_details: null,
      access_programs: null,
      ...(usage ? { usage } : {}),
    });
    try {
      const turn = this.#turn();
      const plan = planReply(this.host.scenario, turn);
      emit({ type: 'response.created', response: snapshot('in_progress') });
      emit({ type: 'response.in_progress', response: snapshot('in_progress') });
      if (plan.delayMs > 0) await pause(plan.delayMs, abort.signal);
      const produced = { chars: 0 };
      const waitingFor: string[] = [];
      let outputIndex = 0;
      for (const call of plan.toolCalls) {
        if (abort.signal.aborted) break;
        waitingFor.push(await this.#functionCall(emit, call, outputIndex++, abort.signal, produced));
      }
      let text: string | undefined;
      if (plan.say !== undefined && !abort.signal.aborted) text = await this.#message(emit, plan.say, outputIndex, abort.signal, produced);
      const cancelled = abort.signal.aborted;
      const inputTokens = Math.ceil(JSON.stringify(this.items).length / 4);
      const outputTokens = Math.ceil(produced.chars / 4);
      emit({
        type: cancelled ? 'response.incomplete' : 'response.completed',
        response: snapshot(cancelled ? 'incomplete' : 'completed', {
          input_tokens: inputTokens,
          input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
          output_tokens: outputTokens,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: inputTokens + outputTokens,
        }),
      });
      if (waitingFor.length > 0 && !cancelled) this.#waiting = { delegationId: delegationId ?? continuing?.delegationId ?? null, callIds: waitingFor };
      return { responseId, ...(text !== undefined ? { text } : {}), waitingFor: cancelled ? [] : waitingFor, cancelled };
    } finally {
      if (this.#running === abort) this.#running = undefined;
    }
  }

  async #functionCall(emit: (event: JsonObject) => void, call: { name: string; arguments: string }, outputIndex: number, signal: AbortSignal, produced: { chars: number }): Promise<string> {
    const item: JsonObject = { id: newId('fc'), type: 'function_call', status: 'in_progress', name: call.name, call_id: newId('call', 16), arguments: '' };
    emit({ type: 'response.output_item.added', output_index: outputIndex, item: { ...item } });
    const where = { item_id: item.id, output_index: outputIndex };
    for (let at = 0; at < call.arguments.length; at += CHUNK) {
      emit({ type: 'response.function_call_arguments.delta', ...where, delta: call.arguments.slice(at, at + CHUNK) });
      if (!(await pause(DELTA_MS, signal))) break;
    }
    emit({ type: 'response.function_call_arguments.done', ...where, arguments: call.arguments });
    const done: JsonObject = { ...item, status: 'completed', arguments: call.arguments };
    emit({ type: 'response.output_item.done', output_index: outputIndex, item: done });
    this.items.push(done);
    produced.chars += call.arguments.length;
    return item.call_id as string;
  }

  async #message(emit: (event: JsonObject) => void, text: string, outputIndex: number, signal: AbortSignal, produced: { chars: number }): Promise<string> {
    const id = newId('msg');
    const message = (status: string, content: JsonObject[]): JsonObject => ({ id, type: 'message', role: 'assistant', status, content, phase: 'final_answer' });
    emit({ type: 'response.output_item.added', output_index: outputIndex, item: message('in_progress', []) });
    const where = { item_id: id, output_index: outputIndex, content_index: 0 };
    emit({ type: 'response.content_part.added', ...where, part: { type: 'output_text', text: '', annotations: [] } });
    let sent = '';
    for (const match of text.matchAll(/\S+\s*/g)) {
      if (signal.aborted) break;
      emit({ type: 'response.output_text.delta', ...where, delta: match[0], logprobs: [] });
      sent += match[0];
      if (!(await pause(DELTA_MS, signal))) break;
    }
    const part = { type: 'output_text', text: sent, annotations: [] };
    emit({ type: 'response.output_text.done', ...where, text: sent, logprobs: [] });
    emit({ type: 'response.content_part.done', ...where, part });
    const done = message(signal.aborted ? 'incomplete' : 'completed', [part]);
    emit({ type: 'response.output_item.done', output_index: outputIndex, item: done });
    this.items.push(done);
    produced.chars += sent.length;
    return sent;
  }

  /** What the backend is answering: the tool results since its calls, or the last user message. */
  #turn(): EmulatorTurn {
    const tools = backendFunctionNames(this.host.resource);
    const base = { tools, toolChoice: responsesConfig(this.host.resource)?.tool_choice, toolOutputs: [] as EmulatorTurn['toolOutputs'] };
    const outputs: EmulatorTurn['toolOutputs'] = [];
    let index = this.items.length - 1;
    for (; index >= 0 && this.items[index]!.type === 'function_call_output'; index -= 1) {
      const item = this.items[index]!;
      const call = this.items.find((candidate) => candidate.type === 'function_call' && candidate.call_id === item.call_id);
      outputs.unshift({ callId: String(item.call_id), name: typeof call?.name === 'string' ? call.name : '', output: typeof item.output === 'string' ? item.output : JSON.stringify(item.output) });
    }
    const user = this.items.slice(0, index + 1).reverse().find((item) => item.role === 'user');
    const text = user ? userText(user) : '';
    if (outputs.length > 0) return { ...base, kind: 'tool_output', text, toolOutputs: outputs };
    const last = this.items[index];
    if (!last || last.role !== 'user') return { ...base, kind: 'none', text: '' };
    return { ...base, kind: 'text', text };
  }
}

function userText(item: JsonObject): string {
  if (typeof item.content === 'string') return item.content;
  const parts = Array.isArray(item.content) ? item.content : [];
  return parts.map((part) => (isJsonObject(part) && typeof part.text === 'string' ? part.text : '')).filter(Boolean).join(' ');
}
