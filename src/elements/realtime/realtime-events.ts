/**
 * DOM events of `<charivo-realtime>`: every manager event, renamed by one rule for frameworks
 * (`realtime:tool:call` → `charivo-tool-call`, `tts:audio:start` → `charivo-audio-start`,
 * `avatar:expression` → `charivo-avatar-expression`), bubbling and composed, with a typed detail.
 * The 60 Hz lip-sync level is not an event: consumers sample it through the context.
 */
import type { RealtimeManagerEventMap } from '../../manager/index.js';

type StripNamespace<K extends string> = K extends `realtime:${infer Rest}` ? Rest : K extends `tts:${infer Rest}` ? Rest : K;
type Dashed<S extends string> = S extends `${infer Head}:${infer Tail}` ? `${Head}-${Dashed<Tail>}` : S;
/** The DOM name of a manager event. */
export type CharivoDomEventName<K extends string> = `charivo-${Dashed<StripNamespace<K>>}`;

/** Manager events that never become DOM events (too frequent for the DOM). */
const NOT_DISPATCHED = new Set(['tts:lipsync:update']);

/**
 * Names already worked out: every streamed delta is an event, and the rule's split, join and regex
 * per event showed in its profile. The manager's names are a small fixed set; a cap keeps a page
 * that emits made-up names from growing it.
 */
const NAMES = new Map<string, string | null>();
const NAMES_KEPT = 256;

/** Applies the rule; `null` for events that stay off the DOM. */
export function toDomEventName(managerEvent: string): string | null {
  let name = NAMES.get(managerEvent);
  if (name === undefined) {
    name = domEventName(managerEvent);
    if (NAMES.size < NAMES_KEPT) NAMES.set(managerEvent, name);
  }
  return name;
}

function domEventName(managerEvent: string): string | null {
  if (NOT_DISPATCHED.has(managerEvent)) return null;
  const parts = managerEvent.split(':').filter(Boolean);
  if (parts[0] === 'realtime' || parts[0] === 'tts') parts.shift();
  if (parts.length === 0) return null;
  return `charivo-${parts.join('-').toLowerCase().replace(/[^a-z0-9-]/g, '-')}`;
}

/** Detail of `charivo-error`: manager errors and invalid input to the element alike. */
export interface CharivoErrorDetail {
  /** A stable code: the manager error's code, or `invalid_property` / `invalid_attribute` / `invalid_tool` / `policy_locked`. */
  code: string;
  message: string;
  /** Where it came from: the session, or the property/attribute/method name that was given bad input. */
  source: string;
  sessionId?: string | null;
  error?: Error;
  /** For `policy_locked`: the session field the server's policy owns (`voice`, `instructions`, `tools`, …). */
  field?: string;
  /**
   * For a session error: the transport's code behind it, when there is one: the route's refusal
   * (`unauthorized`, `forbidden`, `rate_limited`, `payload_too_large`, …), `network_error`,
   * `connection_failed`… So a page can tell "sign in again" from "try later" from "offline".
   */
  reason?: string;
  /** For `reason: 'rate_limited'`: seconds until the route accepts a new session (its `Retry-After`). */
  retryAfterSeconds?: number;
}

/** Every `charivo-*` event `<charivo-realtime>` dispatches, by name, with its detail. */
export type CharivoEventDetailMap = {
  [K in Exclude<keyof RealtimeManagerEventMap, 'tts:lipsync:update' | 'realtime:error'> as CharivoDomEventName<K>]: RealtimeManagerEventMap[K];
} & {
  'charivo-error': CharivoErrorDetail;
  'charivo-avatar-expression': { expressionId: string; intensity?: number; callId?: string };
  'charivo-avatar-motion': { motionId: string; index?: number; callId?: string };
  'charivo-avatar-gaze': { x: number; y: number; callId?: string };
};

/** The event class: `bubbles` and `composed` fixed, so it crosses shadow roots to the page. */
export class CharivoEvent<T = unknown> extends CustomEvent<T> {
  constructor(type: string, detail: T) {
    super(type, { detail, bubbles: true, composed: true });
  }
}

/** Typed `addEventListener` for every `charivo-*` name. */
export type CharivoEventMap = { [K in keyof CharivoEventDetailMap]: CharivoEvent<CharivoEventDetailMap[K]> };

declare global {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface GlobalEventHandlersEventMap extends CharivoEventMap {}
}
