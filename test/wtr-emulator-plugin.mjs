// @web/test-runner plugin: runs the Realtime emulator (src/emulator) beside the test server, with every
// event schema-checked (validate: true), and tells browser tests where it is through a virtual module:
//
//   import { emulatorUrl, baseUrl, apiKey, callsUrl, websocketUrl } from '/__charivo/emulator.js';
//
// The browser reaches the emulator cross-origin on 127.0.0.1 (it answers CORS), and the tests read its
// logs and violations from `${emulatorUrl}/_emulator/...`. Another plugin that wants the same emulator
// (say, a server route in front of it) can await `plugin.emulator()` instead of starting a second one.
//
// The emulator runs in a child process (startRealtimeEmulatorProcess): its native WebRTC can crash, and
// in this process a crash ended the whole test run. Everything the tests need of it goes over HTTP.
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { startRealtimeEmulatorProcess } from '../src/emulator/process.ts';

export const EMULATOR_MODULE_PATH = '/__charivo/emulator.js';

/**
 * An `onCrash` for startRealtimeEmulatorProcess(): notes each crash (one JSON line) in the file that
 * CHARIVO_EMULATOR_CRASHES names, where scripts/run-browser-tests.mjs looks for it to run a crashed
 * shard's failed files once more.
 * @param {string} name
 * @returns {(crash: import('../src/emulator/process.ts').EmulatorCrash) => void}
 */
export function recordEmulatorCrash(name) {
  return ({ signal, code }) => {
    if (!process.env.CHARIVO_EMULATOR_CRASHES) return;
    appendFileSync(process.env.CHARIVO_EMULATOR_CRASHES, `${JSON.stringify({ name, at: new Date().toISOString(), signal, code })}\n`);
  };
}

/**
 * @param {{ apiKey?: string, validate?: boolean, path?: string, exports?: Record<string, unknown> }} [options]
 *   Emulator options (validate defaults to true), the virtual module's path, and extra values it exports.
 */
export function emulatorPlugin(options = {}) {
  const { path = EMULATOR_MODULE_PATH, exports: extraExports = {}, ...emulatorOptions } = options;
  /** @type {import('../src/emulator/process.ts').RealtimeEmulatorProcess | undefined} */
  let emulator;
  /** @type {(value: import('../src/emulator/process.ts').RealtimeEmulatorProcess) => void} */
  let resolveReady = () => {};
  const ready = new Promise((resolve) => (resolveReady = resolve));

  return {
    name: 'charivo-emulator',
    /** Resolves with the running emulator once the test server has started. */
    emulator: () => ready,
    async serverStart({ logger }) {
      emulator = await startRealtimeEmulatorProcess({ validate: true, onCrash: recordEmulatorCrash('charivo-emulator'), ...emulatorOptions });
      resolveReady(emulator);
      logger?.log?.(`[charivo-emulator] ${emulator.url}`);
    },
    async serverStop() {
      await emulator?.close();
      emulator = undefined;
    },
    /**
     * `charivo-crash-emulator-once`, for the runner's own test (test/node/browser-runner-rerun.test.ts)
     * and only when CHARIVO_CRASH_ONCE_MARKER names a file: the first call (no marker yet) writes the
     * marker and kills the emulator with SIGSEGV, as wrtc's crashes do, and answers 'crashed'; any later
     * call, in this runner or the rerun's, answers 'already'.
     */
    executeCommand({ command }) {
      if (command !== 'charivo-crash-emulator-once') return undefined;
      const marker = process.env.CHARIVO_CRASH_ONCE_MARKER;
      if (!marker || !emulator?.pid) throw new Error('charivo-crash-emulator-once needs CHARIVO_CRASH_ONCE_MARKER and a running emulator');
      if (existsSync(marker)) return 'already';
      writeFileSync(marker, String(emulator.pid));
      process.kill(emulator.pid, 'SIGSEGV');
      return 'crashed';
    },
    serve(context) {
      if (context.path !== path || !emulator) return undefined;
      const values = {
        emulatorUrl: emulator.url,
        baseUrl: emulator.baseUrl,
        callsUrl: emulator.callsUrl,
        websocketUrl: emulator.websocketUrl,
        apiKey: emulator.apiKey,
        ...extraExports,
      };
      const body = Object.entries(values)
        .map(([name, value]) => `export const ${name} = ${JSON.stringify(value)};`)
        .join('\n');
      return { body, type: 'js', headers: { 'Cache-Control': 'no-store' } };
    },
  };
}
