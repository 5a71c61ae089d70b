/**
 * A Vite plugin that serves the realtime route from the dev (and preview) server, so a page under
 * `vite` can start sessions without a separate backend.
 *
 * Typed structurally: importing this module does not load Vite, and it works with any Vite whose
 * server exposes Connect's `middlewares.use(path, handler)`.
 * @packageDocumentation
 */
import { InvalidConfigurationError } from './errors.js';
import { toNodeHandler, type NodeHandler, type NodeHandlerOptions } from './node-handler.js';
import { createOpenAIRealtimeProvider } from './openai-provider.js';
import type { RealtimeProvider } from './provider.js';
import { createRealtimeRoute, type RealtimeRoute, type RealtimeRouteOptions } from './route.js';

/** The part of Vite's dev/preview server the plugin uses. */
export interface MiddlewareServerLike {
  middlewares: { use(path: string, handler: NodeHandler): unknown };
}

/**
 * Options for {@link realtimeRoutePlugin}. Give `route`, or the route's own options (`provider`,
 * `policy`, `authorize`, `rateLimit`, `clientIp`, `logger`, `upstreamTimeoutMs`, `bodyTimeoutMs`,
 * `guard`: all passed to `createRealtimeRoute` as they are), or nothing for OpenAI from the
 * environment with the default policy.
 */
export interface RealtimeRoutePluginOptions extends Partial<RealtimeRouteOptions>, NodeHandlerOptions {
  /** Where the route answers. Default `/api/realtime`. */
  path?: string;
  /** A ready route; when given, the route options are ignored (`trustProxy` still applies). */
  route?: RealtimeRoute;
  /**
   * The provider to build a route with. Default: `createOpenAIRealtimeProvider()`, which reads
   * `OPENAI_API_KEY` from `process.env` (Vite does not copy `.env` there; use `loadEnv` in your config).
   */
  provider?: RealtimeProvider;
}

/** The plugin object; assignable to Vite's `Plugin`. */
export interface RealtimeRoutePlugin {
  name: string;
  configureServer(server: MiddlewareServerLike): void;
  configurePreviewServer(server: MiddlewareServerLike): void;
}

/**
 * Mounts the realtime route on Vite's server at `path`.
 *
 * @example `vite.config.ts`
 * ```ts
 * import { defineConfig, loadEnv } from 'vite';
 * import { realtimeRoutePlugin, createOpenAIRealtimeProvider } from 'charivo-elements/server';
 * export default defineConfig(({ mode }) => ({
 *   plugins: [realtimeRoutePlugin({ provider: createOpenAIRealtimeProvider({ apiKey: loadEnv(mode, process.cwd(), '').OPENAI_API_KEY }) })],
 * }));
 * ```
 */
export function realtimeRoutePlugin(options: RealtimeRoutePluginOptions = {}): RealtimeRoutePlugin {
  const path = (options.path ?? '/api/realtime').replace(/\/+$/, '');
  if (!path.startsWith('/') || path.length < 2) {
    throw new InvalidConfigurationError(`realtimeRoutePlugin path must start with "/" and name a path (got "${options.path}").`);
  }
  const { path: _path, route: ready, trustProxy, provider, ...routeOptions } = options;
  // Every route option goes through as given, so a dev server enforces what production does.
  const route = ready ?? createRealtimeRoute({ ...routeOptions, provider: provider ?? createOpenAIRealtimeProvider() });
  const handler = toNodeHandler(route, trustProxy === undefined ? {} : { trustProxy });

  // Connect strips the mount path from req.url and also matches deeper paths (`/api/realtime/x`):
  // only the exact path is ours, the rest goes on down the stack.
  const exactOnly: NodeHandler = (req, res, next) => {
    const rest = (req.url ?? '/').split('?')[0];
    if (rest === '/' || rest === '') handler(req, res, next);
    else if (next) next();
    else {
      res.statusCode = 404;
      res.end();
    }
  };
  const mount = (server: MiddlewareServerLike) => {
    server.middlewares.use(path, exactOnly);
  };
  return { name: 'charivo-realtime-route', configureServer: mount, configurePreviewServer: mount };
}
