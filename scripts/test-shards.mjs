// Splits one engine's browser test files into shards that run as separate @web/test-runner processes at
// the same time. Most of a browser test's time is real-time audio and network waits, not CPU, so two or
// three files of one engine in flight at once finish sooner than one after another, each in a browser
// of its own (a page per file, as with one process: nothing a test does to its browser, focus, the
// keyboard, a second tab, reaches another file's). Dependency-free.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The test files of the default run, as web-test-runner.config.mjs lists them (test/node/test-shards.test.ts checks they match). */
export const DEFAULT_TEST_DIRS = ['src', 'test/browser', 'test/emulator', 'test/e2e'];

/** Every `*.test.ts` under `dirs` (relative to `root`) except Node's `*.node.test.ts`, sorted. */
export function listTestFiles(root, dirs = DEFAULT_TEST_DIRS) {
  const found = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.test.ts') && !entry.name.endsWith('.node.test.ts')) found.push(relative(root, path));
    }
  };
  for (const dir of dirs) if (existsSync(join(root, dir))) walk(join(root, dir));
  return found.sort();
}

/**
 * What each file cost last time in this engine (its wall time in the browser, from the engine's report
 * of a previous run), so shards come out even; files never timed count as the median. Later reports
 * override earlier ones: the runner passes the committed baseline (test/engine-times/, which a fresh
 * clone plans on) before this checkout's own last run (.tmp/engine-times/).
 * @param {...string} reportFiles
 * @returns {Map<string, number>}
 */
export function previousTimes(...reportFiles) {
  const times = new Map();
  for (const reportFile of reportFiles) {
    if (!existsSync(reportFile)) continue;
    try {
      for (const file of JSON.parse(readFileSync(reportFile, 'utf8')).files ?? []) {
        if (typeof file.wallMs === 'number') times.set(file.file, file.wallMs);
      }
    } catch {
      // A report from an interrupted run: plan without it.
    }
  }
  return times;
}

/**
 * `count` shards of `files`, longest first into the least loaded shard (greedy, which lands within a
 * file of the best split). Each shard keeps the files' sorted order.
 * @param {string[]} files
 * @param {Map<string, number>} times
 * @param {number} count
 * @returns {string[][]}
 */
export function planShards(files, times, count) {
  const n = Math.max(1, Math.min(count, files.length));
  const known = files.map((file) => times.get(file)).filter((ms) => typeof ms === 'number').sort((a, b) => a - b);
  const median = known.length ? known[Math.floor(known.length / 2)] : 1;
  const weighted = files.map((file) => ({ file, ms: times.get(file) ?? median })).sort((a, b) => b.ms - a.ms);
  const shards = Array.from({ length: n }, () => ({ ms: 0, files: [] }));
  for (const { file, ms } of weighted) {
    const lightest = shards.reduce((best, shard) => (shard.ms < best.ms ? shard : best));
    lightest.files.push(file);
    lightest.ms += ms;
  }
  return shards.map((shard) => shard.files.sort()).filter((shard) => shard.length > 0);
}
