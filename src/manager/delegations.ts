/**
 * Client delegations (GPT-Live): the model hands a task to the page (`realtime:delegation` with
 * `target: 'client'`) and the page answers through {@link answerDelegation}. Checked here, before the
 * transport sees anything; a spoken answer (`commentary`) is awaited like a tool result's reply, so
 * the send lock and the response timeout cover it.
 */
import type { DelegationAnswerKind } from '../transports/types.js';
import type { ManagerCore } from './core.js';
import { RealtimeError, toRealtimeError } from './errors.js';

const KINDS: readonly DelegationAnswerKind[] = ['commentary', 'thinking'];

/** Sends the page's answer to delegation `delegationId`. */
export async function answerDelegation(
  core: ManagerCore,
  delegationId: string,
  content: string,
  options: { kind?: DelegationAnswerKind } | undefined,
): Promise<void> {
  if (typeof delegationId !== 'string' || delegationId === '') {
    throw new RealtimeError('invalid_argument', 'answerDelegation: delegationId must be the id of a realtime:delegation event.');
  }
  if (typeof content !== 'string' || content.trim() === '') {
    throw new RealtimeError('invalid_argument', 'answerDelegation: content must be a non-empty string.');
  }
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new RealtimeError('invalid_argument', 'answerDelegation: options must be an object ({ kind }).');
  }
  const kind = options?.kind ?? 'commentary';
  if (!KINDS.includes(kind)) {
    throw new RealtimeError('invalid_argument', `answerDelegation: kind must be "commentary" or "thinking", got ${JSON.stringify(kind)}.`);
  }
  core.assertLive('answerDelegation');
  const transport = core.transport;
  if (!transport.answerDelegation) {
    throw new RealtimeError('unsupported', 'answerDelegation: this transport has no delegations (GPT-Live has them: adapter openai-live-webrtc).');
  }
  // The model speaks commentary: the page awaits it as it awaits the reply to a tool result.
  const spoken = kind === 'commentary';
  if (spoken) core.responses.awaitReply(false);
  try {
    await transport.answerDelegation(delegationId, content, kind);
  } catch (error) {
    if (spoken) core.responses.cancelAwait();
    throw toRealtimeError(error, 'transport_error', 'answerDelegation');
  }
  core.log.debug('delegation answered', { delegationId, kind });
}
