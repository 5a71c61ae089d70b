// Bytes: gzip size of what a page loads before a session starts (the script-tag entry and its static
// imports) and of everything loaded once a session starts (plus the lazily imported remote client and
// WebRTC adapter), beside lit + @lit/context alone and agents-realtime's OpenAIRealtimeWebRTC alone,
// all bundled the same way (esbuild, ES modules, minified, browser conditions, gzip -9).
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { kb, printTable, ratio, writeResult } from './lib/report.mjs';

const root = resolve(import.meta.dirname, '..');

async function bundle(name, source) {
  const dir = mkdtempSync(join(tmpdir(), `charivo-bytes-${name}-`));
  const entry = join(dir, 'entry.js');
  writeFileSync(entry, source);
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    splitting: true,
    format: 'esm',
    minify: true,
    target: 'es2022',
    platform: 'browser',
    conditions: ['browser', 'module', 'import', 'production'],
    define: { 'process.env.NODE_ENV': '"production"' },
    alias: { debug: join(root, 'test/shims/debug.js') },
    outdir: join(dir, 'out'),
    metafile: true,
    absWorkingDir: root,
    nodePaths: [join(root, 'node_modules')],
    logLevel: 'silent',
    write: true,
  });
  const outputs = result.metafile.outputs;
  const gz = (file) => gzipSync(readFileSync(join(root, file)), { level: 9 }).length;
  const entryOut = Object.keys(outputs).find((file) => outputs[file].entryPoint);
  /** Closure of `start` over import kinds in `kinds`. */
  const closure = (start, kinds) => {
    const seen = new Set();
    const walk = (file) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const imp of outputs[file]?.imports ?? []) if (kinds.includes(imp.kind) && !imp.external) walk(imp.path);
    };
    walk(start);
    return [...seen];
  };
  const staticFiles = closure(entryOut, ['import-statement']);
  const allFiles = closure(entryOut, ['import-statement', 'dynamic-import']);
  const size = (files) => files.filter((f) => f.endsWith('.js')).reduce((sum, f) => sum + gz(f), 0);
  const sizes = { firstLoad: size(staticFiles), afterStart: size(allFiles), files: allFiles.length };
  rmSync(dir, { recursive: true, force: true });
  return sizes;
}

const ours = await bundle('ours', `import ${JSON.stringify(join(root, 'src/script-tag.ts'))};\n` +
  // The remote client and the WebRTC adapter are what a session start loads (dynamic imports).
  `export const start = () => import(${JSON.stringify(join(root, 'src/transports/remote/index.ts'))}).then(() => import(${JSON.stringify(join(root, 'src/transports/openai-webrtc/index.ts'))}));\n`);
const lit = await bundle('lit', `export * from 'lit';\nexport * from '@lit/context';\n`);
const agents = await bundle('agents', `export { OpenAIRealtimeWebRTC } from '@openai/agents-realtime';\n`);

const rows = [
  ['charivo-elements, first load (before start)', kb(ours.firstLoad), kb(lit.firstLoad), ratio(ours.firstLoad, lit.firstLoad)],
  ['charivo-elements, after start (all code)', kb(ours.afterStart), kb(agents.firstLoad), ratio(ours.afterStart, agents.firstLoad)],
];
printTable('Bytes (gzip -9 of minified ES modules)', ['figure', 'ours', 'comparison', 'ratio'], rows);
console.log('comparison: first load vs lit + @lit/context alone; after start vs OpenAIRealtimeWebRTC alone');
const file = writeResult('bytes', {
  unit: 'bytes (gzip -9)',
  ours,
  litAndContext: lit.firstLoad,
  openAIRealtimeWebRTC: agents.firstLoad,
  ratios: { firstLoadVsLit: ours.firstLoad / lit.firstLoad, afterStartVsAgents: ours.afterStart / agents.firstLoad },
});
console.log(`written ${file}`);
