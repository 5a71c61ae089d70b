// What the script-tag pages' tests wait on: the elements' DOM events, as a page without a bundler sees them.

/** Resolves with the next `type` event on `target`; fails after `ms`, naming it. */
export function nextEvent(target: EventTarget, type: string, ms = 15_000): Promise<CustomEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} within ${ms} ms`)), ms);
    target.addEventListener(type, (event) => {
      clearTimeout(timer);
      resolve(event as CustomEvent);
    }, { once: true });
  });
}
