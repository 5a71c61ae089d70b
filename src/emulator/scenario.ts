import type { SpeechTiming } from './audio-synth.js';

/** A tool call the scripted assistant makes. */
export interface EmulatorToolCall {
  /** The function name; the emulator does not check that the session declares it. */
  name: string;
  /** An object (sent as JSON) or a raw string, which may be deliberately invalid JSON. */
  arguments?: unknown;
}

/** What the scripted assistant is replying to. */
export interface EmulatorTurn {
  /**
   * `text`: a user message; `audio`: a committed stretch of microphone audio; `tool_output`: the
   * client returned function results; `none`: a response was requested with no new user input.
   */
  kind: 'text' | 'audio' | 'tool_output' | 'none';
  /** The user's text, or for audio the emulator's stand-in transcript. For `tool_output`, the user text that led to the call. */
  text: string;
  /** Length of the user's speech, for `audio` turns. */
  audioMs?: number;
  /** Images in the user's message (`input_image`), with the size read from each. */
  images?: Array<{ width: number; height: number; type: string }>;
  /** Function results the client sent since the assistant's calls, for `tool_output` turns. */
  toolOutputs: Array<{ name: string; callId: string; output: string }>;
  /** Names of the function tools the session declares. */
  tools: string[];
  /** The session's `tool_choice`: with `none` the assistant never calls tools. */
  toolChoice: unknown;
}

/**
 * One scripted reaction. The first rule whose `match` fits the user's text wins; a string matches
 * as a case-insensitive substring.
 */
export interface EmulatorRule {
  match: string | RegExp;
  /** What the assistant says. With `toolCalls`, this is said after the client returns the results. */
  say?: string | ((turn: EmulatorTurn) => string);
  /** Functions the assistant calls (in one response) before it answers. */
  toolCalls?: EmulatorToolCall[];
  /** Thinking time between `response.created` and the first output. */
  delayMs?: number;
}

/** The scripted assistant: rules first, then the built-in behaviour. */
export interface EmulatorScenario extends SpeechTiming {
  rules?: EmulatorRule[];
  /** Said when a response is requested with no new user input. */
  greeting?: string;
}

/** The emulator's decision for one response. */
export interface ReplyPlan {
  say?: string;
  toolCalls: Array<{ name: string; arguments: string }>;
  delayMs: number;
}

const CALL_PATTERN = /^\s*call\s+([A-Za-z0-9_.:-]+)\s*([\s\S]*)$/i;
const SIGNATURE = 'This is the emulator speaking.';

/**
 * Decides what the assistant does for `turn`. Built-in behaviour: `call <tool> <json-args>` calls a
 * tool the session declares; anything else is quoted back; audio turns say how long the speech was;
 * function results are read back.
 */
export function planReply(scenario: EmulatorScenario | undefined, turn: EmulatorTurn): ReplyPlan {
  const rule = scenario?.rules?.find((candidate) => matches(candidate.match, turn.text));
  const delayMs = rule?.delayMs && rule.delayMs > 0 ? rule.delayMs : 0;

  if (turn.kind === 'tool_output') {
    const say = rule?.say ? resolveSay(rule.say, turn) : describeToolOutputs(turn.toolOutputs);
    return { say, toolCalls: [], delayMs };
  }
  if (turn.kind === 'none') {
    return { say: scenario?.greeting ?? `Hello! ${SIGNATURE}`, toolCalls: [], delayMs: 0 };
  }
  if (rule) {
    if (rule.toolCalls?.length && turn.toolChoice !== 'none') {
      return { toolCalls: rule.toolCalls.map(serialiseCall), delayMs };
    }
    return { say: rule.say ? resolveSay(rule.say, turn) : defaultSay(turn), toolCalls: [], delayMs };
  }
  const call = turn.kind === 'text' ? CALL_PATTERN.exec(turn.text) : null;
  if (call) {
    const [, name, rawArgs] = call as unknown as [string, string, string];
    if (turn.toolChoice === 'none') {
      return { say: `I was asked to call ${name}, but tool_choice is none. ${SIGNATURE}`, toolCalls: [], delayMs };
    }
    if (!turn.tools.includes(name)) {
      return { say: `I can't call ${name}: this session has no such tool. ${SIGNATURE}`, toolCalls: [], delayMs };
    }
    return { toolCalls: [{ name, arguments: rawArgs.trim() || '{}' }], delayMs };
  }
  return { say: defaultSay(turn), toolCalls: [], delayMs };
}

function matches(pattern: string | RegExp, text: string): boolean {
  if (typeof pattern === 'string') return text.toLowerCase().includes(pattern.toLowerCase());
  pattern.lastIndex = 0;
  return pattern.test(text);
}

function resolveSay(say: string | ((turn: EmulatorTurn) => string), turn: EmulatorTurn): string {
  return typeof say === 'function' ? String(say(turn)) : say;
}

function serialiseCall(call: EmulatorToolCall): { name: string; arguments: string } {
  const args = call.arguments;
  return { name: call.name, arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}) };
}

function defaultSay(turn: EmulatorTurn): string {
  if (turn.images?.length) {
    const sizes = turn.images.map((image) => `${image.width}×${image.height}`);
    const what = sizes.length === 1 ? `an image of ${sizes[0]}` : `${sizes.length} images (${sizes.join(', ')})`;
    const asked = turn.text ? ` and you said "${turn.text.length > 80 ? `${turn.text.slice(0, 77)}...` : turn.text}"` : '';
    return `I see ${what}${asked}. ${SIGNATURE}`;
  }
  if (turn.kind === 'audio') {
    const seconds = ((turn.audioMs ?? 0) / 1000).toFixed(1);
    return `I heard ${seconds} seconds of speech. ${SIGNATURE}`;
  }
  const quoted = turn.text.length > 80 ? `${turn.text.slice(0, 77)}...` : turn.text;
  return `You said "${quoted}". ${SIGNATURE}`;
}

function describeToolOutputs(outputs: EmulatorTurn['toolOutputs']): string {
  const parts = outputs.map(({ name, output }) => {
    const shown = output.length > 120 ? `${output.slice(0, 117)}...` : output;
    return `${name || 'the tool'} returned ${shown}`;
  });
  return `Done: ${parts.join('; ')}. ${SIGNATURE}`;
}
