// The Realtime emulator in a process of its own, for the browser tests and the demo
// (scripts/emulator-process.mjs starts it). The emulator's native WebRTC (@roamhq/wrtc) can crash its
// process (SIGSEGV in RTCDataChannel::Send when a client hangs up while the emulator sends); in the test
// runner's or the demo server's process that ended everything, here it costs the calls in flight.
//
//   node --import tsx scripts/emulator-host.ts '{"port":0,"apiKey":"sk-…","validate":true,"scenario":"demo"}'
//
// It prints one line `CHARIVO_EMULATOR {"url":…}` once listening, and ends when its stdin closes
// (the parent is gone) or at SIGTERM.
import { startRealtimeEmulator, type RealtimeEmulatorOptions } from '../src/emulator/index.js';

/** What the parent may ask for: JSON-safe emulator options, and a scenario by name. */
interface HostOptions {
  port?: number;
  apiKey?: string;
  validate?: boolean;
  /** `demo`: the demo page's scenario (its suggestions call tools). */
  scenario?: 'demo';
}

const CLOSE_LIMIT_MS = 3000;

// CHARIVO_GC_STRESS=<ms>: collect garbage that often, so a native object finalized at a bad moment
// shows up in a local run, not only on CI (the parent starts this process with --expose-gc).
const gcStressMs = Number(process.env.CHARIVO_GC_STRESS);
const gc = (globalThis as { gc?: () => void }).gc;
if (gcStressMs > 0 && gc) setInterval(gc, gcStressMs).unref();

async function main(): Promise<void> {
  const given = JSON.parse(process.argv[2] ?? '{}') as HostOptions;
  const options: RealtimeEmulatorOptions = { host: '127.0.0.1', port: given.port ?? 0, validate: given.validate ?? true };
  if (given.apiKey) options.apiKey = given.apiKey;
  if (given.scenario === 'demo') options.scenario = (await import('../demo/emulator-scenario.js')).demoScenario;
  const emulator = await startRealtimeEmulator(options);
  const { url, baseUrl, callsUrl, websocketUrl, apiKey } = emulator;
  process.stdout.write(`CHARIVO_EMULATOR ${JSON.stringify({ url, baseUrl, callsUrl, websocketUrl, apiKey })}\n`);

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
  console.error(`[charivo-emulator] could not start: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
