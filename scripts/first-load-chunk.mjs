// A code-splitting rule for the lazy script-tag build (vite.config.ts, `--mode script`): every module the
// entry imports statically goes into the entry file itself, so the first load is one file and dist/chunks/
// holds only what `import()` loads later (the remote client and the adapters, which import their shared
// code back from the entry). Without it, Rolldown puts modules shared by the entry and the lazy chunks
// (zod, the session config, the adapter registry) into common chunks the entry imports statically: a
// page served dist/charivo-elements.js alone then fails before any of the kit runs, with nothing on the
// page and only the browser's 404 in the console. With it, such a page renders its tags and a session
// start reports the missing chunk as a `charivo-error` (test/browser/script-tag/static-site.test.ts).
import { resolve } from 'node:path';

/**
 * The `codeSplitting.groups` entry that keeps the static import closure of `entry` in the entry chunk.
 * Needs `preserveEntrySignatures: 'allow-extension'` (the entry may export the shared bindings the lazy
 * chunks import back).
 * @param {string} entry the entry module's path, as given to `build.lib.entry`
 * @param {string} name the entry chunk's name (its file name without `.js`)
 */
export function firstLoadGroup(entry, name) {
  const entryId = resolve(entry);
  /** @type {Set<string> | undefined} */
  let closure;
  return {
    debugName: 'first-load',
    name: (/** @type {string} */ id, /** @type {{ getModuleInfo(id: string): { importedIds: readonly string[] } | null }} */ ctx) => {
      closure ??= importClosure(entryId, ctx);
      return closure.has(id) ? name : null;
    },
  };
}

/**
 * Modules reachable from `start` through static imports (and `import()` too when `dynamic`).
 * @param {string} start
 * @param {{ getModuleInfo(id: string): { importedIds: readonly string[]; dynamicallyImportedIds?: readonly string[] } | null }} ctx
 * @param {boolean} [dynamic]
 */
export function importClosure(start, ctx, dynamic = false) {
  const seen = new Set();
  const stack = [start];
  while (stack.length) {
    const id = stack.pop();
    if (seen.has(id)) continue;
    seen.add(id);
    const info = ctx.getModuleInfo(id);
    if (!info) continue;
    stack.push(...info.importedIds);
    if (dynamic) stack.push(...(info.dynamicallyImportedIds ?? []));
  }
  return seen;
}
