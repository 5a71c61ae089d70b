// Code-splitting rules for the per-tag script files (vite.config.ts, `--mode script-tags`): each tag's
// file holds what only that tag needs, each set of tags shares one chunk for what exactly they have in
// common (lit is the one all share), and the session code loads as in the main script build
// (scripts/session-chunks.mjs). Left to Rolldown, a module a tag shares with its own lazily loaded
// session code went into a chunk of its own too: `charivo-realtime.js` alone fetched eight files (three
// under 500 bytes, each gzipped on its own, so each repeating what the others have).
// A module that lazily loaded code needs stays out of a tag's file unless only that tag can load the
// code: importing it from another tag's file would define that tag as a side effect.
import { resolve } from 'node:path';
import { importClosure } from './first-load-chunk.mjs';
import { sessionChunkOf } from './session-chunks.mjs';

/** @typedef {{ getModuleInfo(id: string): { importedIds: readonly string[]; dynamicallyImportedIds: readonly string[] } | null }} Graph */

/**
 * The `codeSplitting.groups` entry for tag entries `entries` (name → path, as given to `build.lib.entry`).
 * Needs `preserveEntrySignatures: 'allow-extension'` (a tag file may export what the session code imports back).
 * @param {Record<string, string>} entries
 */
export function tagChunksGroup(entries) {
  const ids = Object.entries(entries).map(([name, path]) => ({ name, id: resolve(path) }));
  /** @type {Map<string, string> | undefined} module → chunk name */
  let placement;
  return {
    debugName: 'tag-chunks',
    name: (/** @type {string} */ id, /** @type {Graph} */ ctx) => {
      placement ??= place(ids, ctx);
      return placement.get(id) ?? sessionChunkOf(id);
    },
    includeDependenciesRecursively: false,
  };
}

/**
 * Every module a tag imports statically: in its tag's file when it is that tag's alone (and no other
 * tag's lazy code needs it), else in the chunk of the tags that use it (named after them, or `lit` when
 * all do). Every such module is named here: one left to Rolldown may land in a tag's file and turn that
 * file into a re-export of a chunk that imports it back.
 */
function place(entries, ctx) {
  const tags = entries.map(({ name, id }) => ({ name, closure: importClosure(id, ctx, false), reach: importClosure(id, ctx, true) }));
  const placement = new Map();
  for (const { closure: modules } of tags) {
    for (const id of modules) {
      if (placement.has(id)) continue;
      const users = tags.filter((tag) => tag.closure.has(id) || tag.reach.has(id));
      if (users.length === 1) placement.set(id, users[0].name);
      else if (users.length === tags.length) placement.set(id, 'lit');
      else placement.set(id, `shared-${users.map((tag) => tag.name.replace(/^charivo-/, '')).join('-')}`);
    }
  }
  return placement;
}

