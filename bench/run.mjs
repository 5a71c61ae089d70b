#!/usr/bin/env node
// Runs every benchmark against what ships: first the script build (`vite build --mode script` → dist/)
// and the comparisons built with the same settings (`--mode bench-compare` → bench/.build/compare/), then
// the browser benches (bench/browser/*.bench.ts) in headless Chromium through
// scripts/run-browser-tests.mjs with bench/wtr-bench.config.mjs (loopback-only network namespace when
// root). Each bench prints its table and writes bench/results/<name>.json; this script then prints one
// summary table of the headline figures with the machine it ran on (also bench/results/summary.json) and
// exits non-zero if any bench failed or left no fresh result.
//   node bench/run.mjs                 everything
//   node bench/run.mjs lipsync idle    only these benches (the builds always run)
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { printTable, writeResult } from './lib/report.mjs';

const root = resolve(import.meta.dirname, '..');
const resultsDir = join(root, 'bench', 'results');

/** Browser benches in the order they run: file stem → result name. */
const BROWSER_BENCHES = [
  { file: 'bytes', result: 'bytes' },
  { file: 'throughput', result: 'throughput' },
  { file: 'idle', result: 'idle' },
  { file: 'lipsync', result: 'lipsync-lag' },
  { file: 'connect', result: 'connect' },
  { file: 'churn', result: 'churn' },
  { file: 'guard', result: 'guard' },
];

/**
 * The goals of issue 12, matched to headline rows by bench and label: `value` picks the figure the goal
 * is about (ours, or the ratio), `met` says whether it is reached. A row without a goal says what it is.
 */
const GOALS = [
  { bench: 'bytes', label: /first load, all five/, goal: '≤ 22 KB', value: 'ours', met: (v) => v <= 22 },
  { bench: 'bytes', label: /first load, <charivo-realtime> alone/, goal: '≤ 12 KB', value: 'ours', met: (v) => v <= 12 },
  { bench: 'bytes', label: /on start\(\), openai-webrtc/, goal: '≤ 15 KB', value: 'ours', met: (v) => v <= 15 },
  { bench: 'bytes', label: /on start\(\), openai-websocket/, goal: '≤ 15 KB', value: 'ours', met: (v) => v <= 15 },
  { bench: 'throughput', label: /^30 deltas\/s/, goal: '≤ 1.25×', value: 'ratio', met: (v) => v <= 1.25 },
  { bench: 'throughput', label: /^3,000 deltas\/s/, goal: '≤ 1.25×', value: 'ratio', met: (v) => v <= 1.25 },
  { bench: 'throughput', label: /^10,000 deltas/, goal: '≤ 3×', value: 'ratio', met: (v) => v <= 3 },
  { bench: 'idle', label: /full stack idle/, goal: '≤ +5 ms/s', value: 'ours', met: (v) => v <= 5 },
  { bench: 'lipsync', label: /^lag, mouth behind audio rendered/, goal: '≤ 12 ms', value: 'ours', met: (v) => v <= 12 },
  { bench: 'lipsync', label: /^release/, goal: '≤ 15 ms', value: 'ours', met: (v) => v <= 15 },
  { bench: 'lipsync', label: /jitter/, goal: "≤ Charivo's", value: 'ratio', met: (v) => v <= 1 },
  { bench: 'connect', label: /^start\(\) → connected/, goal: '≤ 1.02×', value: 'ratio', met: (v) => v <= 1.02 },
];

/** The number in a formatted figure (`+4.8 ms/s`, `1,234.5 ms`, `1.07×`), or NaN. */
const numberOf = (text) => Number.parseFloat(String(text).replace(/[+,]/g, ''));

/**
 * The goal column of a headline row: the goal and whether this run reached it, with the figure. A ratio
 * goal is judged on the unrounded ratio the bench handed over with its headline (`headlineRatios`), else
 * on ours ÷ the comparison as printed; never on the ratio as printed: 150.1 against 147.1 ms prints as
 * 1.02× but is 1.020×, over a goal of ≤ 1.02×, and a jitter of 3.9 % against 3.9 % was 3.94 against
 * 3.90 % (1.012×), over a goal of ≤ 1×.
 */
function verdict(bench, [label, ours, comparison, ratio], unrounded) {
  const goal = GOALS.find((g) => g.bench === bench && g.label.test(label));
  if (!goal) return '(reported, no goal)';
  const exact = Number.isFinite(unrounded) ? unrounded : numberOf(ours) / numberOf(comparison);
  const byRatio = goal.value === 'ratio';
  const value = byRatio ? (Number.isFinite(exact) ? exact : numberOf(ratio)) : numberOf(ours);
  if (Number.isNaN(value)) return `${goal.goal}: no figure`;
  const figure = byRatio ? (Number.isFinite(exact) ? `${exact.toFixed(3)}×` : ratio) : ours;
  return `${goal.goal}: ${goal.met(value) ? 'met' : `NOT met (${figure})`}`;
}

const wanted = process.argv.slice(2);
const browser = BROWSER_BENCHES.filter((bench) => wanted.length === 0 || wanted.includes(bench.file));
const unknown = wanted.filter((name) => !BROWSER_BENCHES.some((bench) => bench.file === name));
if (unknown.length > 0) {
  console.error(`unknown bench: ${unknown.join(', ')} (known: ${BROWSER_BENCHES.map((b) => b.file).join(', ')})`);
  process.exit(2);
}

