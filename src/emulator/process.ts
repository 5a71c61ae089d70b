/**
 * The emulator in a child process that comes back after a crash. The emulator's native WebRTC
 * (`@roamhq/wrtc`) can crash the process it runs in (SIGSEGV in `RTCDataChannel::Send` when a client
 * hangs up while the emulator sends). In your test runner's process that ends the run; here it costs
 * the calls in flight: a new child takes the same port and key, and the next calls work.
 * `charivo-emulator`, `npm start` and this repository's browser tests all run it this way.
 * @packageDocumentation
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { HOST_READY_PREFIX, type EmulatorHostOptions } from './host-protocol.js';
import type { RealtimeEmulator } from './server.js';

/** Options of {@link startRealtimeEmulatorProcess}. */
export interface RealtimeEmulatorProcessOptions extends Omit<EmulatorHostOptions, 'scenarioModule'> {
  /**
   * An ES module that exports the `EmulatorScenario` as `scenario` or as its default export (a scenario
   * holds functions, which cannot cross to the child): a path (from the working directory), a `file:`
   * URL, or a package specifier.
   */
  scenarioModule?: string | URL;
  /** Names this emulator in what it prints (default `charivo-emulator`). */
  name?: string;
  /** How long the child may take to listen, at the start and after a crash (default 30 s). */
  startTimeoutMs?: number;
  /** Crashes after which the emulator stays down (default 5): the calls then fail, and say why. */
  maxRestarts?: number;
  /** Called when the child ended on its own: its signal or exit code, and whether a new one starts. */
  onCrash?: (crash: EmulatorCrash) => void;
  /** Called once a restarted emulator listens again, with the number of restarts so far. */
  onRestart?: (restarts: number) => void;
  /** Where the child's output and the restart notes go, line by line (default `console.log`). */
  log?: (line: string) => void;
}

/** How a child ended on its own. */
export interface EmulatorCrash {
  signal: NodeJS.Signals | null;
  code: number | null;
  /** Whether a new child is started (false once `maxRestarts` is spent). */
  restarting: boolean;
}

/** Where a running emulator answers: the same fields as `startRealtimeEmulator()`'s. */
export type RealtimeEmulatorAddress = Pick<RealtimeEmulator, 'url' | 'baseUrl' | 'callsUrl' | 'websocketUrl' | 'apiKey'>;

/**
 * A running emulator in a child process. What `startRealtimeEmulator()` offers as methods (sessions,
 * their events and violations, faults) is on its HTTP control API: `GET ${url}/_emulator/sessions`, …
 */
export interface RealtimeEmulatorProcess extends RealtimeEmulatorAddress {
  /** How many times the child crashed and was started again. */
  readonly restarts: number;
  /** The current child's process id. */
  readonly pid: number | undefined;
  /** Stops the child (it closes its sessions, up to 3 s) and starts no other. */
  close(): Promise<void>;
}

const DEFAULT_START_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RESTARTS = 5;

/**
 * Starts the Realtime emulator in a child process, and starts it again on the same port and key when
 * it dies on its own (at most `maxRestarts` times; a restart that fails to start counts as one). The
 * child ends with this process, however this one ends. A failure of the first start (a port in use, a
 * scenario module that does not load) rejects and is not retried.
 * @example
 * const emulator = await startRealtimeEmulatorProcess({ validate: true });
 * const provider = createOpenAIRealtimeProvider({ apiKey: emulator.apiKey, baseUrl: emulator.baseUrl });
 * // …
 * await emulator.close();
 */
