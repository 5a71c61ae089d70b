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
// CHARIVO_BROWSERS sets the default engine list; CHARIVO_ENGINES_AT_ONCE bounds how many run together.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENGINE_PACKAGES, locateEngine, parseEngines } from './engines.mjs';
import { formatSummary } from './engine-summary.mjs';

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

/** WebKitWebDriver under a virtual X server, in its own process group so it can be stopped whole. */
async function startWebKitDriver() {
  const { paths } = locateEngine('webkit');
  const port = await freePort();
  const driver = spawn(paths.xvfbRun, ['-a', '-s', '-nolisten tcp', paths.driver, `--port=${port}`, '--host=127.0.0.1'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Kept for the failure message at start, and in a file for a browser that dies mid-run.
  let output = '';
  const log = createWriteStream(join(reportDir, 'webkitwebdriver.log'));
  for (const stream of [driver.stdout, driver.stderr]) {
    stream.on('data', (chunk) => {
      if (output.length < 64_000) output += chunk;
      log.write(chunk);
    });
  }
  const exited = new Promise((resolve) => driver.once('exit', (code) => resolve(code)));
  // The driver has no "ready" signal but its /status endpoint; ask until it answers (bounded).
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const outcome = await Promise.race([
      fetch(`http://127.0.0.1:${port}/status`).then((r) => (r.ok ? 'ready' : 'no'), () => 'no'),
      exited.then(() => 'exited'),
    ]);
    if (outcome === 'ready') break;
    if (outcome === 'exited') throw new Error(`WebKitWebDriver exited at start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (Date.now() >= deadline) throw new Error(`WebKitWebDriver did not answer on port ${port} within 30 s:\n${output}`);
  return {
    port,
    stop() {
      try {
        process.kill(-driver.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      return exited;
    },
  };
}

// ── run ──────────────────────────────────────────────────────────────────────────────────────
const reportDir = join(root, '.tmp', 'engine-reports');
rmSync(reportDir, { recursive: true, force: true });
mkdirSync(reportDir, { recursive: true });

const children = new Set();
let webkitDriver;
let stopping = false;
async function cleanUp() {
  for (const child of children) child.kill('SIGTERM');
  await webkitDriver?.stop();
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void cleanUp().then(() => process.exit(130));
  });
}

const single = engines.length === 1;
const startedAt = Date.now();

/** Runs one engine's wtr; resolves with its exit code and wall time. */
async function runEngine(engine) {
  const env = {
    ...process.env,
    CHARIVO_ENGINE: engine,
    CHARIVO_WTR_PORT: String(await freePort()),
    CHARIVO_ENGINE_REPORT: join(reportDir, `${engine}.json`),
  };
  if (engine === 'webkit') env.CHARIVO_WEBDRIVER_PORT = String(webkitDriver.port);
  // tsx lets the config load the emulator and the route from their TypeScript sources.
  const args = ['--import', 'tsx', join(root, 'node_modules/.bin/wtr'), '--config', config, ...wtrArgs];
  const began = Date.now();
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: single ? 'inherit' : ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  if (!single) {
    const prefix = `[${engine}] `;
    prefixLines(child.stdout, prefix, process.stdout);
    prefixLines(child.stderr, prefix, process.stderr);
  }
  const code = await new Promise((resolve) =>
    child.once('exit', (status, signal) => {
      if (status !== 0) console.error(`[${engine}] the test runner exited with ${signal ? `signal ${signal}` : `code ${status}`}`);
      resolve(status ?? (signal ? 1 : 0));
    }),
  );
  children.delete(child);
  return { engine, code, wallMs: Date.now() - began };
}

let results;
try {
  if (engines.includes('webkit')) webkitDriver = await startWebKitDriver();
  const atOnce = Math.max(1, Number(process.env.CHARIVO_ENGINES_AT_ONCE) || engines.length);
  const queue = [...engines];
  results = [];
  await Promise.all(
    Array.from({ length: Math.min(atOnce, engines.length) }, async () => {
      while (queue.length > 0) results.push(await runEngine(queue.shift()));
    }),
  );
} catch (error) {
  console.error(`[browser tests] ${error.message}`);
  await cleanUp();
  process.exit(1);
}
await webkitDriver?.stop();

// Another config (the benchmarks) reports its own results: its exit code is the answer.
if (process.env.CHARIVO_WTR_CONFIG) process.exit(results.every((r) => r.code === 0) ? 0 : 1);

const reports = results.map(({ engine, code, wallMs }) => {
  const file = join(reportDir, `${engine}.json`);
  const report = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
  return { engine, code, wallMs, report };
});
reports.sort((a, b) => engines.indexOf(a.engine) - engines.indexOf(b.engine));
const { text, ok, coverage } = formatSummary(reports, Date.now() - startedAt);
console.log(text);
writeFileSync(join(reportDir, 'coverage.md'), `${coverage}\n`);
process.exit(ok ? 0 : 1);
