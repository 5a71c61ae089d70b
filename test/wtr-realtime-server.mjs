// @web/test-runner plugin: mounts the real realtime route at /api/realtime in front of the emulator that
// `emulatorPlugin()` runs, so browser tests go page → route → emulator exactly as an app does (the API
// key stays in this Node process). Loaded by a wtr process started with `--import tsx`
// (scripts/run-browser-tests.mjs), so it can import the TypeScript sources.
//
// Guarded mode (issue 10) gets routes of its own, on new paths, with a strict policy and a guard that
// joins every openai-webrtc call over the emulator's server-side control connection:
//   GUARDED_ROUTE_PATH         the guard writes owned fields back (action 'reapply')
//   GUARDED_HANGUP_ROUTE_PATH  the guard hangs up at the first violation (action 'hangup')
import { createOpenAIRealtimeProvider, createRealtimeRoute, toNodeHandler } from '../src/server/index.ts';

export const ROUTE_PATH = '/api/realtime';
export const GUARDED_ROUTE_PATH = '/api/realtime-guarded';
export const GUARDED_HANGUP_ROUTE_PATH = '/api/realtime-guarded-hangup';

/** The policy of the guarded routes: everything a page could want to change is owned by the server. */
export const GUARDED_POLICY = {
  allowedAdapters: ['openai-webrtc'],
  instructions: 'Guarded server rules: stay on topic.',
  clientInstructions: 'refuse',
  allowedVoices: ['marin'],
  maxTools: 0,
  transcription: false,
};

/** @param {{ emulator(): Promise<import('../src/emulator/index.ts').RealtimeEmulator> }} emulatorPlugin */
export function realtimeServerPlugin(emulatorPlugin) {
  /** @type {Map<string, (req: any, res: any, next?: () => void) => void>} */
  const handlers = new Map();
  const guards = new AbortController();
  return {
    name: 'charivo-realtime-server',
    async serverStart() {
      const emulator = await emulatorPlugin.emulator();
      const provider = createOpenAIRealtimeProvider({ apiKey: emulator.apiKey, baseUrl: emulator.baseUrl });
      handlers.set(ROUTE_PATH, toNodeHandler(createRealtimeRoute({ provider })));
      for (const [path, action] of [
        [GUARDED_ROUTE_PATH, 'reapply'],
        [GUARDED_HANGUP_ROUTE_PATH, 'hangup'],
      ]) {
        const guard = { apiKey: emulator.apiKey, baseUrl: emulator.baseUrl, action, signal: guards.signal };
        handlers.set(path, toNodeHandler(createRealtimeRoute({ provider, policy: GUARDED_POLICY, guard })));
      }
    },
    serverStop() {
      guards.abort();
    },
    /** Koa middleware for the dev server's `middleware` list: answers the routes before static files. */
    middleware: async (ctx, next) => {
      const handler = handlers.get(ctx.path);
      if (!handler) return next();
      ctx.respond = false;
      await new Promise((resolve) => {
        ctx.res.on('finish', resolve);
        ctx.res.on('close', resolve);
        handler(ctx.req, ctx.res, () => resolve(undefined));
      });
    },
  };
}
