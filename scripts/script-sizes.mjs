#!/usr/bin/env node
// What each script-tag build makes a page load, measured from the files in dist/ (build them first:
// `npm run build:script`), gzip -9 as a server or CDN would send them:
//
//   dist/charivo-elements.standalone.js   one file, everything in it
//   dist/charivo-elements.js + chunks/    the entry and its static imports before a session starts, then
//                                         the chunks a start with the default adapter imports, and all
//
// The import graph is read from the built files themselves (static imports, re-exports and `import()`
// with a literal specifier), so the figures follow whatever the builds split.
//
//   node scripts/script-sizes.mjs           prints the table
//   node scripts/script-sizes.mjs --json    prints the figures as JSON
//   node scripts/script-sizes.mjs --write   also writes the table into README.md (between the markers)
//   node scripts/script-sizes.mjs --check   exits 1 when README.md's figures are off by more than 5 %
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseAst } from 'vite';

const root = resolve(import.meta.dirname, '..');
const dist = join(root, 'dist');
const README = join(root, 'README.md');
const START = '<!-- script-sizes:start (node scripts/script-sizes.mjs --write) -->';
const END = '<!-- script-sizes:end -->';
/** The chunk a session start imports first (the manager and the remote client: scripts/session-chunks.mjs), and the default adapter's chunk. */
const REMOTE_CHUNK = 'session';
const DEFAULT_ADAPTER_CHUNK = 'agents-adapter';
const TOLERANCE = 0.05;

/** @param {string} file */
const gzip = (file) => gzipSync(readFileSync(file), { level: 9 }).length;

/** The relative imports of a built ES module: `static` (import/export … from) and `dynamic` (`import('…')`). */
function importsOf(file) {
  const ast = parseAst(readFileSync(file, 'utf8'));
  const found = { static: /** @type {string[]} */ ([]), dynamic: /** @type {string[]} */ ([]) };
  const add = (kind, source) => {
    if (typeof source === 'string' && source.startsWith('.')) found[kind].push(resolve(dirname(file), source));
  };
  const walk = (node) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    if (node.type === 'ImportDeclaration' || node.type === 'ExportAllDeclaration' || node.type === 'ExportNamedDeclaration') {
      add('static', node.source?.value);
    }
    if (node.type === 'ImportExpression') {
      if (node.source?.type === 'Literal') add('dynamic', node.source.value);
      // The minifier writes some specifiers as template literals without expressions.
      else if (node.source?.type === 'TemplateLiteral' && node.source.expressions.length === 0) add('dynamic', node.source.quasis[0].value.cooked);
      else throw new Error(`${relative(root, file)}: an import() with a computed specifier cannot be measured`);
    }
    for (const key in node) if (key !== 'parent') walk(node[key]);
  };
  walk(ast.body);
  return found;
}

/** Files reachable from `start` through static imports (what loading `start` fetches). */
function staticClosure(start, graph) {
  const seen = new Set();
  const stack = [start];
  while (stack.length) {
    const file = stack.pop();
    if (seen.has(file)) continue;
    if (!existsSync(file)) throw new Error(`${relative(root, file)} is imported but missing: rebuild with npm run build:script`);
    seen.add(file);
    graph.set(file, graph.get(file) ?? importsOf(file));
    stack.push(...graph.get(file).static);
  }
  return seen;
}

const stem = (file) => file.split('/').pop().replace(/-[\w-]{8}\.js$/, '').replace(/\.js$/, '');
const sum = (files) => [...files].reduce((total, file) => total + gzip(file), 0);

