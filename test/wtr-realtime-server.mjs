// @web/test-runner plugin: mounts the real realtime route at /api/realtime in front of the emulator that
// `emulatorPlugin()` runs, so browser tests go page → route → emulator exactly as an app does (the API
// key stays in this Node process). Loaded by a wtr process started with `--import tsx`
// (scripts/run-browser-tests.mjs), so it can import the TypeScript sources.
import { createOpenAIRealtimeProvider, createRealtimeRoute, toNodeHandler } from '../src/server/index.ts';

export const ROUTE_PATH = '/api/realtime';

/** @param {{ emulator(): Promise<import('../src/emulator/index.ts').RealtimeEmulator> }} emulatorPlugin */
export function realtimeServerPlugin(emulatorPlugin) {
  /** @type {((req: any, res: any, next?: () => void) => void) | undefined} */
  let handler;
  return {
    name: 'charivo-realtime-server',
    async serverStart() {
      const emulator = await emulatorPlugin.emulator();
      const provider = createOpenAIRealtimeProvider({ apiKey: emulator.apiKey, baseUrl: emulator.baseUrl });
      handler = toNodeHandler(createRealtimeRoute({ provider }));
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
