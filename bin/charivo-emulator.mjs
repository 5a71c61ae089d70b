#!/usr/bin/env node
// `charivo-emulator`: the local OpenAI Realtime emulator. Runs the built CLI when the package has been
// built, otherwise the TypeScript source through tsx (a checkout, `npm link`). The CLI keeps the
// emulator in a child process that it starts again after a native crash (src/emulator/process.ts).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = new URL('../dist/emulator-cli.js', import.meta.url);
if (existsSync(fileURLToPath(built))) {
  await import(built.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/emulator/cli.ts', import.meta.url).href);
}
