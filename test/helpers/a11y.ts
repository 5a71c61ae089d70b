// Accessibility checks shared by every element's suite and the demo page's: axe-core (WCAG 2.2 A/AA
// and axe's best practices) in the light and the dark colour scheme, a visible focus indicator on
// every control, and the session states an element must be checked in (idle, live, reconnecting,
// error), driven through the test session's FakeRealtimeTransport.
import { emulateMedia } from '@web/test-runner-commands';
import { driver } from './engine.js';
import type { AxeResults, ElementContext, Result, RunOptions } from 'axe-core';
import type { TestSession } from './session.js';

type Axe = { run(context: ElementContext, options: RunOptions): Promise<AxeResults> };

let loaded: Promise<Axe> | undefined;

/** axe-core, loaded once: its browser build registers `window.axe`. */
export function loadAxe(): Promise<Axe> {
  loaded ??= (async () => {
    const scope = window as unknown as { axe?: Axe };
    // @ts-expect-error the UMD build has no module types; it registers window.axe
    if (!scope.axe) await import('axe-core/axe.min.js');
    if (!scope.axe) throw new Error('axe-core did not register window.axe');
    return scope.axe;
  })();
  return loaded;
}

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa', 'best-practice'];

/** Rules about whole pages: an element alone in a fixture has no landmarks or headings to check. */
const PAGE_RULES = ['region', 'landmark-one-main', 'page-has-heading-one', 'bypass'];

/** Violations (and contrast checks axe could not decide, which would hide a failure) as readable text. */
function problemLines(results: AxeResults): string[] {
  const lines: string[] = [];
  const report = (kind: string, items: Result[]) => {
    for (const item of items) {
      for (const node of item.nodes) lines.push(`${kind} ${item.id} (${item.impact ?? 'n/a'}): ${item.help}\n  at ${JSON.stringify(node.target)}\n  ${node.failureSummary ?? ''}`);
    }
  };
  report('violation', results.violations);
  report('undecided', results.incomplete.filter((item) => item.id === 'color-contrast'));
  return lines;
}

/** Runs axe on `context` (an element, or a document such as an iframe's) and returns the problems. */
export async function axeProblems(context: ElementContext, options: { page?: boolean; axe?: Axe } = {}): Promise<string[]> {
  const axe = options.axe ?? (await loadAxe());
  const results = await axe.run(context, {
    runOnly: { type: 'tag', values: AXE_TAGS },
    resultTypes: ['violations', 'incomplete'],
    ...(options.page ? {} : { rules: Object.fromEntries(PAGE_RULES.map((rule) => [rule, { enabled: false }])) }),
  });
  return problemLines(results);
}

/** Animations of `root` and of every shadow root inside it (a document's list leaves shadow trees out). */
export function allAnimations(root: Document | ShadowRoot): Animation[] {
  const found = root.getAnimations();
  for (const element of root.querySelectorAll('*')) if (element.shadowRoot) found.push(...allAnimations(element.shadowRoot));
  return found;
}

/**
 * Re-renders happen on frames, and a scheme change starts colour transitions: wait two frames, then
 * for every finite animation or transition to end, so axe measures the colours a user ends up seeing.
 */
export async function settle(): Promise<void> {
  await new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
  const finite = allAnimations(document).filter((animation) => animation.effect?.getComputedTiming().endTime !== Infinity);
  await Promise.all(finite.map((animation) => animation.finished.catch(() => undefined)));
}

/**
 * Fails with every axe problem of `element`, in the light and the dark scheme, and with every control
 * in its shadow root that shows no focus indicator when focused from the keyboard.
 */
export async function expectAccessible(element: Element, what: string): Promise<void> {
  const problems: string[] = [];
  const root = document.documentElement;
  const declared = root.getAttribute('style');
  // axe takes a page without a declared background as white: draw the canvas colour explicitly, as pages do.
  root.style.backgroundColor = 'Canvas';
  root.style.color = 'CanvasText';
  // The elements follow the page's colour scheme (light-dark()); a page opts in to dark with
  // `color-scheme: light dark`. The last pass is a light page seen by a user who prefers dark.
  // Where the runner cannot emulate the preference (it needs the Chrome DevTools Protocol; Firefox and
  // WebKit are driven over WebDriver), the page itself picks each look: `color-scheme: light` and
  // `color-scheme: dark` make light-dark() resolve the same colours the preference would, so axe and
  // the focus check see both looks in every engine. What only emulation can show (a light page stays
  // light under a dark preference) is tested beside each element with emulateColorScheme(), which
  // reports its skip in those engines.
  const emulates = (await driver()).protocol === 'cdp';
  const passes = emulates
    ? ([
        { label: 'light', preference: 'light', page: 'light dark' },
        { label: 'dark', preference: 'dark', page: 'light dark' },
        { label: 'dark preference, light page', preference: 'dark', page: '' },
      ] as const)
    : ([
        { label: 'light page', preference: null, page: 'light' },
        { label: 'dark page', preference: null, page: 'dark' },
      ] as const);
  try {
    for (const { label, preference, page } of passes) {
      if (preference) await emulateMedia({ colorScheme: preference });
      root.style.colorScheme = page;
      await settle();
      problems.push(...(await axeProblems(element)).map((line) => `[${label}] ${line}`));
      problems.push(...focusProblems(element).map((line) => `[${label}] ${line}`));
    }
  } finally {
    if (declared === null) root.removeAttribute('style');
    else root.setAttribute('style', declared);
    if (emulates) await emulateMedia({ colorScheme: 'light' });
  }
  if (problems.length) throw new Error(`${what}: ${problems.length} accessibility problem(s)\n${problems.join('\n')}`);
}

