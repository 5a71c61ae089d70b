/**
 * The one rule that puts the server's and the page's instructions together. Its own module, free of
 * zod, so the browser's manager can use it without the schemas of session-policy.ts.
 * @packageDocumentation
 */

/**
 * The instructions a session runs with: the server's first, then (under `append` only) the page's,
 * separated by a blank line. Blank page instructions count as none. `undefined` when neither has any.
 */
export function composeInstructions(server: string | undefined, page: string | undefined, mode: string): string | undefined {
  const fromPage = mode === 'append' && page !== undefined && page.trim() !== '' ? page : undefined;
  const parts = [server, fromPage].filter((part): part is string => part !== undefined && part !== '');
  return parts.length ? parts.join('\n\n') : undefined;
}
