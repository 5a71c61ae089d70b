// Locates the browser for the test runner: CHROME_PATH first, then the usual Debian/Chrome paths
// (the list lives in engines.mjs with the other engines').
import { locateEngine } from './engines.mjs';

/** @returns {string | undefined} */
export function findChrome() {
  return locateEngine('chromium').paths.browser;
}
