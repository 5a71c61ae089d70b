// @web/test-runner plugin: runs the Realtime emulator (src/emulator) beside the test server, with every
// event schema-checked (validate: true), and tells browser tests where it is through a virtual module:
//
//   import { emulatorUrl, baseUrl, apiKey, callsUrl, websocketUrl } from '/__charivo/emulator.js';
//
// The browser reaches the emulator cross-origin on 127.0.0.1 (it answers CORS), and the tests read its
// logs and violations from `${emulatorUrl}/_emulator/...`. Another plugin that wants the same emulator
// (say, a server route in front of it) can await `plugin.emulator()` instead of starting a second one.

export const EMULATOR_MODULE_PATH = '/__charivo/emulator.js';

/**
 * @param {import('../src/emulator/index.ts').RealtimeEmulatorOptions & { path?: string, exports?: Record<string, unknown> }} [options]
 *   Emulator options (validate defaults to true), the virtual module's path, and extra values it exports.
 */
export function emulatorPlugin(options = {}) {
  const { path = EMULATOR_MODULE_PATH, exports: extraExports = {}, ...emulatorOptions } = options;
  /** @type {import('../src/emulator/index.ts').RealtimeEmulator | undefined} */
  let emulator;
  /** @type {(value: import('../src/emulator/index.ts').RealtimeEmulator) => void} */
  let resolveReady = () => {};
  const ready = new Promise((resolve) => (resolveReady = resolve));

  return {
    name: 'charivo-emulator',
    /** Resolves with the running emulator once the test server has started. */
    emulator: () => ready,
    async serverStart({ logger }) {
      const { startRealtimeEmulator } = await loadEmulatorModule();
      emulator = await startRealtimeEmulator({ validate: true, ...emulatorOptions });
      resolveReady(emulator);
      logger?.log?.(`[charivo-emulator] ${emulator.url}`);
    },
    async serverStop() {
      await emulator?.close();
      emulator = undefined;
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

/** The emulator from its TypeScript source: through the tsx loader when wtr runs with it, else tsImport. */
async function loadEmulatorModule() {
  const source = new URL('../src/emulator/index.ts', import.meta.url);
  try {
    return await import(source.href);
  } catch (error) {
    if (!/Unknown file extension|ERR_UNKNOWN_FILE_EXTENSION/.test(String(error?.code ?? error))) throw error;
    const { tsImport } = await import('tsx/esm/api');
    return tsImport(source.href, import.meta.url);
  }
}
