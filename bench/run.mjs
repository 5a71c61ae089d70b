#!/usr/bin/env node
// Runs every benchmark: bench/bytes.mjs in Node, then the browser benches (bench/browser/*.bench.ts) in
// headless Chromium through scripts/run-browser-tests.mjs with bench/wtr-bench.config.mjs (loopback-only
// network namespace when root). Each bench prints its table and writes bench/results/<name>.json; this
// script then prints one summary table of the headline figures and exits non-zero if any bench failed or
// left no fresh result.
//   node bench/run.mjs                 everything
//   node bench/run.mjs lipsync churn   only these browser benches (bytes is skipped unless named)
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { kb, printTable, ratio } from './lib/report.mjs';

const root = resolve(import.meta.dirname, '..');
const resultsDir = join(root, 'bench', 'results');

/** Browser benches in the order they run: file stem → result name. */
const BROWSER_BENCHES = [
  { file: 'lipsync', result: 'lipsync-lag' },
  { file: 'connect', result: 'connect' },
  { file: 'throughput', result: 'throughput' },
  { file: 'idle', result: 'idle' },
  { file: 'churn', result: 'churn' },
  { file: 'guard', result: 'guard' },
];

const wanted = process.argv.slice(2);
const runBytes = wanted.length === 0 || wanted.includes('bytes');
const browser = BROWSER_BENCHES.filter((bench) => wanted.length === 0 || wanted.includes(bench.file));
const unknown = wanted.filter((name) => name !== 'bytes' && !BROWSER_BENCHES.some((bench) => bench.file === name));
if (unknown.length > 0) {
  console.error(`unknown bench: ${unknown.join(', ')} (known: bytes, ${BROWSER_BENCHES.map((b) => b.file).join(', ')})`);
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

if (runBytes) {
  console.log('== bytes (Node, esbuild) ==');
  const code = await run(process.execPath, [join('bench', 'bytes.mjs')]);
  if (code !== 0) failures.push(`bytes exited with ${code}`);
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
if (runBytes) {
  const bytes = fresh('bytes');
  if (!bytes) failures.push('bytes: no fresh bench/results/bytes.json');
  else {
    summary.push(['bytes', 'first load (gzip)', kb(bytes.ours.firstLoad), kb(bytes.litAndContext), ratio(bytes.ours.firstLoad, bytes.litAndContext)]);
    summary.push(['', 'after start, all code (gzip)', kb(bytes.ours.afterStart), kb(bytes.openAIRealtimeWebRTC), ratio(bytes.ours.afterStart, bytes.openAIRealtimeWebRTC)]);
  }
}
for (const bench of browser) {
  const data = fresh(bench.result);
  if (!data) {
    failures.push(`${bench.file}: no fresh bench/results/${bench.result}.json`);
    continue;
  }
  (data.headline ?? []).forEach((row, i) => summary.push([i === 0 ? bench.file : '', ...row]));
}

const seconds = ((Date.now() - started) / 1000).toFixed(0);
if (summary.length > 0) {
  printTable(`Summary (headline figures; comparison measured in the same process or page)`, ['bench', 'figure', 'ours', 'comparison', 'ratio'], summary);
  const comparisons = {
    bytes: 'lit + @lit/context / OpenAIRealtimeWebRTC alone',
    lipsync: 'Charivo-style analyser',
    connect: 'OpenAIRealtimeWebRTC alone',
    throughput: 'bare transport listener',
    idle: 'the same elements while speaking',
    churn: 'before the cycles',
    guard: 'a plain session.update round trip on the same channel',
  };
  const ran = [...(runBytes ? ['bytes'] : []), ...browser.map((b) => b.file)];
  console.log(`comparisons: ${ran.map((name) => `${name} — ${comparisons[name]}`).join('; ')}`);
}
console.log(`\ntotal ${seconds} s`);
if (failures.length > 0) {
  console.error(`\nFAILED:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
