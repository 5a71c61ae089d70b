// Helpers for the engine-difference tests: a page with the elements on the real route, a record of the
// AudioContexts and microphone tracks the kit opens (and whether it did so inside a user gesture), real
// clicks, a page sent to the background and back, and an engine without WebRTC.
import { resetMouse, sendMouse } from '@web/test-runner-commands';
// @ts-expect-error virtual module served by test/wtr-realtime-server.mjs
import { emulatorUrl, routePath } from '/__charivo/emulator.js';
import '../../../src/elements/index.js';
import type { CharivoRealtime } from '../../../src/elements/realtime/realtime.js';
import { speakingMicrophone, type SpeakingMicrophone } from '../../helpers/speaking-microphone.js';
import { within } from '../../helpers/within.js';

export const ROUTE_PATH: string = routePath;
export const EMULATOR_URL: string = emulatorUrl;

// ── what the kit opens ───────────────────────────────────────────────────────────────────────

export interface ContextRecord {
  context: AudioContext;
  /** Created while a click was being dispatched, and with the page's user activation at that moment. */
  inClick: boolean;
  activation: boolean | undefined;
  /** Its state right after construction (Chromium with autoplay allowed: running; Firefox, WebKit: suspended). */
  initialState: AudioContextState;
  /** Each resume() call: inside a click or not. */
  resumes: Array<{ inClick: boolean; activation: boolean | undefined }>;
}

let inClick = false;
const contexts: ContextRecord[] = [];
const tracks: MediaStreamTrack[] = [];
const ignored = new Set<AudioContext>();

const activation = (): boolean | undefined => (navigator as Navigator & { userActivation?: { isActive: boolean } }).userActivation?.isActive;

/** Wraps AudioContext (construction, resume) and getUserMedia for the whole page; call once per file. */
export function installCensus(): void {
  // Capture on the way in, bubble on the way out: everything a click handler does synchronously
  // (even inside a shadow root: click is composed) happens in between.
  window.addEventListener('click', () => (inClick = true), { capture: true });
  window.addEventListener('click', () => (inClick = false));
  const Native = window.AudioContext;
  window.AudioContext = new Proxy(Native, {
    construct(target, args, newTarget) {
      const context = Reflect.construct(target, args, newTarget) as AudioContext;
      contexts.push({ context, inClick, activation: activation(), initialState: context.state, resumes: [] });
      return context;
    },
  });
  const resume = Native.prototype.resume;
  Native.prototype.resume = function (this: AudioContext) {
    contexts.find((record) => record.context === this)?.resumes.push({ inClick, activation: activation() });
    return resume.call(this);
  };
  const devices = navigator.mediaDevices;
  const getUserMedia = devices.getUserMedia.bind(devices);
  devices.getUserMedia = async (constraints) => {
    const stream = await getUserMedia(constraints);
    tracks.push(...stream.getAudioTracks());
    return stream;
  };
}

/** Created inside a click and, unless it started running, resumed inside that click too. */
export function startedInClick(record: ContextRecord): boolean {
  return record.inClick && (record.initialState === 'running' || record.resumes[0]?.inClick === true);
}

/** Leaves a context of the test's own (a speaking microphone's) out of the kit's. */
export function ignoreContext(context: AudioContext): void {
  ignored.add(context);
}

/** AudioContexts the kit created (from `from` on). */
export function kitContexts(from = 0): ContextRecord[] {
  return contexts.slice(from).filter((record) => !ignored.has(record.context));
}

/** How many contexts have been created so far (a mark for {@link kitContexts}). */
export const contextMark = (): number => contexts.length;

/** Microphone tracks opened through getUserMedia (from `from` on). */
export function deviceTracks(from = 0): MediaStreamTrack[] {
  return tracks.slice(from);
}

export const trackMark = (): number => tracks.length;

// ── the page ─────────────────────────────────────────────────────────────────────────────────

/**
 * `<charivo-realtime>` on the real route with `attributes`, and `<charivo-controls>` inside. Its
 * microphone is a speaking microphone (silent until the test speaks, the same in every engine) unless
 * `device` asks for the engine's own fake device.
 */
