#!/usr/bin/env node
// `charivo-emulator`: the local OpenAI Realtime emulator. Runs the built CLI when the package has been
// built, otherwise the TypeScript source through tsx (a checkout, `npm link`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = ['../dist/emulator/cli.js', '../dist/emulator-cli.js']
  .map((path) => new URL(path, import.meta.url))
  .find((url) => existsSync(fileURLToPath(url)));

if (built) {
  await import(built.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/emulator/cli.ts', import.meta.url).href);
}
