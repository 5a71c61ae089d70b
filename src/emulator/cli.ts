/**
 * `charivo-emulator`: runs the Realtime emulator until interrupted, in a child process that is started
 * again on the same port and key if it crashes (see {@link startRealtimeEmulatorProcess}).
 *   charivo-emulator [--port 8787] [--host 127.0.0.1] [--api-key sk-emulator] [--validate]
 *                    [--ms-per-char 65] [--max-session-seconds 3600]
 */
import { parseArgs } from 'node:util';
import type { EmulatorHostOptions } from './host-protocol.js';
import { startRealtimeEmulatorProcess, type RealtimeEmulatorAddress } from './process.js';

const USAGE = `Usage: charivo-emulator [options]
  --port <n>         port to listen on (default 8787; 0 picks a free one)
  --host <addr>      interface (default 127.0.0.1)
  --api-key <key>    server key clients must present (default sk-emulator)
  --validate         check every event against OpenAI's schema and log violations
  --ms-per-char <n>  speech pace (default 65)
  --max-session-seconds <n>  end sessions after n seconds as OpenAI does at 60 min (default 3600; 0 = never)
  -h, --help         show this help`;

/** The command line as emulator options; undefined for --help. Throws on a bad value. */
function readArgs(): EmulatorHostOptions | undefined {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8787' },
      host: { type: 'string', default: '127.0.0.1' },
      'api-key': { type: 'string', default: 'sk-emulator' },
      validate: { type: 'boolean', default: false },
      'ms-per-char': { type: 'string' },
      'max-session-seconds': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) return undefined;
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid --port: ${values.port}`);
  const msPerChar = values['ms-per-char'] === undefined ? undefined : Number(values['ms-per-char']);
  if (msPerChar !== undefined && !(msPerChar > 0)) throw new Error(`Invalid --ms-per-char: ${values['ms-per-char']}`);
  const maxSessionSeconds = values['max-session-seconds'] === undefined ? undefined : Number(values['max-session-seconds']);
  if (maxSessionSeconds !== undefined && !(maxSessionSeconds >= 0)) throw new Error(`Invalid --max-session-seconds: ${values['max-session-seconds']}`);
  return {
    port,
    host: values.host,
    apiKey: values['api-key'],
    validate: values.validate,
    ...(msPerChar === undefined ? {} : { msPerChar }),
    ...(maxSessionSeconds === undefined ? {} : { maxSessionSeconds }),
  };
}

function printAddress(emulator: RealtimeEmulatorAddress): void {
  console.log(`Realtime emulator listening at ${emulator.url}`);
  console.log(`  API base:   ${emulator.baseUrl}   (key: ${emulator.apiKey})`);
  console.log(`  WebRTC:     POST ${emulator.callsUrl}`);
  console.log(`  WebSocket:  ${emulator.websocketUrl}`);
  console.log(`  Control:    ${emulator.url}/_emulator/sessions`);
}

async function main(): Promise<void> {
  let options: EmulatorHostOptions | undefined;
  try {
    options = readArgs();
  } catch (error) {
    console.error(`charivo-emulator: ${error instanceof Error ? error.message : String(error)}`);
    console.error(USAGE);
    process.exit(1);
  }
  if (!options) {
    console.log(USAGE);
    return;
  }
  const emulator = await startRealtimeEmulatorProcess({
    ...options,
    onRestart: () => printAddress(emulator),
    // Spent restarts: the emulator stays down, and so does this command, with a failure.
    onCrash: ({ restarting }) => {
      if (!restarting) process.exit(1);
    },
  });
  printAddress(emulator);
  const stop = (): void => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
