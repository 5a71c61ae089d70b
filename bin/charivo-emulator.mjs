#!/usr/bin/env node
// `charivo-emulator`: the local OpenAI Realtime emulator. Runs the built CLI when the package has been
// built, otherwise the TypeScript source through tsx (a checkout, `npm link`).
//
// The emulator runs in a child process of this one, which starts it again on the same port (and key)
// if it dies on its own: its native WebRTC (@roamhq/wrtc) can crash the process (SIGSEGV in
// RTCDataChannel::Send when a client hangs up while the emulator sends). The calls in flight are lost;
// the server, and a test run against it, go on.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const CHILD = 'CHARIVO_EMULATOR_CHILD';
/** Restarts after which a crashing emulator is left stopped (and this process exits with its failure). */
const MAX_RESTARTS = 5;

if (process.env[CHILD] === '1') await runEmulator();
else supervise(process.argv.slice(2));

async function runEmulator() {
  // The supervisor holds our stdin: when it is gone (killed outright), stop too. Unreferenced, so that
  // a run that starts no server (--help) still ends.
  process.stdin.on('end', () => process.kill(process.pid, 'SIGTERM'));
  process.stdin.resume();
  process.stdin.unref?.();
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
}

/** @param {string[]} args */
function supervise(args) {
  let stopping = false;
  let restarts = 0;
  /** The port the emulator listened on: a restart takes the same one (`--port 0` picked it). */
  let port = null;
  /** @type {import('node:child_process').ChildProcess | null} */
  let child = null;

  const start = () => {
    const argv = port === null ? args : [...args, '--port', String(port)];
    let listening = false;
    const current = spawn(process.execPath, [fileURLToPath(import.meta.url), ...argv], {
      env: { ...process.env, [CHILD]: '1' },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    child = current;
    createInterface({ input: current.stdout }).on('line', (line) => {
      const match = /listening at https?:\/\/[^\s]*:(\d+)/.exec(line);
      if (match) {
        listening = true;
        port = Number(match[1]);
      }
      console.log(line);
    });
    current.on('exit', (code, signal) => {
      if (current !== child) return;
      const crashed = signal !== null || code !== 0;
      // A failure before listening (a bad option, a port in use) is the user's to see, not to retry.
      if (stopping || !crashed || !listening || restarts >= MAX_RESTARTS) {
        process.exit(stopping ? 0 : (code ?? 1));
      }
      restarts += 1;
      console.error(`charivo-emulator: the emulator process ended (${signal ?? `code ${code}`}); calls in flight are lost. Restart ${restarts} of ${MAX_RESTARTS} on port ${port}.`);
      start();
    });
  };

  const stop = () => {
    if (stopping) return;
    stopping = true;
    if (!child || child.exitCode !== null || child.signalCode !== null) process.exit(0);
    child.kill('SIGTERM');
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  start();
}
