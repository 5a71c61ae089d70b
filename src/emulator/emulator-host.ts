/**
 * The child process of {@link startRealtimeEmulatorProcess}: runs one emulator with the options given as
 * JSON in its first argument, prints one line `CHARIVO_EMULATOR {"url":…}` once it listens, and ends
 * when its stdin closes (the parent is gone, however it ended) or at SIGTERM / SIGINT.
 *
 *   node emulator-host.js '{"port":0,"apiKey":"sk-…","validate":true,"scenarioModule":"file:///…"}'
 * @packageDocumentation
 */
import { startRealtimeEmulator, type RealtimeEmulatorOptions } from './server.js';
import { HOST_READY_PREFIX, type EmulatorHostOptions } from './host-protocol.js';
import type { EmulatorScenario } from './scenario.js';

/** How long a stop waits for open peers to close before the process ends anyway. */
const CLOSE_LIMIT_MS = 3000;

// CHARIVO_GC_STRESS=<ms>: collect garbage that often, so a native object finalized at a bad moment
// shows up in a local run, not only on CI (the parent starts this process with --expose-gc).
const gcStressMs = Number(process.env.CHARIVO_GC_STRESS);
const gc = (globalThis as { gc?: () => void }).gc;
if (gcStressMs > 0 && gc) setInterval(gc, gcStressMs).unref();

async function scenarioOf(given: EmulatorHostOptions): Promise<EmulatorScenario | undefined> {
  let scenario: EmulatorScenario | undefined;
  if (given.scenarioModule) {
    const module = (await import(given.scenarioModule)) as { default?: EmulatorScenario; scenario?: EmulatorScenario };
    scenario = module.scenario ?? module.default;
    if (!scenario || typeof scenario !== 'object') {
      throw new Error(`${given.scenarioModule} exports no scenario (export it as \`scenario\` or as the default export)`);
    }
  }
  return given.msPerChar === undefined ? scenario : { ...scenario, msPerChar: given.msPerChar };
}

async function main(): Promise<void> {
  const given = JSON.parse(process.argv[2] ?? '{}') as EmulatorHostOptions;
  const scenario = await scenarioOf(given);
  // JSON carries no undefined: what is left of `given` is what was set.
  const { scenarioModule: _module, msPerChar: _pace, ...emulatorOptions } = given;
  const options: RealtimeEmulatorOptions = { host: '127.0.0.1', ...emulatorOptions, ...(scenario === undefined ? {} : { scenario }) };
  const emulator = await startRealtimeEmulator(options);
  const { url, baseUrl, callsUrl, websocketUrl, apiKey } = emulator;
  process.stdout.write(`${HOST_READY_PREFIX}${JSON.stringify({ url, baseUrl, callsUrl, websocketUrl, apiKey })}\n`);

  let closing = false;
  const stop = (): void => {
    if (closing) return;
    closing = true;
    // close() waits for open peers; a peer that never closes must not keep the process.
    const limit = setTimeout(() => process.exit(0), CLOSE_LIMIT_MS);
    void emulator.close().finally(() => {
      clearTimeout(limit);
      process.exit(0);
    });
  };
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.resume();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`charivo-emulator: could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
