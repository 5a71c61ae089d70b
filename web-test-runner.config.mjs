// Browser tests: real headless Debian Chromium, TypeScript through esbuild.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fakeMicWav } from './scripts/make-fake-mic.ts';
import { chromiumFlags as baseFlags } from './scripts/chromium-flags.mjs';
import { findChrome } from './scripts/find-chrome.mjs';
import { emulatorPlugin } from './test/wtr-emulator-plugin.mjs';
import { realtimeServerPlugin, ROUTE_PATH } from './test/wtr-realtime-server.mjs';
import { staticSitePlugin } from './test/wtr-static-site.mjs';
import { svelteCompilePlugin } from './test/wtr-svelte-plugin.mjs';
import { inputPlugin } from './test/wtr-input-plugin.mjs';
import { pagePlugin } from './test/wtr-page-plugin.mjs';

// One emulator for every browser test (schema-checked), with the real route in front of it.
const emulator = emulatorPlugin({ exports: { routePath: ROUTE_PATH } });
const realtimeServer = realtimeServerPlugin(emulator);

/**
 * The fake microphone plays speech-like bursts with silence between (made from the emulator's
 * synthesizer), so spoken turns start and stop as with a person rather than on an endless beep.
 */
const fakeMic = fileURLToPath(new URL('./.tmp/fake-mic.wav', import.meta.url));
mkdirSync(fileURLToPath(new URL('./.tmp/', import.meta.url)), { recursive: true });
writeFileSync(fakeMic, fakeMicWav());

/** The shared flags plus this run's fake microphone file. */
export const chromiumFlags = [...baseFlags, `--use-file-for-fake-audio-capture=${fakeMic}`];

// @web/test-runner stops the whole run at an uncaught exception in this process (the emulator, the
// route, the plugins) and prints it on stderr only; say it on stdout too, where a CI log keeps it.
process.on('uncaughtExceptionMonitor', (error, origin) => {
  console.log(`\n[browser tests] ${origin} in the test runner's process (the run stops here):\n${error?.stack ?? error}\n`);
});

const gcStressMs = Number(process.env.CHARIVO_GC_STRESS);
if (gcStressMs > 0 && typeof globalThis.gc === 'function') setInterval(() => globalThis.gc(), gcStressMs).unref();

const executablePath = findChrome();
if (!executablePath) {
  throw new Error('No Chromium found: run `npm test` (it installs one) or set CHROME_PATH.');
}

/** Resolves the CommonJS-only `debug` package to an ESM stand-in for the browser. */
const debugShimPlugin = {
  name: 'charivo-debug-shim',
  resolveImport({ source }) {
    if (source === 'debug') return '/test/shims/debug.js';
    return undefined;
  },
};

export default {
  files: ['src/**/*.test.ts', 'test/browser/**/*.test.ts', 'test/emulator/**/*.test.ts', 'test/e2e/**/*.test.ts', '!src/**/*.node.test.ts'],
  nodeResolve: { exportConditions: ['browser', 'development'], browser: true },
  rootDir: '.',
  concurrency: 1,
  testFramework: { config: { timeout: 20000 } },
  browserStartTimeout: 60000,
  testsFinishTimeout: 300000,
  // The realtime route (in front of the emulator) answers before static files.
  middleware: [realtimeServer.middleware],
  plugins: [
    // Order matters: the route's serverStart awaits the emulator's.
    emulator,
    realtimeServer,
    // A plain static server for the script-tag files as people copy them (test/browser/script-tag/).
    staticSitePlugin(emulator),
    esbuildPlugin({ ts: true, tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)) }),
    debugShimPlugin,
    svelteCompilePlugin(),
    inputPlugin(),
    pagePlugin(),
  ],
  browsers: [chromeLauncher({ launchOptions: { executablePath, headless: true, args: chromiumFlags } })],
};
