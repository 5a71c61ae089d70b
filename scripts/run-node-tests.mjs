#!/usr/bin/env node
// Runs the Node-side tests (server route, emulator, conformance): every src/**/*.node.test.ts and
// test/node/**/*.test.ts, through node:test with tsx for TypeScript. Node 20's --test takes no globs.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

function collect(dir, match, out = []) {
  let entries = [];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) collect(path, match, out);
    else if (match(entry.name)) out.push(relative(process.cwd(), path));
  }
  return out;
}

const files = [
  ...collect('src', (name) => name.endsWith('.node.test.ts')),
  ...collect(join('test', 'node'), (name) => name.endsWith('.test.ts')),
].sort();
if (files.length === 0) {
  console.error('[node tests] no test files found');
  process.exit(1);
}
const filter = process.argv.slice(2);
const selected = filter.length ? files.filter((f) => filter.some((part) => f.includes(part))) : files;
// Two files at a time (CHARIVO_NODE_CONCURRENCY to change it): each file is a process of its own that
// spends most of its time loading tsx and waiting on sockets, so on 2 cores the suite took 68-70 s in three
// runs instead of 109-122 s one file at a time, with the same 639 passing.
const concurrency = Math.max(1, Number(process.env.CHARIVO_NODE_CONCURRENCY) || 2);
const result = spawnSync(
  process.execPath,
  // --expose-gc: the route's timeout test forces collections mid-wait (nodejs/node#57736).
  ['--expose-gc', '--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...selected],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
