// What this browser engine can do, and the one way a test that cannot run here says why.
//
// A test never skips silently. `requires('RTCPeerConnection')` inside a describe skips that suite in
// engines without the feature, and the reason goes to the test runner (test/wtr-engine-report.mjs):
// the run's summary lists every skipped test with it, and a skip without a reason fails the run.
//
//   describe('e2e webrtc', () => {
//     requires('RTCPeerConnection');
//     it(…);
//   });
//
// Inside a test, `await skipBecause(this, 'why')` does the same for that test alone (for a capability
// only found out by trying, like emulateColorScheme() below).
import { emulateMedia, executeServerCommand } from '@web/test-runner-commands';
import { DEFAULT_ADAPTERS } from '../../src/transports/remote/adapters.js';

/** Features a test may need, each checked in the running engine. */
export const CAPABILITIES = {
  RTCPeerConnection: {
    has: () => typeof RTCPeerConnection === 'function',
    why: 'no RTCPeerConnection in this engine: it cannot run WebRTC',
  },
  'OfflineAudioContext.suspend': {
    has: () => typeof OfflineAudioContext === 'function' && typeof OfflineAudioContext.prototype.suspend === 'function',
    why: 'OfflineAudioContext.suspend(time) is not implemented in this engine, so a worklet cannot be scripted at exact render times',
  },
  AudioWorklet: {
    has: () => typeof AudioWorkletNode === 'function',
    why: 'AudioWorkletNode is not defined in this engine',
  },
  setSinkId: {
    has: () => typeof HTMLMediaElement.prototype.setSinkId === 'function',
    why: 'no HTMLMediaElement.setSinkId in this engine: it lists no audio outputs and cannot play to a chosen one',
  },
  getUserMedia: {
    has: () => typeof navigator.mediaDevices?.getUserMedia === 'function',
    why: 'navigator.mediaDevices.getUserMedia is not available in this engine',
  },
} as const;

export type Capability = keyof typeof CAPABILITIES;

/** Whether this engine has every one of `names`. */
export function has(...names: Capability[]): boolean {
  return names.every((name) => CAPABILITIES[name].has());
}

/** The reasons this engine cannot run something that needs `names` (empty when it can). */
export function missing(...names: Capability[]): string[] {
  return names.filter((name) => !CAPABILITIES[name].has()).map((name) => CAPABILITIES[name].why);
}

/** What an adapter needs of the engine: the WebRTC adapters need RTCPeerConnection. */
export function needsOf(adapter: string): Capability[] {
  const entry = DEFAULT_ADAPTERS.find((candidate) => candidate.name === adapter);
  return entry?.transport === 'webrtc' ? ['RTCPeerConnection'] : [];
}

/** Tells the runner why `path` (a suite's or a test's titles) is skipped in this engine. */
async function reportSkip(path: string[], reason: string): Promise<void> {
  await executeServerCommand('charivo-skip', { path, reason });
}

/**
 * Call inside `describe()`: in an engine without one of `names`, every test of the suite is skipped and
 * reported with the reason. Elsewhere it does nothing.
 */
export function requires(...names: Capability[]): void {
  before(async function () {
    const reasons = missing(...names);
    if (reasons.length === 0) return;
    const suite = this.test?.parent;
    await reportSkip(suite ? suite.titlePath() : [], reasons.join('; '));
    this.skip();
  });
}

/** Inside a test: skips it, reported with the reason, in an engine without one of `names`. */
export async function need(context: Mocha.Context, ...names: Capability[]): Promise<void> {
  const reasons = missing(...names);
  if (reasons.length > 0) await skipBecause(context, reasons.join('; '));
}

/** Skips the running test with `reason` (reported to the runner; see the file comment). */
export async function skipBecause(context: Mocha.Context, reason: string): Promise<never> {
  const test = context.test;
  await reportSkip(test ? test.titlePath() : [], reason);
  context.skip();
  throw new Error('unreachable: mocha skip() throws');
}

/**
 * `prefers-color-scheme` emulation. The runner's emulateMedia needs the Chrome DevTools Protocol, which
 * Firefox (WebDriver BiDi) and WebKit (WebDriver classic) are not driven with: there the test is
 * skipped with that reason.
 */
export async function emulateColorScheme(context: Mocha.Context, scheme: 'light' | 'dark'): Promise<void> {
  const { protocol } = await driver();
  if (protocol !== 'cdp') {
    await skipBecause(context, `no prefers-color-scheme emulation: the runner's emulateMedia needs the Chrome DevTools Protocol, this engine is driven over ${protocol}`);
  }
  await emulateMedia({ colorScheme: scheme });
}

/**
 * Engine bugs a test must not trigger, by engine: found on this machine, each with what happens. A test
 * calls `await avoidEngineBug(this, 'name')`: skipped, with the description as its reason, in the engines
 * listed (by what the runner says it drives, not by user agent); run everywhere else.
 */
export const ENGINE_BUGS = {
  'no-touch-scrolling': {
    engines: ['firefox', 'webkit'],
    why:
      'a touch swipe from the driver (WebDriver BiDi in Firefox, WebDriver actions in WebKitGTK) arrives but does not ' +
      'scroll: desktop Firefox and WebKitGTK scroll by touch only with a touch screen; the wheel and keyboard tests cover scrolling there',
  },
  'webkitgtk-suspend-while-playing': {
    engines: ['webkit'],
    why:
      'WebKitGTK 2.50 (GStreamer audio) can freeze the AudioContext clock or hang its web process when a context is ' +
      'suspended while an AudioWorklet plays, under CPU load (seen at load 6 to 13 on 2 cores: "WebProcess CRASHED")',
  },
} as const;

export async function avoidEngineBug(context: Mocha.Context, bug: keyof typeof ENGINE_BUGS): Promise<void> {
  const { engine } = await driver();
  const known = ENGINE_BUGS[bug];
  if ((known.engines as readonly string[]).includes(engine)) await skipBecause(context, known.why);
}

/**
 * What the runner can do to a page from outside, by the protocol it drives the engine with (the
 * plugins in test/wtr-*-plugin.mjs). A test that needs one calls `requiresDriver('…')` inside its describe.
 */
export const DRIVER_FEATURES = {
  'page-visibility': {
    protocols: ['cdp', 'webdriver-bidi'],
    why:
      'hiding the test page behind another tab needs a puppeteer-driven browser (DevTools protocol or WebDriver BiDi); ' +
      'WebKitGTK is driven over WebDriver classic, where the runner has no second tab to bring to the front',
  },
} as const;

/** Call inside `describe()`: skips the suite, with the reason, where the runner cannot do `feature`. */
export function requiresDriver(feature: keyof typeof DRIVER_FEATURES): void {
  before(async function () {
    const { protocol } = await driver();
    const known = DRIVER_FEATURES[feature];
    if ((known.protocols as readonly string[]).includes(protocol)) return;
    const suite = this.test?.parent;
    await reportSkip(suite ? suite.titlePath() : [], known.why);
    this.skip();
  });
}

/** Which engine runs this page and the protocol the runner drives it with. */
export function driver(): Promise<{ engine: 'chromium' | 'firefox' | 'webkit'; protocol: 'cdp' | 'webdriver-bidi' | 'webdriver' }> {
  driverInfo ??= executeServerCommand('charivo-driver');
  return driverInfo;
}
let driverInfo: ReturnType<typeof driver> | undefined;
