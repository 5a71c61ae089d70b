// The self-contained script-tag build, for people who copy one file:
//
//   vite build --config vite.standalone.config.ts   → dist/charivo-elements.standalone.js
//
// Everything is inlined (lit, zod, the manager, every transport adapter, @openai/agents-realtime): the
// file fetches no chunk of its own, so it works wherever it is served, alone. The lazy build
// (`vite build --mode script` in vite.config.ts: dist/charivo-elements.js plus dist/chunks/) stays the
// one for CDNs and for serving the whole dist/ folder; it loads the transport only when a session starts.
// This config is kept apart from vite.config.ts so the two builds can change independently.
import { defineConfig } from 'vite';

export default defineConfig({
  // public/ and a demo's assets have no place in a library file.
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2022',
    // Library mode leaves ES output unminified unless asked; one file copied by hand should be small.
    minify: true,
    sourcemap: false,
    lib: { entry: 'src/script-tag.ts', formats: ['es'], fileName: () => 'charivo-elements.standalone.js' },
    rolldownOptions: {
      // No code splitting: every `import()` of a transport or adapter is inlined into the one file
      // (what Rollup called `inlineDynamicImports: true`).
      output: { codeSplitting: false },
    },
  },
  resolve: { conditions: ['browser', 'module', 'import', 'default'] },
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
});
