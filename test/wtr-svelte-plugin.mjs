// Compiles `.svelte` files for the browser tests (test/browser/frameworks/svelte.test.ts) with Svelte 5's own
// compiler, client output in dev mode, the way a Svelte app's bundler plugin would. The compiled module's
// bare imports (`svelte/internal/client`) are then resolved by the runner like any other module's.
import { compile } from 'svelte/compiler';

export function svelteCompilePlugin() {
  return {
    name: 'charivo-svelte-compile',
    resolveMimeType(context) {
      return context.path.endsWith('.svelte') ? 'js' : undefined;
    },
    transform(context) {
      if (!context.path.endsWith('.svelte')) return undefined;
      const { js, warnings } = compile(String(context.body), { filename: context.path, generate: 'client', dev: true });
      for (const warning of warnings) console.warn(`[svelte] ${context.path}: ${warning.message}`);
      return { body: js.code };
    },
  };
}
