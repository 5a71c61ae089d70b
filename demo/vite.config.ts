// `npm start`: the demo page with the realtime route at /api/realtime. With OPENAI_API_KEY set the
// route talks to OpenAI; without it, the emulator answers on 127.0.0.1 and the page says so. The
// emulator runs in a child process that comes back on the same port after a native crash (its WebRTC
// can crash when a page hangs up mid-reply): the page's session reconnects, the dev server stays up.
// The route serves both engines: Realtime (the three Realtime adapters) and GPT-Live
// (openai-live-webrtc, opt-in on a route), the latter with Responses delegation so the page's tools
// run on it too (backend model: OPENAI_LIVE_BACKEND_MODEL, default gpt-5.5).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { defineConfig, loadEnv, type Plugin } from 'vite';
import { startRealtimeEmulatorProcess, type RealtimeEmulatorProcess } from '../src/emulator/process.js';
import { createOpenAIRealtimeProvider, REALTIME_ADAPTERS, realtimeRoutePlugin, type OpenAILiveOptions } from '../src/server/index.js';

/** Serves /api/demo-info (which backend answers) and closes the emulator with the server. */
function demoInfoPlugin(info: { backend: 'openai' | 'emulator'; emulatorUrl: string | null }, emulator?: RealtimeEmulatorProcess): Plugin {
  return {
    name: 'charivo-demo-info',
    configureServer(server) {
      server.middlewares.use('/api/demo-info', (_req: IncomingMessage, res: ServerResponse) => {
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify(info));
      });
      server.httpServer?.once('close', () => void emulator?.close());
      server.httpServer?.once('listening', () => {
        const where = emulator ? `the embedded emulator at ${emulator.url} (no OPENAI_API_KEY set)` : 'OpenAI (OPENAI_API_KEY is set)';
        queueMicrotask(() => server.config.logger.info(`\n  charivo-elements demo: realtime sessions go to ${where}\n`));
      });
    },
  };
}

export default defineConfig(async ({ mode, command }) => {
  const env = loadEnv(mode, process.cwd(), '');
  const apiKey = (process.env.OPENAI_API_KEY ?? env.OPENAI_API_KEY)?.trim() || undefined;
  const emulator =
    !apiKey && command === 'serve'
      ? await startRealtimeEmulatorProcess({
          name: 'demo emulator',
          port: Number(process.env.EMULATOR_PORT ?? 0),
          scenarioModule: new URL('./emulator-scenario.ts', import.meta.url),
          validate: false,
          // A key of its own: with the default (`sk-emulator`) the route's redaction would hide the word "emulator" in errors.
          apiKey: `sk-demo-${randomUUID()}`,
        })
      : undefined;
  const live: OpenAILiveOptions = {
    delegation: {
      type: 'responses',
      responses: { model: process.env.OPENAI_LIVE_BACKEND_MODEL ?? env.OPENAI_LIVE_BACKEND_MODEL ?? 'gpt-5.5', instructions: 'Use the page tools when asked to.' },
    },
  };
  const provider = emulator
    ? // Errors then name the emulator, not OpenAI.
      createOpenAIRealtimeProvider({ apiKey: emulator.apiKey, baseUrl: emulator.baseUrl, live, upstreamName: 'the local emulator' })
    : createOpenAIRealtimeProvider({ apiKey, live });
  return {
    root: 'demo',
    server: { host: '127.0.0.1', port: Number(process.env.PORT ?? 5173) },
    resolve: { conditions: ['browser', 'module', 'import', 'default'] },
    plugins: [
      demoInfoPlugin({ backend: emulator ? 'emulator' : 'openai', emulatorUrl: emulator?.url ?? null }, emulator),
      realtimeRoutePlugin({ provider, policy: { allowedAdapters: [...REALTIME_ADAPTERS] } }),
    ],
  };
});
