/**
 * The server's policy over the running session, on the page's side. Fed by the transport's
 * `session:opened` (the session the server created and what its policy owns), it decides which
 * changes the page may make (a refusal is a {@link RealtimePolicyError}, raised before anything is
 * sent), and builds what is sent: the session to apply live, and the session to ask the route for
 * on a reconnect. Without a policy (a transport that reports none) it lets everything through.
 *
 * What the policy owns (see `BootstrapPolicy`):
 * - `locked` fields keep the running session's value; the page may re-send that value, nothing else.
 * - `allowed` lists (model, voice or custom voice id, prompt id, transcription model, tool names,
 *   providerOptions keys) and `bounds` (speed, maxOutputTokens, reasoning effort, idle timeout, tool
 *   count, bytes and model-visible text) limit the page's values.
 * - `toolPins`: the session carries the server's description and parameters of those tools, whatever
 *   the page registered (so a live tool update cannot replace them); {@link PolicyLock.pinFor} gives
 *   the pinned parameters the model's arguments are checked against.
 * - instructions: the server's part always comes first and is never dropped. Under `append` the
 *   page's part (its instructions, its character's) follows and may change within `maxLength`;
 *   under `refuse` the page may set none (so a character is refused too); under `ignore` whatever the
 *   page sets is accepted and never sent.
 * @packageDocumentation
 */
import { composeInstructions, type BootstrapPolicy, type SessionOpened } from '../session/session-policy.js';
import { RealtimePolicyError } from './errors.js';
import type { RealtimeSessionConfig } from './session-config.js';
import { effortAbove, effortsUpTo, type RealtimeReasoningEffort } from '../session/reasoning-efforts.js';
import { pageToolText, pinTool, type PinnableTool, type ToolPin } from '../session/tool-pins.js';

type Config = Record<string, unknown>;

/** Why a value is not allowed, naming the field. */
interface Refusal {
  field: string;
  reason: string;
}

export class PolicyLock {
  #running: Config | undefined;
  #policy: BootstrapPolicy | undefined;

  /** A connection opened: from now on its session and policy rule the page's changes. */
  open(opened: SessionOpened): void {
    this.#running = structuredClone(opened.session) as Config;
    this.#policy = opened.policy ? structuredClone(opened.policy) : undefined;
  }

  /** The session ended: between sessions the page may change anything (the route judges the next start). */
  clear(): void {
    this.#running = undefined;
    this.#policy = undefined;
  }

  /** True while a session with a policy runs. */
  get active(): boolean {
    return this.#policy !== undefined && this.#running !== undefined;
  }

  /**
   * Throws a {@link RealtimePolicyError} naming the first field whose change from `before` to `after`
   * (the page's whole effective configs) the policy does not allow. A field left as it was is never
   * refused, so a page that re-sends an old value (one the route overrode at mint) is not refused.
   */
  check(before: RealtimeSessionConfig, after: RealtimeSessionConfig, method: string): void {
    if (!this.active) return;
    const from = before as Config;
    const to = after as Config;
    for (const key of new Set([...Object.keys(to), ...Object.keys(from)])) {
      if (same(to[key], from[key])) continue;
      const refusal = this.#refusal(key, to[key]);
      if (refusal) throw new RealtimePolicyError(refusal.field, `${method}: ${refusal.reason}`);
    }
  }

  /**
   * The session to apply live for the page's effective config: the running session with the page's
   * values over it, where the policy owns a field the running value, and the instructions composed.
   */
  wire(page: RealtimeSessionConfig): RealtimeSessionConfig {
    if (!this.active) return page;
    const out = this.#overlay(page);
    // Sent even when empty: leaving it out would keep the previous instructions live.
    out.instructions = this.#liveInstructions(page.instructions) ?? '';
    return out as RealtimeSessionConfig;
  }

  /**
   * The session to ask the route for on a reconnect: like {@link wire}, but with only the page's part
   * of the instructions (the route composes them again, and would refuse them under `refuse`).
   */
  request(page: RealtimeSessionConfig): RealtimeSessionConfig {
    if (!this.active) return page;
    const out = this.#overlay(page);
    const part = this.#pagePart(page.instructions);
    if (part === undefined) delete out.instructions;
    else out.instructions = part;
    return out as RealtimeSessionConfig;
  }

  /**
   * The server's pin of tool `name` in the running session, if it pins one: what the model sees of
   * that tool, whatever the page registered.
   */
  pinFor(name: string): ToolPin | undefined {
    if (!this.active) return undefined;
    return this.#policy!.toolPins?.find((pin) => pin.name === name);
  }

