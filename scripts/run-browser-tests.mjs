#!/usr/bin/env node
// Runs the browser tests in Chromium, Firefox and WebKit: one @web/test-runner process per engine, all
// at once (most of the time is real-time audio, not CPU), then one summary: per engine the files,
// tests passed / failed / skipped, wall time, and why each skipped test could not run there.
//
//   node scripts/run-browser-tests.mjs                       every engine
//   node scripts/run-browser-tests.mjs --browser firefox     one engine (or a list: chromium,webkit)
//   node scripts/run-browser-tests.mjs --files 'src/elements/**/*.test.ts'   other arguments go to wtr
//
// As root on Linux everything (the engines, WebKitWebDriver and its X server, the emulator) runs inside a
// fresh network namespace with only loopback up, so WebRTC in the tests cannot reach anything but
// 127.0.0.1 (../shared/FIELD-NOTES.md). Set CHARIVO_NO_NETNS=1 to run in the host namespace.
// CHARIVO_WTR_CONFIG picks another config (the benchmarks: bench/wtr-bench.config.mjs, Chromium only).
// CHARIVO_BROWSERS sets the default engine list.
//
// Without --files, each engine's files are split into shards (test-shards.mjs: balanced on each file's
// time in the previous run), one wtr process and one browser per shard, all running at once: the files
// mostly wait on real-time audio, so a 2-core machine finishes three engines' worth of them sooner side
// by side. CHARIVO_SHARDS=chromium:2,firefox:3,webkit:2 (or one number for all) sets how many;
// CHARIVO_PROCESSES bounds how many wtr processes run at the same time (default: all of them).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENGINE_PACKAGES, locateEngine, parseEngines } from './engines.mjs';
import { formatSummary } from './engine-summary.mjs';
import { listTestFiles, planShards, previousTimes } from './test-shards.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const config = process.env.CHARIVO_WTR_CONFIG || 'web-test-runner.config.mjs';

// ── arguments ─────────────────────────────────────────────────────────────────────────────────
const browserNames = [];
const wtrArgs = [];
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 1) {
  const arg = argv[i];
  if (arg === '--browser' || arg === '--browsers') browserNames.push(argv[++i] ?? '');
  else if (arg.startsWith('--browser=') || arg.startsWith('--browsers=')) browserNames.push(arg.slice(arg.indexOf('=') + 1));
  else wtrArgs.push(arg);
}
if (browserNames.length === 0) {
  // The benchmark config brings its own Chromium; every other run defaults to every engine.
  browserNames.push(process.env.CHARIVO_BROWSERS || (process.env.CHARIVO_WTR_CONFIG ? 'chromium' : 'all'));
}
let engines;
try {
  engines = parseEngines(browserNames);
} catch (error) {
  console.error(`[browser tests] ${error.message}`);
  process.exit(2);
}

// ── the network namespace ────────────────────────────────────────────────────────────────────
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!process.env.CHARIVO_IN_NETNS) {
  const canIsolate = isRoot && process.platform === 'linux' && !process.env.CHARIVO_NO_NETNS && existsSync('/usr/bin/unshare');
  if (canIsolate && spawnSync('unshare', ['-n', 'true']).status === 0) {
    console.log('[browser tests] isolated network namespace: loopback only');
    // A veth pair whose both ends stay in this namespace, plus a default route, makes the browsers report
    // navigator.onLine = true (the manager waits for `online` before reconnecting). Packets routed there
    // come back on the twin end and are dropped: only loopback traffic is ever delivered.
    const network = [
      'ip link set lo up',
      'ip link add charivo0 type veth peer name charivo1',
      'ip addr add 198.51.100.1/24 dev charivo0',
      'ip link set charivo0 up',
      'ip link set charivo1 up',
      'ip route add default via 198.51.100.2 dev charivo0 onlink',
    ].join(' && ');
    const self = [fileURLToPath(import.meta.url), ...engines.flatMap((e) => ['--browser', e]), ...wtrArgs];
    const quoted = self.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
    const inner = spawnSync('unshare', ['-n', 'sh', '-c', `${network} && exec node ${quoted}`], {
      stdio: 'inherit',
      env: { ...process.env, CHARIVO_IN_NETNS: '1' },
    });
    process.exit(inner.status ?? 1);
  }
  if (canIsolate) console.log('[browser tests] unshare -n not permitted here; running in the host network namespace');
}

