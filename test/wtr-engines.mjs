// @web/test-runner launchers for the three engines, all from Debian packages (../shared/FIELD-NOTES.md):
// - Chromium through @web/test-runner-chrome (puppeteer-core, CDP);
// - Firefox ESR through the same launcher with puppeteer-core speaking WebDriver BiDi;
// - WebKitGTK's MiniBrowser through @web/test-runner-webdriver's launcher, with a WebKitWebDriver and an
//   X server (Xvfb) that this process starts and stops itself (test/webkit-launcher.mjs,
//   test/webkit-driver.mjs): `wtr` with CHARIVO_ENGINE=webkit needs nothing else running.
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromeLauncher } from '@web/test-runner-chrome';
import * as puppeteerCore from 'puppeteer-core';
import { chromiumFlags } from '../scripts/chromium-flags.mjs';
import { locateEngine } from '../scripts/engines.mjs';
import { webKitDrivers } from './webkit-driver.mjs';
import { WebKitLauncher } from './webkit-launcher.mjs';

/**
 * Firefox preferences for headless tests here. Each one was needed:
 * - fake media and no permission prompt, and a granted microphone (without it Firefox offers no
 *   127.0.0.1 ICE candidate, so every WebRTC call to the emulator fails in the loopback-only namespace);
 * - autoplay allowed for media and Web Audio;
 * - a mock audio backend: there is no sound server, and without it every AudioContext stays suspended;
 * - loopback ICE with plain host addresses (no mDNS names).
 */
export const firefoxPrefs = {
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  'permissions.default.microphone': 1,
  'media.autoplay.default': 0,
  'media.autoplay.block-webaudio': false,
  'media.cubeb.force_mock_context': true,
  'media.peerconnection.ice.loopback': true,
  'media.peerconnection.ice.obfuscate_host_addresses': false,
  // No update checks, telemetry or remote settings: the tests run offline.
  'app.update.enabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.enabled': false,
  'network.captive-portal-service.enabled': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
};

/** MiniBrowser switches: mock capture devices instead of a real microphone, autoplay without a gesture. */
export const webkitArgs = [
  '--automation',
  '--enable-media-stream=true',
  '--enable-mock-capture-devices=true',
  '--autoplay-policy=allow',
  '--media-playback-requires-user-gesture=false',
];

/**
 * Test files one MiniBrowser runs before the next file gets a new one. WebKitGTK keeps the audio
 * threads and descriptors of the pages it ran in its one web process (250 threads after 57 files), and
 * under load that process crashed after about 40 files ("WebProcess CRASHED"). A new browser costs 1 to
 * 3 s (more under load): one per file doubled WebKit's time, one every 5 files keeps the count low.
 */
export const WEBKIT_FILES_PER_BROWSER = 5;

/**
 * Where this runner's X server and WebKitWebDrivers write: beside its engine report
 * (`webkitwebdriver.webkit.0.log` for shard 1), else in CHARIVO_REPORT_DIR or .tmp/engine-reports.
 */
function webKitLogPath() {
  const report = process.env.CHARIVO_ENGINE_REPORT;
  if (report) return join(dirname(report), `webkitwebdriver.${basename(report, '.json')}.log`);
  const dir = process.env.CHARIVO_REPORT_DIR || fileURLToPath(new URL('../.tmp/engine-reports/', import.meta.url));
  return join(dir, `webkitwebdriver.wtr-${process.pid}.log`);
}

/**
 * The longest WebKit may take to open a test page: every attempt at a new session (a wedged driver is
 * restarted, test/webkit-launcher.mjs), plus the page itself. The config's browserStartTimeout for WebKit.
 */
export const WEBKIT_BROWSER_START_TIMEOUT = WebKitLauncher.startBudgetMs() + 15_000;

/**
 * The launcher of one engine.
 * @param {'chromium' | 'firefox' | 'webkit'} engine
 * @param {{ chromiumFlags?: string[] }} [options] `chromiumFlags` replaces the shared list (scripts/chromium-flags.mjs).
 */
export function launcherFor(engine, options = {}) {
  const located = locateEngine(engine);
  if (!located.ok) {
    throw new Error(`${engine}: not installed (missing ${located.missing.join(', ')}); \`npm test\` as root installs it (scripts/ensure.mjs).`);
  }
  if (engine === 'chromium') {
    return chromeLauncher({
      launchOptions: { executablePath: located.paths.browser, headless: true, args: options.chromiumFlags ?? chromiumFlags },
    });
  }
  if (engine === 'firefox') {
    return chromeLauncher({
      puppeteer: puppeteerCore,
      launchOptions: { browser: 'firefox', executablePath: located.paths.browser, headless: true, extraPrefsFirefox: firefoxPrefs },
    });
  }
  return new WebKitLauncher({
    filesPerBrowser: WEBKIT_FILES_PER_BROWSER,
    drivers: webKitDrivers({ driverPath: located.paths.driver, xvfbPath: located.paths.xvfb, logPath: webKitLogPath() }),
    capabilities: {
      browserName: 'MiniBrowser',
      'wdio:enforceWebDriverClassic': true,
      'webkitgtk:browserOptions': { binary: located.paths.browser, args: webkitArgs },
    },
  });
}