  /**
   * The running session with the page's defined values over it; a value the policy refuses stays the
   * running one. Tools carry their pins, and a transcription without a model gets the first allowed
   * one, as the route does at mint.
   */
  #overlay(page: RealtimeSessionConfig): Config {
    const running = this.#running!;
    const out: Config = { ...running };
    for (const [key, value] of Object.entries(page)) if (value !== undefined) out[key] = value;
    for (const key of Object.keys(out)) {
      if (key === 'instructions' || !this.#refusal(key, out[key])) continue;
      if (running[key] === undefined) delete out[key];
      else out[key] = running[key];
    }
    if (Array.isArray(out.tools)) out.tools = (out.tools as PinnableTool[]).map((tool) => pinTool(tool, this.pinFor(tool.name)));
    const models = this.#policy!.allowed?.inputTranscriptionModel;
    const transcription = out.inputTranscription as { model?: unknown } | null | undefined;
    if (models?.length && transcription && transcription.model === undefined) out.inputTranscription = { ...transcription, model: models[0] };
    return out;
  }

  /** Why `value` may not be `key`'s value in this session, or `undefined` when it may. */
  #refusal(key: string, value: unknown): Refusal | undefined {
    if (key === 'instructions') return this.#instructionsRefusal(value);
    const policy = this.#policy!;
    const allowed = policy.allowed ?? {};
    const bounds = policy.bounds ?? {};
    const specific = ((): Refusal | undefined => {
      switch (key) {
        case 'model':
        case 'voice': {
          const list = allowed[key];
          // A custom voice `{ id }` is listed by its id.
          const name = typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : value;
          if (list && typeof name === 'string' && !list.includes(name)) {
            return { field: key, reason: `${key} ${JSON.stringify(value)} is not allowed by the server; allowed: ${list.join(', ')}.` };
          }
          return undefined;
        }
        case 'prompt': {
          const list = allowed.prompt;
          const id = typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : undefined;
          if (list && typeof id === 'string' && !list.includes(id)) {
            return { field: 'prompt.id', reason: `prompt.id ${JSON.stringify(id)} is not allowed by the server; allowed: ${list.join(', ') || 'none'}.` };
          }
          // A prompt's variables are page text the model reads: they count like the page's instructions.
          const variables = typeof value === 'object' && value !== null ? (value as { variables?: unknown }).variables : undefined;
          const max = policy.instructions?.maxLength;
          if (max !== undefined && typeof variables === 'object' && variables !== null) {
            const chars = Object.values(variables).reduce<number>((sum, text) => sum + (typeof text === 'string' ? text.length : 0), 0);
            if (chars > max) return { field: 'prompt.variables', reason: `prompt.variables: at most ${max} characters are allowed by the server in all (got ${chars}).` };
          }
          return undefined;
        }
        case 'reasoning': {
          const effort = typeof value === 'object' && value !== null ? (value as { effort?: unknown }).effort : undefined;
          if (effortAbove(effort, bounds.reasoningEffort)) {
            const list = effortsUpTo(bounds.reasoningEffort as RealtimeReasoningEffort);
            return { field: 'reasoning.effort', reason: `reasoning.effort "${String(effort)}" is above the server's limit; allowed: ${list}.` };
          }
          return undefined;
        }
        case 'speed': {
          const range = bounds.speed;
          if (range && typeof value === 'number' && (value < range.min || value > range.max)) {
            return { field: key, reason: `speed must be between ${range.min} and ${range.max} on this server (got ${value}).` };
          }
          return undefined;
        }
        case 'maxOutputTokens': {
          const max = bounds.maxOutputTokens;
          if (max !== undefined && value !== undefined && (value === 'inf' || (typeof value === 'number' && value > max))) {
            return { field: key, reason: `maxOutputTokens must be an integer between 1 and ${max} on this server (got ${String(value)}).` };
          }
          return undefined;
        }
        case 'tools':
          return this.#toolsRefusal(value);
        case 'inputTranscription': {
          const list = allowed.inputTranscriptionModel;
          const model = typeof value === 'object' && value !== null ? (value as { model?: unknown }).model : undefined;
          // No model: the server's first allowed one is used (the route does the same at mint).
          if (list && value !== null && value !== undefined && model !== undefined && !(typeof model === 'string' && list.includes(model))) {
            return { field: 'inputTranscription.model', reason: `inputTranscription.model must be one of ${list.join(', ')} on this server.` };
          }
          return undefined;
        }
        case 'turnDetection': {
          const range = bounds.idleTimeoutMs;
          const detection = typeof value === 'object' && value !== null ? (value as { type?: unknown; idleTimeoutMs?: unknown }) : undefined;
          const idle = detection?.type === 'server_vad' ? detection.idleTimeoutMs : undefined;
          if (range && typeof idle === 'number' && (idle < range.min || idle > range.max)) {
            return {
              field: 'turnDetection.idleTimeoutMs',
              reason: `turnDetection.idleTimeoutMs must be between ${range.min} and ${range.max} ms on this server, or null (got ${idle}).`,
            };
          }
          return undefined;
        }
        case 'providerOptions': {
          const list = allowed.providerOptions;
          if (!list || typeof value !== 'object' || value === null) return undefined;
          const key = Object.keys(value).find((name) => !list.includes(name));
          return key === undefined ? undefined : { field: `providerOptions.${key}`, reason: `providerOptions.${key} is not allowed by the server.` };
        }
        default:
          return undefined;
      }
    })();
    if (specific) return specific;
    if (policy.locked.includes(key) && !same(value, this.#running![key])) {
      return { field: key, reason: `${key} is set by the server for this session (${describe(this.#running![key])}); the page cannot change it.` };
    }
    return undefined;
  }