// ── engines present? ─────────────────────────────────────────────────────────────────────────
const missing = engines.map(locateEngine).filter((located) => !located.ok);
if (missing.length > 0) {
  for (const { engine, missing: parts } of missing) {
    console.error(
      `[browser tests] ${engine} is not installed (missing ${parts.join(', ')}). ` +
        `Debian: apt-get install --no-install-recommends ${ENGINE_PACKAGES[engine].join(' ')} ` +
        `(\`npm test\` does it when run as root), or leave it out: --browser ${engines.filter((e) => !missing.some((m) => m.engine === e)).join(',') || 'chromium'}`,
    );
  }
  process.exit(1);
}

// ── helpers ──────────────────────────────────────────────────────────────────────────────────
/** A port nothing listens on right now (the kernel picks it). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Forwards a child's output line by line, each line prefixed with its engine. */
function prefixLines(stream, prefix, out) {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) out.write(`${prefix}${line}\n`);
  });
  stream.on('end', () => {
    if (pending) out.write(`${prefix}${pending}\n`);
  });
}

// ── run ──────────────────────────────────────────────────────────────────────────────────────
// CHARIVO_REPORT_DIR: another folder, for a run beside another (each run clears its own).
const reportDir = process.env.CHARIVO_REPORT_DIR || join(root, '.tmp', 'engine-reports');
rmSync(reportDir, { recursive: true, force: true });
mkdirSync(reportDir, { recursive: true });
// Each file's time in the last run, per engine: the next run balances its shards on them. A fresh clone
// has no last run and plans on the committed baseline (a copy of a full run's .tmp/engine-times/; with
// every file weighed the same, ci34's Chromium shards ended 76 s apart and set the run's wall time).
const timesDir = process.env.CHARIVO_TIMES_DIR || join(root, '.tmp', 'engine-times');
const baselineTimesDir = join(root, 'test', 'engine-times');
mkdirSync(timesDir, { recursive: true });

const children = new Set();
let stopping = false;
/**
 * Signals a process group: a shard's runner and everything it started (the browser; for WebKit the X
 * server, WebKitWebDriver, MiniBrowser and its web processes, none of them detached); gone already is fine.
 */
function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}
function cleanUp() {
  for (const child of children) killGroup(child.pid, 'SIGTERM');
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    cleanUp();
    process.exit(130);
  });
}

const startedAt = Date.now();

/** Shards per engine: CHARIVO_SHARDS as `engine:n,…` or one number. */
function shardCounts() {
  // Firefox was the long pole with two (657 s against WebKit's 433 s with three, in one run); WebKit
  // needed three only while one WebKitWebDriver served a whole shard and wore out after about 40 files,
  // and each browser session now has a driver of its own (test/webkit-launcher.mjs).
  const counts = { chromium: 2, firefox: 3, webkit: 2 };
  const given = (process.env.CHARIVO_SHARDS ?? '').trim();
  if (/^\d+$/.test(given)) for (const engine of Object.keys(counts)) counts[engine] = Number(given);
  else for (const part of given.split(',').filter(Boolean)) {
    const [engine, n] = part.split(':');
    if (engine in counts && Number(n) >= 1) counts[engine] = Number(n);
  }
  return counts;
}

