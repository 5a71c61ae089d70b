/**
 * Small pieces of `<charivo-realtime>` that need nothing of its internals: the session handle it
 * provides through context, the logger that forwards to the page's (or the console with `debug`), the
 * attributes CSS selects on, and the test that keeps streaming text from re-reflecting them.
 */
import type { RealtimeLogger, RealtimeManager, RealtimeState } from '../../manager/index.js';
import type { LevelSource } from '../../transports/types.js';
import type { CharivoDevices, CharivoSession, CharivoSessionActions } from '../session-context.js';
import type { CharivoErrorDetail } from './realtime-events.js';

/** What the handle reads from its element. */
export interface HandleSource extends CharivoSessionActions {
  readonly manager: RealtimeManager;
  readonly muted: boolean;
  readonly pushToTalk: boolean;
  readonly levels: { readonly output: LevelSource; readonly input: LevelSource };
  /** The element's change listeners (state, muted, push-to-talk). */
  readonly listeners: Set<() => void>;
  readonly devices: CharivoDevices;
}

/** The stable session handle: getters and actions that always reach the element's current values. */
export function createSessionHandle(source: HandleSource): CharivoSession {
  return {
    get manager() {
      return source.manager;
    },
    get state() {
      return source.manager.getState();
    },
    get muted() {
      return source.muted;
    },
    get pushToTalk() {
      return source.pushToTalk;
    },
    levels: source.levels,
    devices: source.devices,
    subscribe(listener) {
      source.listeners.add(listener);
      return () => source.listeners.delete(listener);
    },
    start: () => source.start(),
    preload: () => source.preload?.() ?? Promise.resolve(),
    stop: () => source.stop(),
    send: (text) => source.send(text),
    interrupt: () => source.interrupt(),
    setMuted: (muted) => source.setMuted(muted),
    startTalking: () => source.startTalking(),
    stopTalking: () => source.stopTalking(),
    retryMicrophone: () => source.retryMicrophone(),
    sendImage: (image, text, options) => source.sendImage(image, text, options),
  };
}

/** A logger that writes to the element's current `logger`, or to the console while `debug` is on. */
export function createLoggerProxy(element: { readonly logger?: RealtimeLogger | undefined; readonly debug: boolean }): RealtimeLogger {
  const forward =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (message: string, context?: Record<string, unknown>) => {
      const target = element.logger ?? (element.debug ? console : undefined);
      target?.[level](`[charivo-realtime] ${message}`, context);
    };
  return {
    debug: forward('debug'),
    info: forward('info'),
    warn: forward('warn'),
    error: forward('error'),
    // The page's logger decides; the console of `debug` never gets argument values.
    get logToolArguments() {
      return element.logger?.logToolArguments === true;
    },
  };
}

/** Attributes CSS can select on: `state`, `connection`, `speaking`, `reconnecting`, `microphone` (written only when they differ). */
export function reflectState(element: HTMLElement, state: RealtimeState): void {
  if (element.getAttribute('state') !== state.session.status) element.setAttribute('state', state.session.status);
  if (element.getAttribute('connection') !== state.connection) element.setAttribute('connection', state.connection);
  element.toggleAttribute('speaking', state.audioPlaying);
  element.toggleAttribute('reconnecting', state.reconnecting);
  if (element.getAttribute('microphone') !== state.microphone) element.setAttribute('microphone', state.microphone);
}

/** True when a state change is only the streaming text of the same response. */
export function onlyTextChanged(state: RealtimeState, previous: RealtimeState): boolean {
  if (state.response.text === previous.response.text) return false;
  if (state.response.id !== previous.response.id || state.response.status !== previous.response.status) return false;
  for (const key of Object.keys(state) as Array<keyof RealtimeState>) {
    if (key !== 'response' && state[key] !== previous[key]) return false;
  }
  return true;
}

/**
 * The transport's code behind a manager error (and a 429's wait): the deepest cause with a code of its
 * own, since an adapter may wrap the route's refusal in its own connect failure and the refusal says more.
 */
export function causeOf(error: Error & { code?: string }): Pick<CharivoErrorDetail, 'reason' | 'retryAfterSeconds'> {
  let found: Pick<CharivoErrorDetail, 'reason' | 'retryAfterSeconds'> = {};
  let current: unknown = error.cause;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    const { code, retryAfterSeconds } = current as { code?: unknown; retryAfterSeconds?: unknown };
    if (typeof code === 'string' && code !== error.code) found = { reason: code, ...(typeof retryAfterSeconds === 'number' ? { retryAfterSeconds } : {}) };
    current = (current as { cause?: unknown }).cause;
  }
  return found;
}
