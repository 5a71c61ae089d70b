/**
 * `charivo-emulator`: runs the Realtime emulator until interrupted.
 *   charivo-emulator [--port 8787] [--host 127.0.0.1] [--api-key sk-emulator] [--validate]
 *                    [--ms-per-char 65] [--max-session-seconds 3600]
 */
import { parseArgs } from 'node:util';
import { startRealtimeEmulator } from './server.js';

const USAGE = `Usage: charivo-emulator [options]
  --port <n>         port to listen on (default 8787; 0 picks a free one)
  --host <addr>      interface (default 127.0.0.1)
  --api-key <key>    server key clients must present (default sk-emulator)
  --validate         check every event against OpenAI's schema and log violations
  --ms-per-char <n>  speech pace (default 65)
  --max-session-seconds <n>  end sessions after n seconds as OpenAI does at 60 min (default 3600; 0 = never)
  -h, --help         show this help`;

async function main(): Promise<void> {
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
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid --port: ${values.port}`);
  const msPerChar = values['ms-per-char'] === undefined ? undefined : Number(values['ms-per-char']);
  const maxSessionSeconds = values['max-session-seconds'] === undefined ? undefined : Number(values['max-session-seconds']);
  if (maxSessionSeconds !== undefined && !(maxSessionSeconds >= 0)) throw new Error(`Invalid --max-session-seconds: ${values['max-session-seconds']}`);
  const emulator = await startRealtimeEmulator({
    port,
    host: values.host,
    apiKey: values['api-key'],
    validate: values.validate,
    scenario: msPerChar ? { msPerChar } : {},
    ...(maxSessionSeconds !== undefined ? { maxSessionSeconds } : {}),
  });
  console.log(`Realtime emulator listening at ${emulator.url}`);
  console.log(`  API base:   ${emulator.baseUrl}   (key: ${emulator.apiKey})`);
  console.log(`  WebRTC:     POST ${emulator.callsUrl}`);
  console.log(`  WebSocket:  ${emulator.websocketUrl}`);
  console.log(`  Control:    ${emulator.url}/_emulator/sessions`);
  const stop = (): void => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`charivo-emulator: ${error instanceof Error ? error.message : String(error)}`);
  console.error(USAGE);
  process.exit(1);
});
