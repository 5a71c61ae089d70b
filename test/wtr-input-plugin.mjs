// @web/test-runner plugin: the user input the built-in commands lack, sent through the browser's input
// pipeline (trusted events, native and smooth scrolling), as a user's hand would:
// - `executeServerCommand('send-wheel', { position: [x, y], deltaY })`: the pointer moves to `position`
//   (viewport pixels) and the wheel turns over what is there;
// - `executeServerCommand('send-touch-swipe', { from: [x, y], to: [x, y], steps? })`: one finger.
// Puppeteer-driven browsers (Chromium, Firefox) through their page; WebDriver-driven ones (WebKit)
// through WebDriver actions (a wheel input source, a touch pointer). An engine that refuses one throws.

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
      if (browser.type === 'webdriver') {
        const [x, y] = position.map(Math.round);
        await browser.driverManager.performActions(session.id, [
          { type: 'wheel', id: 'wheel', actions: [{ type: 'scroll', x, y, deltaX, deltaY, duration: 0, origin: 'viewport' }] },
        ]);
        return true;
      }
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
  if (browser.type === 'webdriver') {
    const at = (i) => [0, 1].map((axis) => Math.round(from[axis] + ((to[axis] - from[axis]) * i) / steps));
    const moves = Array.from({ length: steps }, (_, i) => {
      const [x, y] = at(i + 1);
      return { type: 'pointerMove', duration: 16, x, y, origin: 'viewport' };
    });
    await browser.driverManager.performActions(session.id, [
      {
        type: 'pointer',
        id: 'finger',
        parameters: { pointerType: 'touch' },
        actions: [{ type: 'pointerMove', duration: 0, x: Math.round(from[0]), y: Math.round(from[1]), origin: 'viewport' }, { type: 'pointerDown', button: 0 }, ...moves, { type: 'pointerUp', button: 0 }],
      },
    ]);
    return true;
  }
  if (browser.type !== 'puppeteer') throw new Error(`send-touch-swipe is not supported for browser type ${browser.type}`);
  const page = browser.getPage(session.id);
  await page.touchscreen.touchStart(from[0], from[1]);
  for (let i = 1; i <= steps; i += 1) {
    await page.touchscreen.touchMove(from[0] + ((to[0] - from[0]) * i) / steps, from[1] + ((to[1] - from[1]) * i) / steps);
  }
  await page.touchscreen.touchEnd();
  return true;
}
