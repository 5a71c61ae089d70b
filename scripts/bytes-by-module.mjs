#!/usr/bin/env node
// What each module weighs in the script build: builds `--mode <mode>` (default script) into a temporary
// directory with source maps, then, per output file, attributes every minified character to the source
// module it came from and prints each module's share (raw bytes, and gzip -9 of its slice alone, which
// over-counts a little but ranks modules the way they cost). For finding what to make lazy, not a bench.
//   node scripts/bytes-by-module.mjs [mode] [file-substring]
import { existsSync, readFileSync, readdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, loadConfigFromFile } from 'vite';

const root = resolve(import.meta.dirname, '..');
const mode = process.argv[2] ?? 'script';
const only = process.argv[3];
const outDir = mkdtempSync(join(tmpdir(), 'charivo-bytes-'));
const loaded = await loadConfigFromFile({ command: 'build', mode }, join(root, 'vite.config.ts'), root);
const config = loaded.config;
await build({
  ...config,
  configFile: false,
  root,
  mode,
  logLevel: 'warn',
  build: { ...config.build, outDir, emptyOutDir: true, sourcemap: true, manifest: false },
});

const gz = (text) => gzipSync(text, { level: 9 }).length;
const kb = (n) => (n / 1024).toFixed(1).padStart(6);
const files = [];
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else if (entry.name.endsWith('.js')) files.push(path);
  }
};
walk(outDir);
for (const file of files.sort()) {
  const name = relative(outDir, file);
  if (only && !name.includes(only)) continue;
  const code = readFileSync(file, 'utf8');
  console.log(`\n${name}: ${kb(code.length)} KB raw, ${kb(gz(code))} KB gzip`);
  if (!existsSync(`${file}.map`)) continue;
  const map = JSON.parse(readFileSync(`${file}.map`, 'utf8'));
  const lines = code.split('\n');
  /** source → its characters, in order */
  const parts = new Map();
  segments(map.mappings).forEach((segment, index, all) => {
    const next = all[index + 1];
    const line = lines[segment.line] ?? '';
    const end = next && next.line === segment.line ? next.column : line.length;
    const source = segment.source === undefined ? '(none)' : relative(root, resolve(dirname(file), map.sources[segment.source]));
    parts.set(source, (parts.get(source) ?? '') + line.slice(segment.column, end));
  });
  const rows = [...parts].map(([source, text]) => ({ source: source.replace(/^node_modules\//, 'nm/'), raw: text.length, gzip: gz(text) }));
  rows.sort((a, b) => b.gzip - a.gzip);
  for (const row of rows) if (row.gzip > 150) console.log(`${kb(row.raw)} ${kb(row.gzip)}  ${row.source}`);
}
rmSync(outDir, { recursive: true, force: true });

/** The segments of a source map's `mappings` (VLQ, base64): generated line and column, and the source index. */
function segments(mappings) {
  const DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const out = [];
  let source = 0;
  mappings.split(';').forEach((text, line) => {
    let column = 0;
    for (const field of text.split(',')) {
      if (!field) continue;
      const values = [];
      let value = 0;
      let shift = 0;
      for (const char of field) {
        const digit = DIGITS.indexOf(char);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          values.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      column += values[0];
      if (values.length > 1) source += values[1];
      out.push({ line, column, source: values.length > 1 ? source : undefined });
    }
  });
  return out;
}
