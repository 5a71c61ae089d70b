// @web/test-runner plugin: mounts the real realtime route at /api/realtime in front of the emulator that
// `emulatorPlugin()` runs, so browser tests go page → route → emulator exactly as an app does (the API
// key stays in this Node process). Loaded by a wtr process started with `--import tsx`
// (scripts/run-browser-tests.mjs), so it can import the TypeScript sources.
//
// Beside it, one route per policy setting the end-to-end policy tests need (POLICY_ROUTES), each on
// its own path; browser tests import the table from the virtual module POLICY_ROUTES_MODULE.
//
// Guarded mode (issue 10) gets routes of its own, on new paths, with a strict policy and a guard that
// joins every openai-webrtc call over the emulator's server-side control connection:
//   GUARDED_ROUTE_PATH         the guard writes owned fields back (action 'reapply')
//   GUARDED_HANGUP_ROUTE_PATH  the guard hangs up at the first violation (action 'hangup')
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { createOpenAIRealtimeProvider, createRealtimeRoute, ForbiddenError, toNodeHandler } from '../src/server/index.ts';
import { randomUUID } from 'node:crypto';
import { startRealtimeEmulatorProcess } from '../src/emulator/process.ts';
import { recordEmulatorCrash } from './wtr-emulator-plugin.mjs';

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

/** The server's own instructions in the policy routes. */
export const POLICY_SERVER_INSTRUCTIONS = 'Server rules: you are the help desk of Example Inc.';

/**
 * Route instances with a policy, by name: path and policy. Together they cover every setting the
 * browser enforces live: the three instruction modes, transcription off, fix, bound, the model and
 * voice allow-lists and maxTools 0.
 */
export const POLICY_ROUTES = {
  append: {
    path: '/api/realtime/policy/append',
    policy: { instructions: POLICY_SERVER_INSTRUCTIONS, clientInstructions: 'append', transcription: false, fix: { maxOutputTokens: 100 } },
  },
  refuse: {
    path: '/api/realtime/policy/refuse',
    policy: {
      instructions: POLICY_SERVER_INSTRUCTIONS,
      clientInstructions: 'refuse',
      allowedModels: ['gpt-realtime'],
      allowedVoices: ['marin', 'cedar'],
      maxTools: 0,
    },
  },
  ignore: {
    path: '/api/realtime/policy/ignore',
    policy: { instructions: POLICY_SERVER_INSTRUCTIONS, clientInstructions: 'ignore', bound: { maxOutputTokens: 200 } },
  },
  // Issue 10 item 5's settings: a tool allow-list with one pinned tool, a cap on the page's tool text,
  // a transcription-model allow-list, and bounds for the output cap and the idle timeout; with the
  // tools' byte cap, the page's instruction length and a speed range.
  settings: {
    path: '/api/realtime/policy/settings',
    policy: {
      instructions: POLICY_SERVER_INSTRUCTIONS,
      clientInstructions: 'append',
      allowedTools: [
        'orders',
        {
          name: 'weather',
          description: 'Server: tells the weather in a city.',
          parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
        },
      ],
      maxToolTextChars: 40,
      maxToolBytes: 2048,
      maxInstructionLength: 100,
      allowedTranscriptionModels: ['gpt-4o-mini-transcribe'],
      bound: { maxOutputTokens: 300, idleTimeoutMs: { min: 6000, max: 20_000 }, speed: { min: 0.8, max: 1.2 } },
    },
  },
};

/**
 * The route of the newer session fields' end-to-end test (test/e2e/session-config/surface.test.ts): one
 * stored prompt allowed, reasoning effort up to `high`.
 */
export const SURFACE_ROUTE = { path: '/api/realtime/surface', policy: { allowedPrompts: ['pmpt_e2e'], bound: { reasoningEffort: 'high' } } };

/**
 * The demo page's backend as `npm start` runs it, for the demo's browser test: a route in front of an
 * emulator of its own that plays the demo's scenario (its suggestions call tools), and the page's
 * `/api/demo-info`. The page is `/demo/index.html`; the test points its session at DEMO_ROUTE_PATH.
 */
export const DEMO_ROUTE_PATH = '/api/realtime-demo';
export const DEMO_INFO_PATH = '/api/demo-info';

/** Virtual module: `import { policyRoutes, serverInstructions, surfaceRoute } from '/__charivo/policy-routes.js'`. */
export const POLICY_ROUTES_MODULE = '/__charivo/policy-routes.js';

/**
 * GPT-Live routes (openai-live-webrtc is opt-in): one per delegation mode, each with its own provider
 * (the delegation is a provider setting the page cannot change).
 */
export const LIVE_ROUTES = {
  client: { path: '/api/realtime/live/client', live: { delegation: { type: 'client' } } },
  responses: {
    path: '/api/realtime/live/responses',
    live: { delegation: { type: 'responses', responses: { model: 'gpt-5.5', instructions: 'Backend: use the tools.' } } },
  },
};

/** Virtual module: `import { liveRoutes } from '/__charivo/live-routes.js'`. */
export const LIVE_ROUTES_MODULE = '/__charivo/live-routes.js';

/**
 * A route with `authorize` and a tiny rate limit, for the browser client's handling of the route's
 * refusals (test/e2e/access/): the user is the cookie ACCESS_COOKIE (none: 401; a value starting with
 * `banned`: 403); each user may mint ACCESS_POINTS session per ACCESS_WINDOW_SECONDS (then 429 with
 * `Retry-After`). Tests pick a fresh user each, so their budgets never meet.
 */
