// @web/test-runner plugin: what a page cannot do to itself, done through the browser (the test runner's
// puppeteer page):
// - `executeServerCommand('page-visibility', { visible: false | true })`: hides the test page behind
//   another tab, or brings it back. The page goes through a real `visibilitychange` (and the browser
//   does what it does to a hidden page, such as releasing its screen wake lock).
// Puppeteer-driven browsers only; others throw, loudly.
//
// (A denied microphone cannot be set this way here: the test browser's --use-fake-ui-for-media-stream
// grants every request whatever the site setting says, so tests make getUserMedia refuse instead.)

/** @returns {import('@web/test-runner').TestRunnerPlugin} */
export function pagePlugin() {
  /** @type {Map<string, any>} other tabs opened to hide a test page, by session id */
  const covers = new Map();
  return {
    name: 'charivo-page',
    async executeCommand({ command, payload, session }) {
      if (command !== 'page-visibility') return undefined;
      const browser = /** @type {any} */ (session.browser);
      if (browser.type !== 'puppeteer') throw new Error(`${command} needs a puppeteer-driven browser, not ${browser.type}`);
      const page = browser.getPage(session.id);
      const { visible } = /** @type {any} */ (payload ?? {});
      if (typeof visible !== 'boolean') throw new Error('page-visibility needs { visible: boolean }');
      if (!visible) {
        const cover = covers.get(session.id) ?? (await page.browser().newPage());
        covers.set(session.id, cover);
        await cover.bringToFront();
      } else {
        await page.bringToFront();
        const cover = covers.get(session.id);
        covers.delete(session.id);
        await cover?.close().catch(() => {});
      }
      return true;
    },
  };
}
