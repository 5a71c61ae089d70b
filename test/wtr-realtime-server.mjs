// @web/test-runner plugin: starts the realtime emulator for the browser tests and mounts the real
// realtime route at /api/realtime in front of it, so tests go page → route → emulator exactly as an app
// does (the API key stays in this Node process). Tests import `/__charivo/emulator.js` for the URLs.
// Loaded by a wtr process started with `--import tsx` (scripts/run-browser-tests.mjs), so it can import TS.
import { startRealtimeEmulator } from '../src/emulator/index.ts';
import { createOpenAIRealtimeProvider, createRealtimeRoute, toNodeHandler } from '../src/server/index.ts';

export const ROUTE_PATH = '/api/realtime';

export function realtimeServerPlugin() {
  /** @type {import('../src/emulator/index.ts').RealtimeEmulator | undefined} */
  let emulator;
  /** @type {((req: any, res: any, next?: () => void) => void) | undefined} */
  let handler;
  return {
    name: 'charivo-realtime-server',
    async serverStart() {
      emulator = await startRealtimeEmulator({ validate: true });
      const provider = createOpenAIRealtimeProvider({ apiKey: emulator.apiKey, baseUrl: emulator.baseUrl });
      handler = toNodeHandler(createRealtimeRoute({ provider }));
    },
    async serverStop() {
      await emulator?.close();
    },
    serve(context) {
      if (context.path !== '/__charivo/emulator.js' || !emulator) return undefined;
      const values = { emulatorUrl: emulator.url, baseUrl: emulator.baseUrl, apiKey: emulator.apiKey, routePath: ROUTE_PATH };
      const body = Object.entries(values)
        .map(([name, value]) => `export const ${name} = ${JSON.stringify(value)};`)
        .join('\n');
      return { body, type: 'js' };
    },
    /** Koa middleware for the dev server's `middleware` list: answers the route before static files. */
    middleware: async (ctx, next) => {
      if (ctx.path !== ROUTE_PATH || !handler) return next();
      ctx.respond = false;
      await new Promise((resolve) => {
        ctx.res.on('finish', resolve);
        ctx.res.on('close', resolve);
        handler(ctx.req, ctx.res, () => resolve(undefined));
      });
    },
  };
}