export async function startRealtimeEmulatorProcess(options: RealtimeEmulatorProcessOptions = {}): Promise<RealtimeEmulatorProcess> {
  const { name = 'charivo-emulator', startTimeoutMs = DEFAULT_START_TIMEOUT_MS, maxRestarts = DEFAULT_MAX_RESTARTS } = options;
  const log = options.log ?? ((line: string) => console.log(line));
  const entry = hostEntry();
  const hostOptions: EmulatorHostOptions = {
    port: options.port ?? 0,
    ...pick(options, ['host', 'apiKey', 'validate', 'maxSessionSeconds', 'faults', 'msPerChar']),
    ...(options.scenarioModule === undefined ? {} : { scenarioModule: moduleUrl(options.scenarioModule) }),
  };
  let child: ChildProcess | undefined;
  let closing = false;
  let restarts = 0;
  // A crash is restarted only once the first start succeeded: a failure at start is the caller's.
  let started = false;
  /** A restart in progress: close() waits for it, so that no child it starts outlives the close. */
  let restarting: Promise<void> | undefined;

  const spawnHost = (): Promise<RealtimeEmulatorAddress> =>
    new Promise((resolve, reject) => {
      const current = spawn(process.execPath, [...entry.nodeArgs, JSON.stringify(hostOptions)], { stdio: ['pipe', 'pipe', 'inherit'] });
      child = current;
      const limit = setTimeout(() => {
        current.kill('SIGKILL');
        reject(new Error(`${name}: the emulator did not start within ${startTimeoutMs / 1000} s`));
      }, startTimeoutMs);
      createInterface({ input: current.stdout! }).on('line', (line) => {
        if (!line.startsWith(HOST_READY_PREFIX)) return log(line);
        clearTimeout(limit);
        resolve(JSON.parse(line.slice(HOST_READY_PREFIX.length)) as RealtimeEmulatorAddress);
      });
      current.once('exit', (code, signal) => {
        clearTimeout(limit);
        reject(new Error(`${name}: the emulator exited at start (${signal ?? `code ${code}`})`));
        // Code 0 is a stop it was asked for (its stdin closed, SIGTERM): not a crash.
        const crashed = signal !== null || code !== 0;
        if (crashed && !closing && started && current === child) restarting = restart(code, signal);
      });
    });

  const restart = async (code: number | null, signal: NodeJS.Signals | null): Promise<void> => {
    const ended = `${name}: the emulator process ended (${signal ?? `code ${code}`})`;
    if (restarts >= maxRestarts) {
      log(`${ended} after ${restarts} restarts; left stopped.`);
      options.onCrash?.({ code, signal, restarting: false });
      return;
    }
    restarts += 1;
    log(`${ended}; calls in flight are lost. Restart ${restarts} of ${maxRestarts} on port ${hostOptions.port}.`);
    options.onCrash?.({ code, signal, restarting: true });
    // close() may have been called meanwhile (from onCrash, say): then nothing starts.
    if (closing) return;
    try {
      await spawnHost();
      if (!closing) options.onRestart?.(restarts);
    } catch (error) {
      log(error instanceof Error ? error.message : String(error));
    }
  };

  const address = await spawnHost();
  // A restart takes the same port and key: the routes and the pages were given them.
  hostOptions.port = Number(new URL(address.url).port);
  hostOptions.apiKey = address.apiKey;
  started = true;

  return {
    url: address.url,
    baseUrl: address.baseUrl,
    callsUrl: address.callsUrl,
    websocketUrl: address.websocketUrl,
    apiKey: address.apiKey,
    get restarts() {
      return restarts;
    },
    get pid() {
      return child?.pid;
    },
    async close() {
      closing = true;
      await restarting;
      const current = child;
      if (!current || current.exitCode !== null || current.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        current.once('exit', () => resolve());
        current.stdin!.end();
      });
    },
  };
}

/**
 * The child's entry and how Node runs it: the built `emulator-host.js` next to this file (or above it,
 * from a shared chunk), else the TypeScript source through tsx (a checkout). The names are built at run
 * time so that a bundler leaves them alone.
 */
function hostEntry(): { nodeArgs: string[] } {
  // Not `new URL('./…', import.meta.url)`: Vite would bundle what that names (every file a template matches).
  const here = import.meta.url;
  const base = 'emulator-host';
  for (const candidate of [`./${base}.js`, `../${base}.js`]) {
    const url = new URL(candidate, here);
    if (existsSync(fileURLToPath(url))) return { nodeArgs: ['--expose-gc', fileURLToPath(url)] };
  }
  const source = new URL(`./${base}.ts`, here);
  if (!existsSync(fileURLToPath(source))) throw new Error(`charivo-emulator: ${base}.js is missing next to ${fileURLToPath(here)}`);
  return { nodeArgs: ['--expose-gc', '--import', import.meta.resolve('tsx'), fileURLToPath(source)] };
}

/** A module given as a path, a URL or a specifier, as the child can import it. */
function moduleUrl(module: string | URL): string {
  if (module instanceof URL) return module.href;
  // A path is the caller's, from its working directory; a URL or a specifier goes as it is.
  if (isAbsolute(module) || module.startsWith('.')) return pathToFileURL(resolvePath(module)).href;
  return module;
}

function pick<T extends object, K extends keyof T>(source: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}
