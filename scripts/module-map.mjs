// A Vite plugin that writes which output file holds each source module, ours and our dependencies'
// (`.vite/<name>.json`: `{ "src/…/x.ts": "chunks/session-….js" }`). Vite's manifest names a module only
// when a chunk is its own (an entry, or a dynamic import that is the chunk's facade); modules that
// scripts/session-chunks.mjs groups into one chunk are not in it. The script-tag tests read this map to
// tell which files hold the session code.
import { relative, resolve, sep } from 'node:path';

/** @param {string} name the map's file name under `.vite/`, without `.json` */
export function moduleMap(name) {
  const root = resolve('.');
  return {
    name: 'charivo-module-map',
    /** @param {unknown} _options @param {Record<string, { type: string; fileName: string; moduleIds?: string[] }>} bundle */
    generateBundle(_options, bundle) {
      /** @type {Record<string, string>} */
      const map = {};
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        for (const id of chunk.moduleIds ?? []) {
          if (!id.startsWith(root + sep)) continue;
          map[relative(root, id).split(sep).join('/')] = chunk.fileName;
        }
      }
      const sorted = Object.fromEntries(Object.entries(map).sort(([a], [b]) => a.localeCompare(b)));
      this.emitFile({ type: 'asset', fileName: `.vite/${name}.json`, source: `${JSON.stringify(sorted, null, 2)}\n` });
    },
  };
}
