// Options of `cem analyze` (@custom-elements-manifest/analyzer): custom-elements.json is generated from the
// elements' TSDoc (@summary, @tag, @fires, @csspart, @cssprop, @slot, @attr) and checked in.
// Regenerate with `node scripts/manifest.mjs` (it also rewrites src/frameworks/tags.ts from the result);
// test/node/manifest.test.ts fails while either checked-in file is stale.
//
// The globs cover src/elements only. Every element extends LitElement directly (no base class or mixin of
// ours in between), so no inherited member is lost, and the manifest stays about the elements instead of
// listing every export of the manager, server and emulator. If an element ever extends a class or mixin
// from elsewhere in src, widen the globs to src/**/*.ts (minus the same exclusions): a narrower glob would
// silently drop the inherited members.
export default {
  globs: ['src/elements/**/*.ts'],
  exclude: ['src/**/*.test.ts', 'src/**/*.node.test.ts', 'src/**/*.styles.ts'],
  outdir: '.',
  litelement: true,
  // package.json already names the manifest ("customElements"); the analyzer must never rewrite it.
  packagejson: false,
  quiet: true,
  plugins: [charivoCleanup()],
};

/**
 * Four corrections of what the analyzer infers:
 * - modules come in the order the analyzer's glob (globby, asynchronous) happened to list the files,
 *   which changes with load; they are sorted by path so the output is the same on every run;
 * - `#private`, `private` and `protected` members (Lit's lifecycle overrides) are implementation details;
 * - an event is inferred from every `dispatchEvent(new X(arg))`, named after `arg` even when `arg` is a
 *   variable (`new CharivoEvent(name, detail)` gives an event called "name"). Our events are all `charivo-*`
 *   (CONVENTIONS.md), so an inferred name outside that prefix is such an artefact and is dropped; the real
 *   names come from the `@fires` tags;
 * - a declaration its module does not export (a local `const` picked up by mistake) is not public API.
 */
function charivoCleanup() {
  return {
    name: 'charivo-cleanup',
    packageLinkPhase({ customElementsManifest }) {
      customElementsManifest.modules?.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      for (const mod of customElementsManifest.modules ?? []) {
        const exported = new Set((mod.exports ?? []).map((entry) => entry.declaration?.name ?? entry.name));
        mod.declarations = (mod.declarations ?? []).filter((declaration) => exported.has(declaration.name));
        for (const declaration of mod.declarations) {
          if (declaration.members) {
            declaration.members = declaration.members.filter(
              (member) => !member.name.startsWith('#') && member.privacy !== 'private' && member.privacy !== 'protected',
            );
          }
          if (declaration.events) {
            declaration.events = declaration.events.filter((event) => event.name?.startsWith('charivo-'));
          }
        }
      }
    },
  };
}
