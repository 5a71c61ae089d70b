#!/usr/bin/env node
// `npm start`: the demo. Until the elements and demo issue lands, it starts the local realtime emulator
// (OpenAI's protocol on 127.0.0.1, no key needed) and says what it serves.
import { spawn } from 'node:child_process';

console.log('[start] The demo page comes with the elements issue; starting the realtime emulator meanwhile.');
const child = spawn(process.execPath, ['bin/charivo-emulator.mjs', '--port', process.env.PORT ?? '8787'], {
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
