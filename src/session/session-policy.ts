/**
 * What the server's policy owns in a realtime session, as the route tells the browser (the
 * bootstrap's `policy`), and the one rule that puts the server's and the page's instructions
 * together. Both sides import this file: the route composes what it mints with
 * {@link composeInstructions}, and the manager composes what it sends live with the same function,
 * so the two cannot drift.
 *
 * Free of Node imports and of anything heavier than zod/mini: the browser parses it.
 * @packageDocumentation
 */
import * as z from 'zod/mini';
import type { RealtimeSessionConfig } from './session-config.js';
import type { ToolPin } from './tool-pins.js';

/** How the page's instructions combine with the server's. */
export type InstructionsMode = 'append' | 'refuse' | 'ignore';

/**
 * The policy of one session, as the route describes it to the browser. A page may change a session
 * field while the session runs unless this says otherwise; what it says is enforced by the manager
 * before anything is sent (code `policy_locked`) and, at every (re)connect, by the route itself.
 */
export interface BootstrapPolicy {
  /**
   * Session fields (names of `RealtimeSessionConfig`) the server owns: the running session keeps its
   * value and the page may not change it. `model` is always here: a session's model is fixed when it
   * is created.
   */
  locked: string[];
  /** Fields the page may set only to one of these values (or, for `providerOptions`, keys). */
  allowed?: {
    model?: string[];
    /** Voice names and custom voice ids. */
    voice?: string[];
    /** Ids of stored prompts `prompt` may reference. */
    prompt?: string[];
    /** Models `inputTranscription.model` may name. */
    inputTranscriptionModel?: string[];
    /** Names the page's tools may have. */
    toolNames?: string[];
    /** Keys `providerOptions` may carry; an empty list allows none. */
    providerOptions?: string[];
  };
  /** Limits the page's values must keep. */
  bounds?: {
    speed?: { min: number; max: number };
    /** Highest `maxOutputTokens` (`'inf'` is refused). */
    maxOutputTokens?: number;
    /** Most tools a session may declare (0: none). */
    maxTools?: number;
    /** Largest tools array, as UTF-8 JSON bytes. */
    maxToolBytes?: number;
    /** Highest `reasoning.effort` (`minimal` < `low` < `medium` < `high` < `xhigh`). */
    reasoningEffort?: string;
    /**
     * Most characters of model-visible text the page's tools may carry (descriptions, and titles,
     * descriptions and literal values in parameters), pinned parts not counted.
     */
    toolTextChars?: number;
    /** Range of server VAD's `turnDetection.idleTimeoutMs` (`null`, off, stays allowed). */
    idleTimeoutMs?: { min: number; max: number };
  };
  /**
   * Tools whose description and parameters the server decides: whatever the page registers under
   * these names, the session carries the pinned parts (and the page's tool handler gets arguments
   * checked against the pinned parameters, the ones the model saw).
   */
  toolPins?: ToolPin[];
  /**
   * How instructions work. Absent: the server has no say (the page's instructions go as they are).
   * - `append`: the server's instructions (`server`) always come first; the page's follow and may change.
   * - `refuse`: only the server's; the page may not set any (a character builds some, so it is refused too).
   * - `ignore`: only the server's; whatever the page sets is dropped, never sent.
   * An unknown mode (from a newer server) is treated as `refuse`.
   */
  instructions?: {
    mode: InstructionsMode | (string & {});
    /** The server's own instructions (they are in the minted session anyway). */
    server?: string;
    /** Longest page instructions accepted, in characters (`append`). */
    maxLength?: number;
  };
}

/** What a transport reports when a connection opens: the session that runs, and its policy. */
export interface SessionOpened {
  /** The session as the server created it (policy applied, defaults filled). */
  session: RealtimeSessionConfig;
  /** What the server's policy owns; absent when the server says nothing (older servers, no route). */
  policy?: BootstrapPolicy;
}

const nonNegative = () => z.number().check(z.nonnegative());
const names = () => z.optional(z.array(z.string()));

/**
 * Schema of {@link BootstrapPolicy}. Not strict: fields a newer server adds are dropped, so an older
 * page still connects.
 */
export const bootstrapPolicySchema = z.object({
  locked: z.array(z.string()),
  allowed: z.optional(
    z.object({
      model: names(),
      voice: names(),
      prompt: names(),
      inputTranscriptionModel: names(),
      toolNames: names(),
      providerOptions: names(),
    }),
  ),
  bounds: z.optional(
    z.object({
      speed: z.optional(z.object({ min: z.number(), max: z.number() })),
      maxOutputTokens: z.optional(nonNegative()),
      maxTools: z.optional(nonNegative()),
      maxToolBytes: z.optional(nonNegative()),
      reasoningEffort: z.optional(z.string()),
      toolTextChars: z.optional(nonNegative()),
      idleTimeoutMs: z.optional(z.object({ min: z.number(), max: z.number() })),
    }),
  ),
  toolPins: z.optional(
    z.array(
      z.object({
        name: z.string(),
        description: z.optional(z.string()),
        parameters: z.optional(z.record(z.string(), z.unknown())),
      }),
    ),
  ),
  instructions: z.optional(
    z.object({
      mode: z.string(),
      server: z.optional(z.string()),
      maxLength: z.optional(nonNegative()),
    }),
  ),
});

/**
 * The instructions a session runs with: the server's first, then (under `append` only) the page's,
 * separated by a blank line. Blank page instructions count as none. `undefined` when neither has any.
 */
export function composeInstructions(server: string | undefined, page: string | undefined, mode: string): string | undefined {
  const fromPage = mode === 'append' && page !== undefined && page.trim() !== '' ? page : undefined;
  const parts = [server, fromPage].filter((part): part is string => part !== undefined && part !== '');
  return parts.length ? parts.join('\n\n') : undefined;
}
