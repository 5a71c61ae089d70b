// The browser engines the tests run in, where Debian puts them, and which Debian packages bring them.
// Dependency-free on purpose: scripts/ensure.mjs imports it before node_modules exists.
import { existsSync, readdirSync } from 'node:fs';

/** Engine names, in the order runs and reports list them. */
export const ENGINES = /** @type {const} */ (['chromium', 'firefox', 'webkit']);

/** Debian packages each engine needs (nothing may download a browser). */
export const ENGINE_PACKAGES = {
  chromium: ['chromium'],
  firefox: ['firefox-esr'],
  webkit: ['webkit2gtk-driver', 'xvfb'],
};

const CHROMIUM_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
];
const FIREFOX_CANDIDATES = ['/usr/bin/firefox-esr', '/usr/bin/firefox'];

function firstExisting(envName, candidates) {
  const fromEnv = envName && process.env[envName];
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  return candidates.find((path) => existsSync(path));
}

/** WebKitGTK's MiniBrowser lives under the multiarch library directory (x86_64-linux-gnu, aarch64-linux-gnu, …). */
function findMiniBrowser() {
  if (process.env.WEBKIT_MINIBROWSER_PATH && existsSync(process.env.WEBKIT_MINIBROWSER_PATH)) return process.env.WEBKIT_MINIBROWSER_PATH;
  let dirs = [];
  try {
    dirs = readdirSync('/usr/lib', { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => `/usr/lib/${d.name}`);
  } catch {
    return undefined;
  }
  for (const dir of ['/usr/lib', ...dirs]) {
    for (const api of ['webkit2gtk-4.1', 'webkit2gtk-4.0', 'webkitgtk-6.0']) {
      const path = `${dir}/${api}/MiniBrowser`;
      if (existsSync(path)) return path;
    }
  }
  return undefined;
}

/**
 * Where an engine's programs are, or what is missing.
 * @param {'chromium' | 'firefox' | 'webkit'} engine
 * @returns {{ engine: string, ok: boolean, missing: string[], paths: Record<string, string> }}
 */
export function locateEngine(engine) {
  /** @type {Record<string, string | undefined>} */
  let wanted;
  if (engine === 'chromium') {
    wanted = { browser: firstExisting('CHROME_PATH', CHROMIUM_CANDIDATES) };
  } else if (engine === 'firefox') {
    wanted = { browser: firstExisting('FIREFOX_PATH', FIREFOX_CANDIDATES) };
  } else if (engine === 'webkit') {
    wanted = {
      driver: firstExisting('WEBKIT_WEBDRIVER_PATH', ['/usr/bin/WebKitWebDriver']),
      browser: findMiniBrowser(),
      xvfb: firstExisting(undefined, ['/usr/bin/Xvfb']),
    };
  } else {
    throw new Error(`unknown engine "${engine}" (known: ${ENGINES.join(', ')})`);
  }
  const missing = Object.entries(wanted).filter(([, path]) => !path).map(([name]) => name);
  const paths = /** @type {Record<string, string>} */ (Object.fromEntries(Object.entries(wanted).filter(([, path]) => path)));
  return { engine, ok: missing.length === 0, missing, paths };
}

/**
 * Parses an engine list (`chromium,firefox`, `all`), rejecting unknown names.
 * @param {string[]} names
 * @returns {Array<'chromium' | 'firefox' | 'webkit'>}
 */
export function parseEngines(names) {
  const flat = names.flatMap((name) => name.split(',')).map((name) => name.trim().toLowerCase()).filter(Boolean);
  if (flat.length === 0 || flat.includes('all')) return [...ENGINES];
  const aliases = { chrome: 'chromium', gecko: 'firefox', safari: 'webkit' };
  const result = [];
  for (const name of flat) {
    const engine = aliases[name] ?? name;
    if (!ENGINES.includes(engine)) throw new Error(`unknown browser "${name}" (known: ${ENGINES.join(', ')})`);
    if (!result.includes(engine)) result.push(engine);
  }
  return /** @type {Array<'chromium' | 'firefox' | 'webkit'>} */ (result);
}
