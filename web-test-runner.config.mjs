// Browser tests: real headless Debian Chromium, Firefox ESR or WebKitGTK (one engine per run, chosen by
// CHARIVO_ENGINE; scripts/run-browser-tests.mjs runs one process per engine), TypeScript through esbuild.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fakeMicWav } from './scripts/make-fake-mic.ts';
import { chromiumFlags as baseFlags } from './scripts/chromium-flags.mjs';
import { defaultReporter } from '@web/test-runner';
import { engineReportReporter, skipReasonPlugin } from './test/wtr-engine-report.mjs';
import { launcherFor, WEBKIT_BROWSER_START_TIMEOUT } from './test/wtr-engines.mjs';
import { keysPlugin } from './test/wtr-keys-plugin.mjs';
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
// Written aside and renamed: engines that start at once must never read half a file.
const fakeMicDraft = `${fakeMic}.${process.pid}`;
writeFileSync(fakeMicDraft, fakeMicWav());
renameSync(fakeMicDraft, fakeMic);

/** The shared flags plus this run's fake microphone file (the benchmarks reuse them). */
export const chromiumFlags = [...baseFlags, `--use-file-for-fake-audio-capture=${fakeMic}`];

const engine = /** @type {'chromium' | 'firefox' | 'webkit'} */ (process.env.CHARIVO_ENGINE || 'chromium');

// @web/test-runner stops the whole run at an uncaught exception in this process (the route, the
// plugins; the emulator runs in a child process, src/emulator/process.ts) and prints it on stderr
// only; say it on stdout too, where a CI log keeps it.
process.on('uncaughtExceptionMonitor', (error, origin) => {
  console.log(`\n[browser tests] ${origin} in the test runner's process (the run stops here):\n${error?.stack ?? error}\n`);
});


/** Resolves the CommonJS-only `debug` package to an ESM stand-in for the browser. */
const debugShimPlugin = {
  name: 'charivo-debug-shim',
  resolveImport({ source }) {
    if (source === 'debug') return '/test/shims/debug.js';
    return undefined;
  },
};

/** Every browser test file (scripts/test-shards.mjs lists the same set to split it). */
const ALL_FILES = ['src/**/*.test.ts', 'test/browser/**/*.test.ts', 'test/emulator/**/*.test.ts', 'test/e2e/**/*.test.ts', '!src/**/*.node.test.ts'];

export default {
  // One shard's files when scripts/run-browser-tests.mjs splits an engine's run; every file otherwise.
  files: process.env.CHARIVO_TEST_FILES ? process.env.CHARIVO_TEST_FILES.split('\n').filter(Boolean) : ALL_FILES,
  nodeResolve: { exportConditions: ['browser', 'development'], browser: true },
  rootDir: '.',
  concurrency: 1,
  testFramework: { config: { timeout: 20000 } },
  // WebKit's launcher restarts a driver whose new session does not answer (test/webkit-launcher.mjs):
  // the page may take all its attempts.
  browserStartTimeout: engine === 'webkit' ? WEBKIT_BROWSER_START_TIMEOUT : 60000,
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
    skipReasonPlugin({ engine }),
    keysPlugin(),
    inputPlugin(),
    pagePlugin(),
  ],
  reporters: [defaultReporter(), engineReportReporter({ engine, output: process.env.CHARIVO_ENGINE_REPORT })],
  ...(process.env.CHARIVO_WTR_PORT ? { port: Number(process.env.CHARIVO_WTR_PORT) } : {}),
  browsers: [launcherFor(engine, { chromiumFlags })],
};