const FOCUSABLE = 'button, input, select, textarea, a[href], [tabindex]:not([tabindex="-1"])';

/** Controls (in `root`'s shadow root, and `root` itself if focusable) without a visible focus ring. */
export function focusProblems(root: Element): string[] {
  const scope = root.shadowRoot ?? root;
  const controls = [...scope.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((control) => !(control as HTMLButtonElement).disabled);
  if (root.matches(FOCUSABLE)) controls.push(root as HTMLElement);
  const problems: string[] = [];
  for (const control of controls) {
    const rect = control.getBoundingClientRect();
    // Not rendered (display: none, a closed <details>): nothing to focus or see.
    if ((rect.width === 0 && rect.height === 0) || !control.checkVisibility()) continue;
    const before = getComputedStyle(control);
    const unfocused = `${before.outlineStyle} ${before.outlineWidth} ${before.boxShadow}`;
    control.focus({ focusVisible: true } as FocusOptions);
    const style = getComputedStyle(control);
    // `auto` is the browser's own focus ring (visible everywhere); a drawn outline must be 2px or more.
    const outline = style.outlineStyle === 'auto' || (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2);
    const shadow = style.boxShadow !== 'none' && `${style.outlineStyle} ${style.outlineWidth} ${style.boxShadow}` !== unfocused;
    const name = `${control.localName}${control.id ? `#${control.id}` : ''}${control.getAttribute('part') ? `[part="${control.getAttribute('part')}"]` : ''}`;
    if (!control.matches(':focus-visible')) problems.push(`${name}: focus from the keyboard does not match :focus-visible`);
    else if (!outline && !shadow) problems.push(`${name}: no visible focus indicator (outline ${style.outlineStyle} ${style.outlineWidth}, box-shadow ${style.boxShadow})`);
    control.blur();
  }
  return problems;
}

export type SessionState = 'idle' | 'live' | 'reconnecting' | 'error';
export const SESSION_STATES: readonly SessionState[] = ['idle', 'live', 'reconnecting', 'error'];

function managerEvent(session: TestSession, name: 'realtime:reconnect:exhausted'): Promise<void> {
  return new Promise((resolve) => {
    const off = session.manager.on(name, () => {
      off();
      resolve();
    });
  });
}

/**
 * Puts a fresh (not started) test session into `state`. Returns what releases it (a held reconnect
 * is let go before the session is disposed).
 */
export async function enterState(session: TestSession, state: SessionState): Promise<() => void> {
  if (state === 'idle') return () => {};
  await session.start();
  if (state === 'live') return () => {};
  if (state === 'reconnecting') {
    const held = session.transport.hold('connect');
    session.transport.loseConnection('ice-failed');
    await held.reached;
    return () => held.resolve();
  }
  session.transport.failNext('connect', new Error('the provider is down'));
  session.transport.failNext('connect', new Error('the provider is down'));
  const exhausted = managerEvent(session, 'realtime:reconnect:exhausted');
  session.transport.loseConnection('socket-closed');
  await exhausted;
  return () => {};
}

/**
 * The a11y suite of one element: for each session state, a fresh test session in that state, the
 * element mounted in it by `mount` (which may add content: turns, levels, push-to-talk), then
 * {@link expectAccessible}.
 */
export function describeA11yStates(
  tag: string,
  mount: (session: TestSession, state: SessionState) => Promise<Element>,
  createSession: () => TestSession,
): void {
  describe(`<${tag}> accessibility (axe, both colour schemes, visible focus)`, () => {
    for (const state of SESSION_STATES) {
      it(`has no axe violations and a visible focus on every control: ${state}`, async () => {
        const session = createSession();
        const release = await enterState(session, state);
        try {
          const element = await mount(session, state);
          await expectAccessible(element, `<${tag}> ${state}`);
        } finally {
          release();
          await session.manager.dispose();
        }
      });
    }
  });
}