// 6 s: the reconnect test spends a user's one mint, then drops the session; the manager's reconnect must
// meet that window's 429 even when a loaded engine takes seconds between the two (3 s was too short in WebKit).
export const ACCESS_ROUTE = { path: '/api/realtime-access', cookie: 'charivo_e2e_user', points: 1, windowSeconds: 6 };

/** @param {{ emulator(): Promise<import('../src/emulator/process.ts').RealtimeEmulatorAddress> }} emulatorPlugin */
export function realtimeServerPlugin(emulatorPlugin) {
  /** @type {Map<string, (req: any, res: any, next?: () => void) => void>} */
  const handlers = new Map();
  const guards = new AbortController();
  /** @type {import('../src/emulator/process.ts').RealtimeEmulatorProcess | undefined} */
  let demoEmulator;
  return {
    name: 'charivo-realtime-server',
    async serverStart() {
      const emulator = await emulatorPlugin.emulator();
      const provider = createOpenAIRealtimeProvider({ apiKey: emulator.apiKey, baseUrl: emulator.baseUrl });
      handlers.set(ROUTE_PATH, toNodeHandler(createRealtimeRoute({ provider })));
      for (const { path, policy } of [...Object.values(POLICY_ROUTES), SURFACE_ROUTE]) {
        handlers.set(path, toNodeHandler(createRealtimeRoute({ provider, policy })));
      }
      // A random key: the default one (`sk-emulator`) makes the route's redaction hide the word "emulator".
      demoEmulator = await startRealtimeEmulatorProcess({
        name: 'charivo-demo-emulator',
        validate: true,
        scenarioModule: new URL('../demo/emulator-scenario.ts', import.meta.url),
        apiKey: `sk-demo-${randomUUID()}`,
        onCrash: recordEmulatorCrash('charivo-demo-emulator'),
      });
      const demoProvider = createOpenAIRealtimeProvider({ apiKey: demoEmulator.apiKey, baseUrl: demoEmulator.baseUrl, upstreamName: 'the local emulator' });
      handlers.set(DEMO_ROUTE_PATH, toNodeHandler(createRealtimeRoute({ provider: demoProvider })));
      const demoInfo = JSON.stringify({ backend: 'emulator', emulatorUrl: demoEmulator.url, routePath: DEMO_ROUTE_PATH });
      handlers.set(DEMO_INFO_PATH, (_req, res) => {
        // Koa starts every response at 404.
        res.statusCode = 200;
        res.setHeader('Content-Type', 'application/json');
        res.end(demoInfo);
      });
      for (const [path, action] of [
        [GUARDED_ROUTE_PATH, 'reapply'],
        [GUARDED_HANGUP_ROUTE_PATH, 'hangup'],
      ]) {
        const guard = { apiKey: emulator.apiKey, baseUrl: emulator.baseUrl, action, signal: guards.signal };
        handlers.set(path, toNodeHandler(createRealtimeRoute({ provider, policy: GUARDED_POLICY, guard })));
      }
      const limiter = new RateLimiterMemory({ points: ACCESS_ROUTE.points, duration: ACCESS_ROUTE.windowSeconds });
      const authorize = (request) => {
        const cookie = request.headers.get('cookie') ?? '';
        const user = new RegExp(`(?:^|;\\s*)${ACCESS_ROUTE.cookie}=([^;]+)`).exec(cookie)?.[1];
        if (!user) return false;
        if (user.startsWith('banned')) throw new ForbiddenError('This user may not start voice sessions.');
        return user;
      };
      handlers.set(ACCESS_ROUTE.path, toNodeHandler(createRealtimeRoute({ provider, authorize, rateLimit: { limiter } })));
      for (const { path, live } of Object.values(LIVE_ROUTES)) {
        const liveProvider = createOpenAIRealtimeProvider({ apiKey: emulator.apiKey, baseUrl: emulator.baseUrl, live });
        handlers.set(path, toNodeHandler(createRealtimeRoute({ provider: liveProvider, policy: { allowedAdapters: ['openai-live-webrtc'] } })));
      }
    },
    serverStop() {
      guards.abort();
      return demoEmulator?.close();
    },
    serve(context) {
      if (context.path === LIVE_ROUTES_MODULE) {
        return { body: `export const liveRoutes = ${JSON.stringify(LIVE_ROUTES)};`, type: 'js', headers: { 'Cache-Control': 'no-store' } };
      }
      if (context.path !== POLICY_ROUTES_MODULE) return undefined;
      const body = [
        `export const policyRoutes = ${JSON.stringify(POLICY_ROUTES)};`,
        `export const serverInstructions = ${JSON.stringify(POLICY_SERVER_INSTRUCTIONS)};`,
        `export const surfaceRoute = ${JSON.stringify(SURFACE_ROUTE)};`,
        `export const accessRoute = ${JSON.stringify(ACCESS_ROUTE)};`,
        `export const demoRoutePath = ${JSON.stringify(DEMO_ROUTE_PATH)};`,
        `export const demoEmulatorUrl = ${JSON.stringify(demoEmulator?.url ?? null)};`,
      ].join('\n');
      return { body, type: 'js', headers: { 'Cache-Control': 'no-store' } };
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