// The user's --files (or another config) runs as one process per engine; the default set is sharded.
const userFiles = wtrArgs.some((arg) => arg === '--files' || arg.startsWith('--files=') || /\.test\.ts$|\*/.test(arg));
const shardable = !userFiles && !process.env.CHARIVO_WTR_CONFIG;
const allFiles = shardable ? listTestFiles(root) : [];
const counts = shardCounts();
/** @type {Array<{ engine: string, index: number, of: number, files: string[] | null, report: string }>} */
const jobs = [];
for (const engine of engines) {
  const times = previousTimes(join(baselineTimesDir, `${engine}.json`), join(timesDir, `${engine}.json`));
  const shards = shardable ? planShards(allFiles, times, counts[engine]) : [null];
  shards.forEach((files, index) => jobs.push({ engine, index, of: shards.length, files, report: join(reportDir, `${engine}.${index}.json`) }));
}
const single = jobs.length === 1;

/**
 * Runs one shard's wtr (for WebKit, the launcher in it starts its own X server and WebKitWebDrivers:
 * test/webkit-launcher.mjs); resolves with its exit code and wall time.
 */
async function runJob(job) {
  const { engine } = job;
  const env = {
    ...process.env,
    CHARIVO_ENGINE: engine,
    CHARIVO_WTR_PORT: String(await freePort()),
    CHARIVO_ENGINE_REPORT: job.report,
    // The shard's emulator notes here each time its process crashed (recordEmulatorCrash, test/wtr-emulator-plugin.mjs).
    CHARIVO_EMULATOR_CRASHES: job.report.replace(/\.json$/, '.emulator-crashes.jsonl'),
  };
  if (job.files) env.CHARIVO_TEST_FILES = job.files.join('\n');
  // tsx lets the config load the route and the plugins from their TypeScript sources. (The emulator
  // runs in a child process of the runner, src/emulator/process.ts; CHARIVO_GC_STRESS acts there.)
  const args = ['--import', 'tsx', join(root, 'node_modules/.bin/wtr'), '--config', config, ...wtrArgs];
  const began = Date.now();
  // Its own process group: a runner that dies (a crash, a kill) leaves its
  // browser (and WebKit's driver and X server) behind, and the group is how they go with it.
  const child = spawn(process.execPath, args, { cwd: root, env, detached: true, stdio: single ? 'inherit' : ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const name = job.of > 1 ? `${engine} ${job.index + 1}/${job.of}` : engine;
  if (!single) {
    const prefix = `[${name}] `;
    prefixLines(child.stdout, prefix, process.stdout);
    prefixLines(child.stderr, prefix, process.stderr);
  }
  let exitSignal = null;
  const code = await new Promise((resolve) =>
    child.once('exit', (status, signal) => {
      exitSignal = signal;
      // A native crash (the emulator's WebRTC runs in that process) ends a shard without a report: say so.
      if (status !== 0) console.error(`[${name}] the test runner ${signal ? `was killed by ${signal}` : `exited with code ${status}`}`);
      resolve(status ?? (signal ? 1 : 0));
    }),
  );
  children.delete(child);
  killGroup(child.pid, 'SIGKILL');
  const crashLog = env.CHARIVO_EMULATOR_CRASHES;
  const crashes = existsSync(crashLog) ? readFileSync(crashLog, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line)) : [];
  return { ...job, name, code, signal: exitSignal, wallMs: Date.now() - began, crashes };
}

/**
 * The emulator's native WebRTC (@roamhq/wrtc) crashes its process now and then (SIGSEGV, about once
 * per full three-engine run, never in our code): the shard goes on with a restarted emulator, but the
 * calls that were open fail. A shard whose emulator crashed runs its failed files once more, alone,
 * after the others; a file that fails again fails the run, and the summary names every rerun.
 */
const RERUN_LIMIT = 10;
async function rerunAfterCrash(result) {
  if (!result.crashes.length || !existsSync(result.report)) return null;
  const failed = JSON.parse(readFileSync(result.report, 'utf8')).files.filter((f) => !f.ok).map((f) => f.file);
  if (failed.length === 0 || failed.length > RERUN_LIMIT) return null;
  const signals = result.crashes.map((c) => c.signal ?? `code ${c.code}`).join(', ');
  console.log(`[browser tests] ${result.name}: the emulator process crashed (${signals}); its ${failed.length} failed file(s) run once more: ${failed.join(', ')}`);
  const rerun = await runJob({ ...result, files: failed, report: result.report.replace(/\.json$/, '.rerun.json'), rerun: true });
  return { ...rerun, failed, signals };
}

let results;
try {
  const atOnce = Math.max(1, Number(process.env.CHARIVO_PROCESSES) || jobs.length);
  // Longest expected first: the shards of the slowest engine start at once.
  const queue = [...jobs];
  results = [];
  await Promise.all(
    Array.from({ length: Math.min(atOnce, jobs.length) }, async () => {
      while (queue.length > 0) results.push(await runJob(queue.shift()));
    }),
  );
} catch (error) {
  console.error(`[browser tests] ${error.message}`);
  cleanUp();
  process.exit(1);
}

// Another config (the benchmarks) reports its own results: its exit code is the answer.
if (process.env.CHARIVO_WTR_CONFIG) process.exit(results.every((r) => r.code === 0) ? 0 : 1);

const reruns = [];
for (const result of results.filter((r) => !r.rerun)) {
  const rerun = await rerunAfterCrash(result);
  if (rerun) reruns.push({ of: result, rerun });
}
/** A shard's report with its rerun files' results in place of the first ones. */
function shardFiles(result) {
  if (!existsSync(result.report)) return null;
  const files = JSON.parse(readFileSync(result.report, 'utf8')).files;
  const entry = reruns.find((r) => r.of === result);
  if (!entry || !existsSync(entry.rerun.report)) return files;
  const again = new Map(JSON.parse(readFileSync(entry.rerun.report, 'utf8')).files.map((f) => [f.file, f]));
  return files.map((f) => again.get(f.file) ?? f);
}

// One report per engine: its shards' files together; its wall time from its first start to its last end.
const reports = engines.map((engine) => {
  const own = results.filter((r) => r.engine === engine);
  const first = own.find((r) => existsSync(r.report));
  const browser = first ? JSON.parse(readFileSync(first.report, 'utf8')).browser : null;
  // A shard without a report (its runner died) leaves the engine's report incomplete: its code fails the run.
  const report = first ? { browser, files: own.flatMap((r) => shardFiles(r) ?? []) } : null;
  // A shard whose only failures passed when run again after its emulator crashed counts as passed.
  const codeOf = (r) => {
    const entry = reruns.find((x) => x.of === r);
    return entry && r.code === 1 && !r.signal && entry.rerun.code === 0 ? 0 : r.code;
  };
  const code = own.map(codeOf).find((c) => c !== 0) ?? 0;
  const wallMs = Math.max(...own.map((r) => r.wallMs));
  if (report) {
    const times = previousTimes(join(timesDir, `${engine}.json`));
    for (const { file, wallMs: ms } of report.files) if (typeof ms === 'number') times.set(file, ms);
    const files = [...times].map(([file, ms]) => ({ file, wallMs: ms }));
    writeFileSync(join(timesDir, `${engine}.json`), JSON.stringify({ engine, files }, null, 1));
  }
  // Shards whose runner died without a report: their files are not in the counts, and the summary says so.
  const lost = own.filter((r) => !existsSync(r.report)).map((r) => `shard ${r.index + 1}/${r.of} (${r.files?.length ?? 'all'} files): the test runner ${r.signal ? `was killed by ${r.signal}` : `exited with code ${r.code}`} before its report`);
  return { engine, code, wallMs, shards: own.length, report, lost };
});
const { text, ok, coverage } = formatSummary(reports, Date.now() - startedAt);
console.log(text);
for (const { of, rerun } of reruns) {
  console.log(`Run again after the emulator crashed (${rerun.signals}) in ${of.name}: ${rerun.failed.join(', ')}: ${rerun.code === 0 ? 'passed' : 'FAILED again'}`);
}
writeFileSync(join(reportDir, 'coverage.md'), `${coverage}\n`);
process.exit(ok ? 0 : 1);