const started = Date.now();
const failures = [];

/** Runs a command; stdout goes through `filter` line by line (null drops the line). */
function run(command, args, { env = {}, filter = (line) => line } = {}) {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const kept = filter(line);
      if (kept !== null) console.log(kept);
    });
    child.on('close', (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}

/** Drops the test runner's progress bars and cursor control (the tables stay readable in a log). */
function quietRunner(line) {
  // eslint-disable-next-line no-control-regex
  const plain = line.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
  if (/test files \|/.test(plain) || /^(Running tests\.\.\.|Running \d+ test files\.\.\.)$/.test(plain.trim())) return null;
  if (/Finished running tests in/.test(plain)) return null;
  return plain;
}

const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGB: Math.round(totalmem() / 2 ** 30),
  loadBefore: loadavg().map((v) => Number(v.toFixed(2))),
};
console.log(`machine: ${machine.cores} × ${machine.cpu}, ${machine.memoryGB} GB; load average ${machine.loadBefore.join(', ')}`);

console.log('== builds: vite build --mode script and --mode script-tags (dist/), --mode bench-compare (bench/.build/compare/) ==');
for (const mode of ['script', 'script-tags', 'bench-compare']) {
  const code = await run(process.execPath, [join('node_modules', 'vite', 'bin', 'vite.js'), 'build', '--mode', mode, '--logLevel', 'warn']);
  if (code !== 0) {
    console.error(`vite build --mode ${mode} exited with ${code}`);
    process.exit(1);
  }
}

if (browser.length > 0) {
  console.log(`\n== browser benches (headless Chromium): ${browser.map((b) => b.file).join(', ')} ==`);
  let previousBlank = false;
  const code = await run(process.execPath, [join('scripts', 'run-browser-tests.mjs')], {
    env: {
      CHARIVO_WTR_CONFIG: 'bench/wtr-bench.config.mjs',
      CHARIVO_BENCH_FILES: browser.map((b) => `bench/browser/${b.file}.bench.ts`).join(','),
    },
    filter: (line) => {
      const kept = quietRunner(line);
      if (kept === null) return null;
      // Collapse runs of blank lines left where progress output was dropped.
      const blank = kept.trim() === '';
      if (blank && previousBlank) return null;
      previousBlank = blank;
      return kept;
    },
  });
  if (code !== 0) failures.push(`browser benches exited with ${code}`);
}

/** Reads bench/results/<name>.json if it was written by this run. */
function fresh(name) {
  const file = join(resultsDir, `${name}.json`);
  if (!existsSync(file)) return undefined;
  const data = JSON.parse(readFileSync(file, 'utf8'));
  return Date.parse(data.measuredAt) >= started ? data : undefined;
}

const summary = [];
let userAgent;
for (const bench of browser) {
  const data = fresh(bench.result);
  if (!data) {
    failures.push(`${bench.file}: no fresh bench/results/${bench.result}.json`);
    continue;
  }
  userAgent ??= data.userAgent;
  (data.headline ?? []).forEach((row, i) => summary.push([i === 0 ? bench.file : '', ...row, verdict(bench.file, row, data.headlineRatios?.[i])]));
}
machine.loadAfter = loadavg().map((v) => Number(v.toFixed(2)));
const chromium = /(?:HeadlessChrome|Chrome)\/([\d.]+)/.exec(userAgent ?? '')?.[1] ?? browserVersion();

/** The version of the Chromium the benches ran in, from the binary when the pages did not report it. */
function browserVersion() {
  try {
    const out = execFileSync(process.env.CHROME_PATH || '/usr/bin/chromium', ['--version'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] });
    return /([\d.]+)/.exec(out)?.[1];
  } catch {
    return undefined;
  }
}

const seconds = ((Date.now() - started) / 1000).toFixed(0);
if (summary.length > 0) {
  printTable(`Summary (headline figures; comparison measured in the same process or page)`, ['bench', 'figure', 'ours', 'comparison', 'ratio', 'goal (issue 12)'], summary);
  const comparisons = {
    bytes: 'lit + @lit/context alone (first loads) / OpenAIRealtimeWebRTC alone (start), built the same way',
    throughput: 'a minimal-DOM transcript in the same page, net of an empty page',
    idle: 'an empty page',
    lipsync: "Charivo's analyser as its code does it",
    connect: 'OpenAIRealtimeWebRTC alone, built the same way',
    churn: 'before the cycles',
    guard: 'a plain session.update round trip on the same channel',
  };
  console.log(`comparisons: ${browser.map((b) => `${b.file} — ${comparisons[b.file]}`).join('; ')}`);
  console.log(
    `machine: ${machine.cores} × ${machine.cpu}, ${machine.memoryGB} GB, headless Chromium ${chromium ?? '?'}, Node ${process.version}; ` +
      `load average before ${machine.loadBefore.join(', ')}, after ${machine.loadAfter.join(', ')}`,
  );
  writeResult('summary', { machine, chromium, seconds: Number(((Date.now() - started) / 1000).toFixed(0)), headers: ['bench', 'figure', 'ours', 'comparison', 'ratio', 'goal (issue 12)'], rows: summary });
}
console.log(`\ntotal ${seconds} s`);
if (failures.length > 0) {
  console.error(`\nFAILED:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
