// @web/test-runner plugin: the user input the built-in commands lack, sent through the browser's input
// pipeline (trusted events, native and smooth scrolling), as a user's hand would:
// - `executeServerCommand('send-wheel', { position: [x, y], deltaY })`: the pointer moves to `position`
//   (viewport pixels) and the wheel turns over what is there;
// - `executeServerCommand('send-touch-swipe', { from: [x, y], to: [x, y], steps? })`: one finger.
// Puppeteer-driven browsers only (Chromium, Firefox); others throw, loudly.

/** @returns {import('@web/test-runner').TestRunnerPlugin} */
export function inputPlugin() {
  return {
    name: 'charivo-input',
    async executeCommand({ command, payload, session }) {
      if (command === 'send-touch-swipe') return swipe(payload, session);
      if (command !== 'send-wheel') return undefined;
      const { position, deltaX = 0, deltaY = 0 } = /** @type {any} */ (payload ?? {});
      if (!Array.isArray(position) || !position.every(Number.isFinite) || !Number.isFinite(deltaX) || !Number.isFinite(deltaY)) {
        throw new Error('send-wheel needs { position: [x, y], deltaX?, deltaY? } with finite numbers');
      }
      const browser = /** @type {any} */ (session.browser);
      if (browser.type !== 'puppeteer' && browser.type !== 'playwright') {
        throw new Error(`send-wheel is not supported for browser type ${browser.type}`);
      }
      const page = browser.getPage(session.id);
      await page.mouse.move(Math.round(position[0]), Math.round(position[1]));
      await page.mouse.wheel({ deltaX, deltaY });
      return true;
    },
  };
}

/** A one-finger swipe from `from` to `to` (viewport pixels) in `steps` moves, through the touchscreen. */
async function swipe(payload, session) {
  const { from, to, steps = 8 } = /** @type {any} */ (payload ?? {});
  const points = [from, to];
  if (!points.every((p) => Array.isArray(p) && p.length === 2 && p.every(Number.isFinite)) || !(steps >= 1)) {
    throw new Error('send-touch-swipe needs { from: [x, y], to: [x, y], steps? }');
  }
  const browser = /** @type {any} */ (session.browser);
  if (browser.type !== 'puppeteer') throw new Error(`send-touch-swipe is not supported for browser type ${browser.type}`);
  const page = browser.getPage(session.id);
  await page.touchscreen.touchStart(from[0], from[1]);
  for (let i = 1; i <= steps; i += 1) {
    await page.touchscreen.touchMove(from[0] + ((to[0] - from[0]) * i) / steps, from[1] + ((to[1] - from[1]) * i) / steps);
  }
  await page.touchscreen.touchEnd();
  return true;
}
