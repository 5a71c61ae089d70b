// @web/test-runner plugin: real key presses in every engine, for test/helpers/keys.ts.
//
// @web/test-runner-commands' sendKeys falls short outside Chromium: puppeteer over WebDriver BiDi
// (Firefox) knows no key named "Space", and over WebDriver classic (WebKit) it has no key down / up and
// its `type` drops the second of two equal letters ("Hello" arrives as "Helo"). This command sends each
// key as its own down and up action, through the page's keyboard (puppeteer) or WebDriver actions.

/** Key names (as in KeyboardEvent.key, plus "Space") → WebDriver key codes. */
const WEBDRIVER_KEYS = {
  Space: ' ',
  ' ': ' ',
  Enter: '\uE007',
  Tab: '\uE004',
  Escape: '\uE00C',
  Backspace: '\uE003',
  Delete: '\uE017',
  Shift: '\uE008',
  Control: '\uE009',
  Alt: '\uE00A',
  Meta: '\uE03D',
  ArrowLeft: '\uE012',
  ArrowUp: '\uE013',
  ArrowRight: '\uE014',
  ArrowDown: '\uE015',
  Home: '\uE011',
  End: '\uE010',
  PageUp: '\uE00E',
  PageDown: '\uE00F',
};

function webdriverKey(name) {
  if (name in WEBDRIVER_KEYS) return WEBDRIVER_KEYS[name];
  if ([...name].length === 1) return name;
  throw new Error(`charivo-keys: no WebDriver code for key "${name}"`);
}

/** Puppeteer's names, over CDP and BiDi alike: the space bar is " " in both, "Space" only in CDP. */
function puppeteerKey(name) {
  return name === 'Space' ? ' ' : name;
}

/** @param {{ type?: string, press?: string, down?: string, up?: string }} payload */
function steps(payload) {
  const given = ['type', 'press', 'down', 'up'].filter((key) => typeof payload?.[key] === 'string');
  if (given.length !== 1) throw new Error('charivo-keys: give exactly one of type, press, down, up');
  const [kind] = given;
  const value = payload[kind];
  if (kind === 'type') return [...value].flatMap((ch) => [{ action: 'down', key: ch }, { action: 'up', key: ch }]);
  if (kind === 'press') return [{ action: 'down', key: value }, { action: 'up', key: value }];
  return [{ action: kind, key: value }];
}

export function keysPlugin() {
  return {
    name: 'charivo-keys',
    async executeCommand({ command, payload, session }) {
      if (command !== 'charivo-keys') return undefined;
      const plan = steps(payload);
      const browser = session.browser;
      if (browser.type === 'puppeteer' || browser.type === 'playwright') {
        const keyboard = browser.getPage(session.id).keyboard;
        for (const step of plan) await keyboard[step.action](puppeteerKey(step.key));
        return true;
      }
      if (browser.type === 'webdriver') {
        const actions = plan.map((step) => ({ type: step.action === 'down' ? 'keyDown' : 'keyUp', value: webdriverKey(step.key) }));
        // Through the launcher's session manager, the same path its mouse commands take.
        await browser.driverManager.performActions(session.id, [{ type: 'key', id: 'keyboard', actions }]);
        return true;
      }
      throw new Error(`charivo-keys: browser type ${browser.type} is not supported`);
    },
  };
}