/** Measures both builds. */
export function measure() {
  const standaloneFile = join(dist, 'charivo-elements.standalone.js');
  const entry = join(dist, 'charivo-elements.js');
  for (const file of [standaloneFile, entry]) {
    if (!existsSync(file)) throw new Error(`${relative(root, file)} is missing: run npm run build:script first`);
  }
  const standaloneImports = importsOf(standaloneFile);
  if (standaloneImports.static.length || standaloneImports.dynamic.length) {
    throw new Error(`the standalone file imports other files: ${[...standaloneImports.static, ...standaloneImports.dynamic].map((f) => relative(dist, f)).join(', ')}`);
  }

  const graph = new Map();
  const firstLoad = staticClosure(entry, graph);
  // Every lazily loaded part, by chunk name, with what it adds to what is already loaded.
  const lazy = new Map();
  const pending = [...firstLoad].flatMap((file) => graph.get(file).dynamic);
  while (pending.length) {
    const target = pending.pop();
    if (lazy.has(stem(target))) continue;
    const closure = staticClosure(target, graph);
    lazy.set(stem(target), closure);
    for (const file of closure) pending.push(...graph.get(file).dynamic);
  }
  for (const name of [REMOTE_CHUNK, DEFAULT_ADAPTER_CHUNK]) {
    if (!lazy.has(name)) throw new Error(`no lazily loaded chunk named ${name}-*.js (found: ${[...lazy.keys()].join(', ')}): update scripts/script-sizes.mjs`);
  }
  const afterStart = new Set([...firstLoad, ...lazy.get(REMOTE_CHUNK), ...lazy.get(DEFAULT_ADAPTER_CHUNK)]);
  const all = new Set([...firstLoad, ...[...lazy.values()].flatMap((files) => [...files])]);
  return {
    unit: 'bytes, gzip -9',
    standalone: { files: 1, gzip: gzip(standaloneFile) },
    lazy: {
      firstLoad: { files: firstLoad.size, gzip: sum(firstLoad) },
      afterStart: { files: afterStart.size, gzip: sum(afterStart) },
      all: { files: all.size, gzip: sum(all) },
    },
  };
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const files = (n) => (n === 1 ? '1 file' : `${n} files`);

/** The README table. */
export function table(sizes) {
  const { standalone, lazy } = sizes;
  return [
    '| file | what the page loads | gzip |',
    '| --- | --- | --- |',
    `| \`charivo-elements.standalone.js\` | everything, at once (${files(standalone.files)}) | ${kb(standalone.gzip)} |`,
    `| \`charivo-elements.js\` | before a session starts (${files(lazy.firstLoad.files)}) | ${kb(lazy.firstLoad.gzip)} |`,
    `| \`charivo-elements.js\` | after \`start()\` with the default adapter (${files(lazy.afterStart.files)}) | ${kb(lazy.afterStart.gzip)} |`,
    `| \`charivo-elements.js\` | every chunk, all adapters (${files(lazy.all.files)}) | ${kb(lazy.all.gzip)} |`,
  ].join('\n');
}

function readmeBlock() {
  const text = readFileSync(README, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${START} … ${END} block`);
  return { text, start: start + START.length, end };
}

/** The KB figures in README.md's table, in order. */
function readmeFigures() {
  const { text, start, end } = readmeBlock();
  return [...text.slice(start, end).matchAll(/\| ([\d.]+) KB \|/g)].map((m) => Number(m[1]) * 1024);
}

function figures(sizes) {
  return [sizes.standalone.gzip, sizes.lazy.firstLoad.gzip, sizes.lazy.afterStart.gzip, sizes.lazy.all.gzip];
}

/** Differences beyond the tolerance between README.md and `sizes`, as sentences (empty when none). */
export function readmeDrift(sizes) {
  const written = readmeFigures();
  const measured = figures(sizes);
  if (written.length !== measured.length) return [`README.md's size table has ${written.length} figures, expected ${measured.length}`];
  const names = ['standalone', 'lazy before start', 'lazy after start', 'lazy all'];
  return measured.flatMap((value, i) =>
    Math.abs(written[i] - value) > value * TOLERANCE ? [`${names[i]}: README says ${kb(written[i])}, the build measures ${kb(value)}`] : [],
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = new Set(process.argv.slice(2));
  const sizes = measure();
  if (args.has('--json')) console.log(JSON.stringify(sizes, null, 2));
  else console.log(table(sizes));
  if (args.has('--write')) {
    const { text, start, end } = readmeBlock();
    writeFileSync(README, `${text.slice(0, start)}\n${table(sizes)}\n${text.slice(end)}`);
    console.log('README.md updated');
  }
  if (args.has('--check')) {
    const drift = readmeDrift(sizes);
    if (drift.length) {
      console.error(`README.md's script-tag sizes are stale (run node scripts/script-sizes.mjs --write):\n  ${drift.join('\n  ')}`);
      process.exit(1);
    }
    console.log('README.md sizes match the build (±5 %)');
  }
}