export async function mountSession(
  attributes: Record<string, string | true> = {},
  options: { device?: boolean } = {},
): Promise<{
  el: CharivoRealtime;
  controls: HTMLElement & { updateComplete: Promise<boolean> };
  mic: SpeakingMicrophone | null;
  remove(): Promise<void>;
}> {
  const mic = options.device ? null : await speakingMicrophone();
  if (mic) ignoreContext(mic.context);
  const el = document.createElement('charivo-realtime') as CharivoRealtime;
  el.setAttribute('endpoint', ROUTE_PATH);
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value === true ? '' : value);
  if (mic) el.microphone = { stream: mic.stream };
  const controls = document.createElement('charivo-controls') as HTMLElement & { updateComplete: Promise<boolean> };
  el.append(controls);
  document.body.append(el);
  await el.updateComplete;
  await controls.updateComplete;
  return {
    el,
    controls,
    mic,
    async remove() {
      await el.stop();
      el.remove();
      await mic?.close();
    },
  };
}

/** A control of `<charivo-controls>` by its part name (`start`, `talk`, …). */
export function control(controls: HTMLElement, part: string): HTMLButtonElement {
  const button = controls.shadowRoot!.querySelector<HTMLButtonElement>(`[part~="${part}"]`);
  if (!button) throw new Error(`<charivo-controls> has no ${part} button`);
  return button;
}

/** A real (trusted) click at the middle of `element`, through the test runner's mouse. */
export async function realClick(element: Element): Promise<void> {
  element.scrollIntoView({ block: 'center' });
  const box = element.getBoundingClientRect();
  await sendMouse({ type: 'click', position: [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)] });
  await resetMouse();
}

/** Resolves with the next `type` event on `target`; fails after `ms` naming it. */
export function nextEvent<T = unknown>(target: EventTarget, type: string, predicate: (detail: T) => boolean = () => true, ms = 12_000): Promise<T> {
  return awaitedEvent<T>(target, type, predicate).within(ms, '');
}

/**
 * Catches the first `type` event on `target` that `predicate` accepts from now on, and waits for it
 * only when asked: `within(ms)` is bounded from its own call (see test/helpers/within.ts).
 */
export function awaitedEvent<T = unknown>(target: EventTarget, type: string, predicate: (detail: T) => boolean = () => true): { within(ms: number, after: string): Promise<T> } {
  const detail = new Promise<T>((resolve) => {
    const listener = (event: Event) => {
      const value = (event as CustomEvent<T>).detail;
      if (!predicate(value)) return;
      target.removeEventListener(type, listener);
      resolve(value);
    };
    target.addEventListener(type, listener);
  });
  return { within: (ms, after) => within(detail, ms, after ? `no ${type} ${after}` : `no ${type}`) };
}

/** Resolves when `context` reaches `state` (now or on a statechange); fails after `ms`. */
export function contextState(context: AudioContext, state: AudioContextState, ms = 5000): Promise<void> {
  if (context.state === state) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      context.removeEventListener('statechange', check);
      reject(new Error(`the AudioContext stayed ${context.state}, never ${state}, within ${ms} ms`));
    }, ms);
    function check(): void {
      if (context.state !== state) return;
      clearTimeout(timer);
      context.removeEventListener('statechange', check);
      resolve();
    }
    context.addEventListener('statechange', check);
  });
}

/** Reads `read()` once per animation frame until `predicate` holds (bounded by frames); `what` names it on failure. */
export async function untilFrames(read: () => number, predicate: (value: number) => boolean, what: string | (() => string), maxFrames = 600): Promise<number> {
  for (let frame = 0; frame < maxFrames; frame += 1) {
    const value = read();
    if (predicate(value)) return value;
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
  throw new Error(`${typeof what === 'function' ? what() : what}: not within ${maxFrames} frames (last ${read()})`);
}

// ── the page in the background ───────────────────────────────────────────────────────────────

/**
 * Tells the page it went to the background (or came back) the way the engine does: the visibility
 * state changes, then `visibilitychange` fires. Test drivers cannot hide a headless tab in every
 * engine, so the state is set on the document itself.
 */
export function setVisibility(state: 'hidden' | 'visible'): void {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => state === 'hidden' });
  document.dispatchEvent(new Event('visibilitychange'));
}

/** Back to the engine's own visibility. */
export function restoreVisibility(): void {
  delete (document as unknown as Record<string, unknown>).visibilityState;
  delete (document as unknown as Record<string, unknown>).hidden;
}

// ── an engine without WebRTC ─────────────────────────────────────────────────────────────────

/**
 * Runs `body` in an engine without RTCPeerConnection: this one when it has none (WebKitGTK here),
 * otherwise this one with the global hidden for the duration.
 */
export async function withoutWebRTC<T>(body: () => Promise<T>): Promise<T> {
  const scope = window as unknown as Record<string, unknown>;
  const saved = scope.RTCPeerConnection;
  if (saved === undefined) return body();
  scope.RTCPeerConnection = undefined;
  try {
    return await body();
  } finally {
    scope.RTCPeerConnection = saved;
  }
}