  #toolsRefusal(value: unknown): Refusal | undefined {
    const tools = Array.isArray(value) ? (value as Array<{ name?: unknown }>) : [];
    const { bounds = {}, allowed = {} } = this.#policy!;
    if (bounds.maxTools !== undefined && tools.length > bounds.maxTools) {
      const reason =
        bounds.maxTools === 0
          ? 'tools: the server allows none in this session.'
          : `tools: at most ${bounds.maxTools} are allowed by the server (this would make ${tools.length}).`;
      return { field: 'tools', reason };
    }
    if (bounds.maxToolBytes !== undefined) {
      const bytes = new TextEncoder().encode(JSON.stringify(tools)).byteLength;
      if (bytes > bounds.maxToolBytes) {
        return { field: 'tools', reason: `tools: at most ${bounds.maxToolBytes} bytes of definitions are allowed by the server (this would make ${bytes}).` };
      }
    }
    const names = allowed.toolNames;
    const stranger = names ? tools.find((tool) => typeof tool.name !== 'string' || !names.includes(tool.name)) : undefined;
    if (stranger) return { field: 'tools', reason: `tools: ${JSON.stringify(stranger.name)} is not allowed by the server; allowed: ${names!.join(', ')}.` };
    const maxText = bounds.toolTextChars;
    if (maxText !== undefined) {
      // Counted as the route counts it: the page's text, the pinned parts left out.
      const text = (tools as PinnableTool[]).reduce((sum, tool) => sum + pageToolText(tool, this.pinFor(tool.name)), 0);
      if (text > maxText) {
        return { field: 'tools', reason: `tools: at most ${maxText} characters of descriptions are allowed by the server (this would make ${text}).` };
      }
    }
    return undefined;
  }

  #instructionsRefusal(value: unknown): Refusal | undefined {
    const part = nonBlank(value);
    if (part === undefined) return undefined;
    if (this.#serverOwnsInstructions()) {
      const reason =
        this.#mode() === 'refuse'
          ? 'instructions: the server does not accept any from the page in this session (a character builds instructions too).'
          : 'instructions are set by the server for this session; the page cannot change them.';
      return { field: 'instructions', reason };
    }
    const max = this.#policy!.instructions?.maxLength;
    if (this.#mode() === 'append' && max !== undefined && part.length > max) {
      return { field: 'instructions', reason: `instructions: at most ${max} characters are allowed by the server (got ${part.length}).` };
    }
    return undefined;
  }

  /** The instructions to run with: the single place they are composed in the browser. */
  #liveInstructions(page: string | undefined): string | undefined {
    if (this.#serverOwnsInstructions()) return this.#running!.instructions as string | undefined;
    const part = this.#instructionsRefusal(page) ? undefined : page;
    return composeInstructions(this.#policy!.instructions?.server, part, this.#mode());
  }

  /** The page's part the route would compose: only under `append`, and only one it accepts. */
  #pagePart(page: string | undefined): string | undefined {
    if (this.#serverOwnsInstructions() || this.#mode() !== 'append') return undefined;
    return this.#instructionsRefusal(page) ? undefined : nonBlank(page);
  }

  /** Instructions are the running session's alone: locked, `refuse`, or a mode this page does not know. */
  #serverOwnsInstructions(): boolean {
    const mode = this.#mode();
    return this.#policy!.locked.includes('instructions') || (mode !== 'append' && mode !== 'ignore');
  }

  /** No `instructions` in the policy: the server has no say, the page's go as they are. */
  #mode(): string {
    return this.#policy!.instructions?.mode ?? 'append';
  }
}

function nonBlank(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** Equality of JSON values, key order aside; `undefined` members count as absent. */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, index) => same(item, b[index]));
  }
  const x = a as Config;
  const y = b as Config;
  const keys = Object.keys(x).filter((key) => x[key] !== undefined);
  return keys.length === Object.keys(y).filter((key) => y[key] !== undefined).length && keys.every((key) => same(x[key], y[key]));
}

function describe(value: unknown): string {
  if (value === undefined) return 'unset';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
