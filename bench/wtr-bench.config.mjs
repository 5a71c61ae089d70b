// @web/test-runner config of the browser benchmarks: the test config (same Chromium, flags, esbuild,
// emulator and real route), with bench/browser/*.bench.ts as the files, long timeouts, GC and precise
// heap sizes exposed to the page, and a `bench-result` server command through which each bench page
// hands its table and data to Node (printed with printTable, written with writeResult).
// Run: CHARIVO_WTR_CONFIG=bench/wtr-bench.config.mjs node scripts/run-browser-tests.mjs [--files …]
import { chromeLauncher } from '@web/test-runner-chrome';
import { findChrome } from '../scripts/find-chrome.mjs';
import base, { chromiumFlags } from '../web-test-runner.config.mjs';
import { benchResultPlugin } from './lib/bench-result-plugin.mjs';

// The test config has already checked that a browser exists.
const executablePath = findChrome();

/** Flags added for the benchmarks: `window.gc()`, unrounded `performance.memory`, no timer throttling. */
export const benchFlags = [
  '--js-flags=--expose-gc',
  '--enable-precise-memory-info',
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

// bench/run.mjs names the files (in its order); alone, the config runs every bench.
const files = process.env.CHARIVO_BENCH_FILES ? process.env.CHARIVO_BENCH_FILES.split(',') : ['bench/browser/*.bench.ts'];

export default {
  ...base,
  files,
  // Production builds (Lit's dev build adds checks and warnings that a page in production never runs).
  nodeResolve: { ...base.nodeResolve, exportConditions: ['browser'] },
  concurrency: 1,
  // Output arrives through the bench-result command; a progress bar redrawn over it would garble it.
  staticLogging: true,
  testFramework: { config: { timeout: 240_000, ui: 'bdd' } },
  testsStartTimeout: 120_000,
  testsFinishTimeout: 600_000,
  browserStartTimeout: 120_000,
  plugins: [...base.plugins, benchResultPlugin()],
  browsers: [
    chromeLauncher({
      launchOptions: { executablePath, headless: true, args: [...chromiumFlags, ...benchFlags] },
    }),
  ],
};
