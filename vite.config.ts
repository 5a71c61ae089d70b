// Two builds:
//   `vite build`                → dist/*.js: the ES module library, one file per public entry, with every
//                                 dependency left external (npm users bring their own lit, zod, …).
//   `vite build --mode script`  → dist/charivo-elements.js: one minified ES module for a <script type="module">
//                                 tag that defines every tag (its first load is that one file), and
//                                 dist/charivo-api.js (the manager and avatar APIs); what a session needs
//                                 (manager, validator, transports) is in dist/chunks/, loaded on first use.
//   `vite build --mode script-tags` → dist/charivo-<tag>.js: one file per tag that defines only that tag (and
//                                 what it needs), for a page with one element; chunks shared in dist/chunks/.
// The self-contained single file (dist/charivo-elements.standalone.js, no chunks) has its own config:
// vite.standalone.config.ts.
import { builtinModules } from 'node:module';
import { defineConfig, type UserConfig } from 'vite';
import pkg from './package.json' with { type: 'json' };
import { firstLoadGroup } from './scripts/first-load-chunk.mjs';
import { minifyTemplateCss } from './scripts/minify-template-css.mjs';
import { moduleMap } from './scripts/module-map.mjs';
import { sessionChunksGroup } from './scripts/session-chunks.mjs';
import { tagChunksGroup } from './scripts/tag-chunks.mjs';

const external = [
  ...Object.keys(pkg.dependencies ?? {}),
  ...Object.keys(pkg.peerDependencies ?? {}),
  ...builtinModules,
  ...builtinModules.map((name) => `node:${name}`),
];
const isExternal = (id: string) => external.some((name) => id === name || id.startsWith(`${name}/`));

/**
 * Entries of the script (CDN) build: `charivo-elements.js` defines every tag (its first load is one file);
 * `charivo-api.js` has the manager and avatar APIs and shares the session code with it.
 */
const firstLoadEntries = {
  'charivo-elements': 'src/script-tag.ts',
  'charivo-api': 'src/script-api.ts',
};

/**
 * Each tag also has a file of its own that defines only that tag (and what it needs), so a page with one
 * element loads only that (a build of their own: files of one build share their chunks).
 */
const tagEntries = {
  'charivo-realtime': 'src/elements/realtime/define.ts',
  'charivo-avatar': 'src/elements/avatar/define.ts',
  'charivo-transcript': 'src/elements/transcript/define.ts',
  'charivo-mic-meter': 'src/elements/mic-meter/define.ts',
  'charivo-controls': 'src/elements/controls/define.ts',
  'charivo-metrics': 'src/elements/metrics/define.ts',
  'charivo-device-picker': 'src/elements/device-picker/define.ts',
};

const libraryEntries = {
  index: 'src/index.ts',
  manager: 'src/manager/index.ts',
  elements: 'src/elements/index.ts',
  avatar: 'src/avatar/index.ts',
  transports: 'src/transports/index.ts',
  'transports-remote': 'src/transports/remote/index.ts',
  'transports-openai-webrtc': 'src/transports/openai-webrtc/index.ts',
  'transports-openai-websocket': 'src/transports/openai-websocket/index.ts',
  'transports-openai-live': 'src/transports/openai-live/index.ts',
  testing: 'src/testing/index.ts',
  server: 'src/server/index.ts',
  emulator: 'src/emulator/index.ts',
  'emulator-cli': 'src/emulator/cli.ts',
  // The child process of startRealtimeEmulatorProcess(), found next to the code that spawns it.
  'emulator-host': 'src/emulator/emulator-host.ts',
  conformance: 'src/conformance/index.ts',
};

/**
 * The script build's settings for `input`, written to `outDir`. The benchmarks build their comparisons
 * (lit alone, the SDK's WebRTC transport alone) with exactly these settings (`--mode bench-compare`).
 */
function scriptBuild(input: Record<string, string>, outDir: string, emptyOutDir: boolean, manifest: string): UserConfig {
  return {
    build: {
      outDir,
      emptyOutDir,
      target: 'es2022',
      // Library mode: dynamic imports stay plain `import()` (no preload helper in the first load) and
      // each entry keeps its exports. Library mode leaves ES output unminified (pure annotations for an
      // npm user's bundler), but this build is what a page loads as it is: the output is minified, and
      // without comments (the minifier keeps `@__PURE__` marks, which nothing reads after it).
      lib: { entry: input, formats: ['es'], fileName: (_format, name) => `${name}.js` },
      manifest: `.vite/${manifest}.json`,
      copyPublicDir: false,
      rollupOptions: { output: { chunkFileNames: 'chunks/[name]-[hash].js', minify: true, comments: false } },
    },
    resolve: { conditions: ['browser', 'module', 'import', 'default'] },
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    plugins: [minifyTemplateCss(), moduleMap(manifest.replace('manifest', 'modules'))],
  };
}

/**
 * A script build whose chunks are grouped by `groups`. The entries keep only what they export, and may
 * be imported back from the chunks: the session code imports from the file that loaded it.
 */
function groupedScriptBuild(entries: Record<string, string>, manifest: string, groups: Array<ReturnType<typeof tagChunksGroup>>): UserConfig {
  const build = scriptBuild(entries, 'dist', false, manifest);
  return {
    ...build,
    build: {
      ...build.build,
      rollupOptions: {
        preserveEntrySignatures: 'allow-extension',
        output: { ...build.build!.rollupOptions!.output, codeSplitting: { groups } },
      },
    },
  };
}

export default defineConfig(({ mode }) => {
  // The first load of charivo-elements.js is that file alone: a page served only this file still renders
  // and reports a missing chunk when a session starts (scripts/first-load-chunk.mjs).
  if (mode === 'script') return groupedScriptBuild(firstLoadEntries, 'script-manifest', [firstLoadGroup('src/script-tag.ts', 'charivo-elements'), sessionChunksGroup()]);
  // A tag's file holds what only it needs (scripts/tag-chunks.mjs).
  if (mode === 'script-tags') return groupedScriptBuild(tagEntries, 'script-tags-manifest', [tagChunksGroup(tagEntries)]);
  if (mode === 'bench-compare') {
    return scriptBuild({ lit: 'bench/compare/lit.ts', 'agents-webrtc': 'bench/compare/agents-webrtc.ts' }, 'bench/.build/compare', true, 'manifest');
  }
  return {
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      target: 'es2022',
      minify: false,
      sourcemap: true,
      lib: { entry: libraryEntries, formats: ['es'], fileName: (_format, name) => `${name}.js` },
      rollupOptions: { external: isExternal, output: { chunkFileNames: 'shared/[name]-[hash].js' } },
    },
  };
});
