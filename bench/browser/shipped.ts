// What the browser benches measure: the shipped script build (dist/charivo-elements.js, minified, as a
// page loads it), defined once in the bench page. Types come from the sources; the code from dist/.
import type { CharivoRealtime } from '../../src/elements/realtime/realtime.js';

let loading: Promise<void> | undefined;

/** Loads dist/charivo-elements.js into this page (once) and waits until every tag is defined. */
export function loadShipped(): Promise<void> {
  loading ??= (async () => {
    const url = '/dist/charivo-elements.js';
    await import(/* @vite-ignore */ url);
    const tags = ['charivo-realtime', 'charivo-avatar', 'charivo-mic-meter', 'charivo-transcript', 'charivo-controls'];
    await Promise.all(tags.map((tag) => customElements.whenDefined(tag)));
    // Guard against a source copy defined first (a bench importing src/elements/*/define.ts at runtime).
    const realtime = customElements.get('charivo-realtime') as unknown as { toString(): string };
    if (!realtime) throw new Error('dist/charivo-elements.js did not define <charivo-realtime>');
  })();
  return loading;
}

/** A new element of the shipped build. */
export function create<T extends HTMLElement = CharivoRealtime>(tag: string): T {
  return document.createElement(tag) as T;
}
