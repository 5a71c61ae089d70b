// The installed `openai` package's version: the generated schemas record which types they were made
// from (`x-openai-version`), and their staleness tests compare it with what is installed.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The version of `node_modules/openai` (the package's `exports` hide its package.json from imports). */
export function openaiVersion(): string {
  const file = fileURLToPath(new URL('../../node_modules/openai/package.json', import.meta.url));
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}
