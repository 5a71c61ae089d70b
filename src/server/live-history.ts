/**
 * The conversation a GPT-Live reconnect carries over: the browser sends its finished turns with the
 * new offer, and the server starts the new session with them as its text history (`session.input`,
 * the Live API's means for it; there is no way to append items to a running Live session).
 * @packageDocumentation
 */
import { z } from 'zod';

/** The Live API accepts at most this many startup messages. */
export const MAX_HISTORY_TURNS = 128;
/** Longest text of one turn the route accepts, in characters. */
export const MAX_HISTORY_TURN_CHARS = 8000;

/** Schema of the route request's `history` (untrusted: it is the page's account of the conversation). */
export const liveHistorySchema = z
  .array(
    z.strictObject({
      role: z.enum(['user', 'assistant']),
      text: z.string().min(1).max(MAX_HISTORY_TURN_CHARS),
      interrupted: z.boolean().optional(),
    }),
  )
  .max(MAX_HISTORY_TURNS, { error: `holds at most ${MAX_HISTORY_TURNS} turns` });

/** One finished turn, as the browser sends it (the manager's `ConversationTurn`). */
export type LiveHistoryTurn = z.infer<typeof liveHistorySchema>[number];

/** One startup message of a Live session (`InitialItem`: user or assistant, one text part). */
export type LiveInitialItem =
  | { type: 'message'; role: 'user'; content: [{ type: 'input_text'; text: string }] }
  | { type: 'message'; role: 'assistant'; status?: 'incomplete'; content: [{ type: 'output_text'; text: string }] };

/** The turns as Live startup history. An interrupted reply is marked incomplete: Live does not resume it. */
export function toLiveInput(history: readonly LiveHistoryTurn[]): LiveInitialItem[] {
  return history.map((turn) =>
    turn.role === 'user'
      ? { type: 'message', role: 'user', content: [{ type: 'input_text', text: turn.text }] }
      : { type: 'message', role: 'assistant', ...(turn.interrupted ? { status: 'incomplete' as const } : {}), content: [{ type: 'output_text', text: turn.text }] },
  );
}
