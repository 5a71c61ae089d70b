/**
 * The emulated Live model's judgement: for each user turn it answers itself or delegates. With
 * Responses delegation it hands tasks that need a function tool (the scenario's rules, or the
 * built-in `call <tool> <json-args>`) to the backend and speaks the backend's answer; with client
 * delegation it hands over what the control endpoint (or a scenario rule) tells it to, and speaks
 * the client's commentary. While a task runs it says a short acknowledgement first.
 */
import { newId } from '../ids.js';
import { planReply } from '../scenario.js';
import type { JsonObject } from '../types.js';
import { backendFunctionNames, responsesConfig } from './live-config.js';
import type { LiveSession } from './live-session.js';

/** What the voice says while a delegated task runs. */
export const ACKNOWLEDGEMENT = 'One moment, let me check that.';

export class LiveDelegations {
  /** Client delegations announced and not yet answered with commentary. */
  readonly pendingClient = new Set<string>();
  /** Every delegation id of this session (appends may name any of them). */
  readonly known = new Set<string>();

  constructor(private readonly session: LiveSession) {}

  /** The user finished a turn (speech, or text from a scenario rule). */
  userTurn(turn: { text: string; audioMs?: number }): void {
    const { session } = this;
    session.reportUsage();
    const tools = session.delegationType === 'responses' ? backendFunctionNames(session.resource) : [];
    const plan = planReply(session.scenario, {
      kind: turn.audioMs !== undefined ? 'audio' : 'text',
      text: turn.text,
      ...(turn.audioMs !== undefined ? { audioMs: turn.audioMs } : {}),
      tools,
      toolChoice: responsesConfig(session.resource)?.tool_choice,
      toolOutputs: [],
    });
    if (plan.toolCalls.length > 0 && session.delegationType === 'responses') {
      void this.toBackend(turn.text);
      return;
    }
    if (plan.toolCalls.length > 0 && session.delegationType === 'client') {
      this.toClient();
      return;
    }
    void this.#say(plan.say ?? '');
  }

  /** Delegates `text` to the Responses backend, acknowledges, and speaks the answer when there is one. */
  async toBackend(text: string): Promise<void> {
    const { session } = this;
    const id = this.#announce('responses');
    session.backend.addUserText(text);
    void this.#say(ACKNOWLEDGEMENT);
    await this.#runBackend(id.delegationId, id.responseId);
  }

  /** Hands a task to the client: it answers with `session.commentary.append` naming the delegation. */
  toClient(): string {
    const { delegationId } = this.#announce('client');
    this.pendingClient.add(delegationId);
    void this.#say(ACKNOWLEDGEMENT);
    return delegationId;
  }

  /** `response.create` from the client: continue a response waiting for tool results, or answer its items. */
  async clientResponse(): Promise<void> {
    const waiting = this.session.backend.waitingDelegation;
    await this.#runBackend(waiting ?? null);
  }

  /** `session.commentary.append`: speakable context; for a client delegation, its result. */
  commentary(content: string, delegationId: string | null): void {
    if (delegationId) this.pendingClient.delete(delegationId);
    void this.#say(content);
  }

  async #runBackend(delegationId: string | null, responseId?: string): Promise<void> {
    const result = await this.session.backend.run(delegationId, responseId);
    if (result.text) await this.#say(result.text);
  }

  #announce(target: 'client' | 'responses'): { delegationId: string; responseId?: string } {
    const { session } = this;
    const delegationId = newId('del');
    const responseId = target === 'responses' ? `resp_${delegationId.slice(4)}` : undefined;
    this.known.add(delegationId);
    const delegation: JsonObject = { id: delegationId, target, type: 'delegation', ...(responseId ? { response_id: responseId } : {}) };
    session.emit({ type: 'session.delegation.created', delegation, offset_ms: session.timelineMs() });
    return { delegationId, ...(responseId ? { responseId } : {}) };
  }

  async #say(text: string): Promise<void> {
    if (!text) return;
    await this.session.voice.say(text);
    this.session.reportUsage();
  }
}
