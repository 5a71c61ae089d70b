/**
 * After sleep, a network change or a page restored from the back/forward cache, a socket can be dead
 * without its `close` event having fired yet; these page events are the moments to look.
 */

/** Calls `check` on `online`, `pageshow` and when the page becomes visible; returns a stop function. */
export function watchPageHealth(check: () => void): () => void {
  if (typeof window === 'undefined' || typeof document === 'undefined') return () => {};
  const onVisibility = (): void => {
    if (document.visibilityState === 'visible') check();
  };
  window.addEventListener('online', check);
  window.addEventListener('pageshow', check);
  document.addEventListener('visibilitychange', onVisibility);
  return () => {
    window.removeEventListener('online', check);
    window.removeEventListener('pageshow', check);
    document.removeEventListener('visibilitychange', onVisibility);
  };
}
