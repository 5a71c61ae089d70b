/**
 * React 19 is published as CommonJS only, and the test runner serves ES modules as they are (no CommonJS
 * plugin is installed here). This evaluates React's own development builds with a minimal `require()` over
 * the four files involved: the same code a React app runs, without a bundler. Test-only.
 */
import type * as ReactNamespace from 'react';
import type * as ReactDomNamespace from 'react-dom';
import type * as ReactDomClientNamespace from 'react-dom/client';

const FILES: Record<string, string> = {
  react: '/node_modules/react/cjs/react.development.js',
  'react-dom': '/node_modules/react-dom/cjs/react-dom.development.js',
  'react-dom/client': '/node_modules/react-dom/cjs/react-dom-client.development.js',
  scheduler: '/node_modules/scheduler/cjs/scheduler.development.js',
};

export interface ReactModules {
  React: typeof ReactNamespace;
  ReactDOM: typeof ReactDomNamespace;
  ReactDOMClient: typeof ReactDomClientNamespace;
}

export async function loadReact(): Promise<ReactModules> {
  const sources = new Map(
    await Promise.all(
      Object.entries(FILES).map(async ([name, url]) => {
        const response = await fetch(url);
        if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
        return [name, await response.text()] as const;
      }),
    ),
  );
  const cache = new Map<string, unknown>();
  const process = { env: { NODE_ENV: 'development' } };
  const require = (name: string): unknown => {
    if (cache.has(name)) return cache.get(name);
    const source = sources.get(name);
    if (source === undefined) throw new Error(`react-cjs: ${name} is not one of ${Object.keys(FILES).join(', ')}`);
    const module = { exports: {} as unknown };
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const run = new Function('module', 'exports', 'require', 'process', `${source}\n//# sourceURL=${FILES[name]}`);
    run(module, module.exports, require, process);
    cache.set(name, module.exports);
    return module.exports;
  };
  return {
    React: require('react') as ReactModules['React'],
    ReactDOM: require('react-dom') as ReactModules['ReactDOM'],
    ReactDOMClient: require('react-dom/client') as ReactModules['ReactDOMClient'],
  };
}
