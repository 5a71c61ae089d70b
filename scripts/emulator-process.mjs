// Starts the Realtime emulator in a child process (scripts/emulator-host.ts) and keeps it running: if the
// child dies on its own (a native crash in @roamhq/wrtc), a new one takes the same port and key, so the
// calls in flight fail and the next ones work. Each restart is said on stdout, where a CI log keeps it,
// and recorded in the file CHARIVO_EMULATOR_CRASHES names (one JSON line each) when set.
import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const HOST = fileURLToPath(new URL('./emulator-host.ts', import.meta.url));
const READY = 'CHARIVO_EMULATOR ';
const START_LIMIT_MS = 30_000;
/** Restarts after which a crashing emulator is left dead (the tests then fail and say why). */
const MAX_RESTARTS = 5;

/**
 * Types: emulator-process.d.mts (options, address, process).
 * @param {import('./emulator-process.d.mts').EmulatorProcessOptions} [options]
 * @returns {Promise<import('./emulator-process.d.mts').EmulatorProcess>}
 */
export async function startEmulatorProcess(options = {}) {
  const name = options.name ?? 'charivo-emulator';
  let closing = false;
  let restarts = 0;
  let child;
  // Known after the first start: a restart takes the same one (the route's provider was built with it).
  let apiKey = options.apiKey;
  let port = options.port ?? 0;
  // A crash is restarted only once the first start succeeded: a failure at start (a port in use) is the caller's.
  let started = false;

  /** Spawns the host on `port` (0: a free one); resolves with its address once it listens. */
  const spawnHost = () =>
    new Promise((resolve, reject) => {
      const hostOptions = { port, validate: options.validate ?? true, ...(apiKey ? { apiKey } : {}), ...(options.scenario ? { scenario: options.scenario } : {}) };
      // tsx loads the emulator from its TypeScript sources; stdin is the parent's lifeline (it ends when we do).
      child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', HOST, JSON.stringify(hostOptions)], { stdio: ['pipe', 'pipe', 'inherit'] });
      const current = child;
      const limit = setTimeout(() => {
        current.kill('SIGKILL');
        reject(new Error(`[${name}] did not start within ${START_LIMIT_MS / 1000} s`));
      }, START_LIMIT_MS);
      createInterface({ input: current.stdout }).on('line', (line) => {
        if (line.startsWith(READY)) {
          clearTimeout(limit);
          resolve(JSON.parse(line.slice(READY.length)));
        } else {
          console.log(line);
        }
      });
      current.once('exit', (code, signal) => {
        clearTimeout(limit);
        reject(new Error(`[${name}] exited at start (${signal ?? `code ${code}`})`));
        // Code 0 is a stop it was asked for (SIGTERM to the process group, its stdin closed): not a crash.
        const crashed = signal !== null || code !== 0;
        if (crashed && !closing && started && current === child) void restart(code, signal);
      });
    });

  const first = await spawnHost();
  port = Number(new URL(first.url).port);
  apiKey = first.apiKey;
  started = true;

  async function restart(code, signal) {
    // For scripts/run-browser-tests.mjs, which runs a crashed shard's failed files once more.
    if (process.env.CHARIVO_EMULATOR_CRASHES) {
      appendFileSync(process.env.CHARIVO_EMULATOR_CRASHES, `${JSON.stringify({ name, at: new Date().toISOString(), signal, code })}\n`);
    }
    if (restarts >= MAX_RESTARTS) {
      console.log(`[${name}] the emulator process ended (${signal ?? `code ${code}`}) after ${restarts} restarts: left stopped`);
      return;
    }
    restarts += 1;
    console.log(`[${name}] the emulator process ended (${signal ?? `code ${code}`}): calls in flight are lost; restart ${restarts} on port ${port}`);
    try {
      await spawnHost();
      options.onRestart?.(restarts);
    } catch (error) {
      console.log(String(error?.message ?? error));
    }
  }

  return {
    ...first,
    get restarts() {
      return restarts;
    },
    get pid() {
      return child?.pid;
    },
    close() {
      closing = true;
      const current = child;
      if (!current || current.exitCode !== null || current.signalCode !== null) return Promise.resolve();
      return new Promise((resolve) => {
        current.once('exit', () => resolve());
        current.stdin.end();
      });
    },
  };
}
