// Two builds:
//   `vite build`                → dist/*.js: the ES module library, one file per public entry, with every
//                                 dependency left external (npm users bring their own lit, zod, …).
//   `vite build --mode script`  → dist/charivo-elements.js: one ES module for a <script type="module"> tag,
//                                 dependencies bundled; the transport is a separate chunk loaded on first start.
// The self-contained single file (dist/charivo-elements.standalone.js, no chunks) has its own config:
// vite.standalone.config.ts.
import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';
import pkg from './package.json' with { type: 'json' };
import { firstLoadGroup } from './scripts/first-load-chunk.mjs';

const external = [
  ...Object.keys(pkg.dependencies ?? {}),
  ...Object.keys(pkg.peerDependencies ?? {}),
  ...builtinModules,
  ...builtinModules.map((name) => `node:${name}`),
];
const isExternal = (id: string) => external.some((name) => id === name || id.startsWith(`${name}/`));

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
  conformance: 'src/conformance/index.ts',
};

export default defineConfig(({ mode }) => {
  if (mode === 'script') {
    return {
      build: {
        outDir: 'dist',
        emptyOutDir: false,
        target: 'es2022',
        lib: { entry: 'src/script-tag.ts', formats: ['es'], fileName: () => 'charivo-elements.js' },
        rollupOptions: {
          // The first load is the entry file alone: a page served only this file still renders and reports
          // a missing chunk when a session starts (scripts/first-load-chunk.mjs).
          preserveEntrySignatures: 'allow-extension',
          output: {
            chunkFileNames: 'chunks/[name]-[hash].js',
            codeSplitting: { groups: [firstLoadGroup('src/script-tag.ts', 'charivo-elements')] },
          },
        },
      },
      resolve: { conditions: ['browser', 'module', 'import', 'default'] },
      define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    };
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
