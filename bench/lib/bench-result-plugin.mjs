// @web/test-runner plugin: the server commands of the browser benches.
//   bench-result   { name, table: { title, headers, rows, notes? }, data } → prints the table (printTable)
//                  and writes bench/results/<name>.json (writeResult).
//   bench-metrics  → Chrome's performance metrics of the page's renderer (DevTools protocol
//                  Performance.getMetrics through puppeteer: TaskDuration, LayoutCount, …; seconds are
//                  turned into ms), so a bench measures main-thread time as Chrome counts it.
//   bench-bytes    { paths } → size and gzip -9 size of files under the project root (what a page loaded).
import { readFileSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { printTable, writeResult } from './report.mjs';

const root = resolve(import.meta.dirname, '..', '..');
/** Metrics that are durations in seconds (the protocol's unit); reported in ms. */
const SECONDS = new Set(['TaskDuration', 'ScriptDuration', 'LayoutDuration', 'RecalcStyleDuration', 'TaskOtherDuration', 'Timestamp']);

/** @returns {import('@web/test-runner-core').TestRunnerPlugin} */
export function benchResultPlugin() {
  /** One DevTools session per page (puppeteer's page.metrics() opens Performance once). */
  const cdp = new WeakMap();
  return {
    name: 'charivo-bench-result',
    async executeCommand({ command, payload, session }) {
      if (command === 'bench-metrics') {
        const page = session.browser.getPage?.(session.id);
        if (!page) throw new Error('bench-metrics needs a Chromium page (chromeLauncher)');
        let client = cdp.get(page);
        if (!client) {
          client = await page.createCDPSession();
          await client.send('Performance.enable', { timeDomain: 'threadTicks' });
          cdp.set(page, client);
        }
        const { metrics } = await client.send('Performance.getMetrics');
        return Object.fromEntries(metrics.map(({ name, value }) => [name, SECONDS.has(name) ? value * 1000 : value]));
      }
      if (command === 'bench-bytes') {
        const { paths } = /** @type {{ paths: string[] }} */ (payload ?? {});
        return paths.map((path) => {
          const file = resolve(root, `.${new URL(path, 'http://x/').pathname}`);
          if (!file.startsWith(root + sep)) throw new Error(`bench-bytes: ${path} is outside the project`);
          const data = readFileSync(file);
          return { path, bytes: data.length, gzip: gzipSync(data, { level: 9 }).length };
        });
      }
      if (command !== 'bench-result') return undefined;
      const { name, table, data } = /** @type {any} */ (payload ?? {});
      if (typeof name !== 'string' || !/^[a-z0-9-]+$/.test(name)) throw new Error(`bench-result: bad name ${JSON.stringify(name)}`);
      if (!table || !Array.isArray(table.headers) || !Array.isArray(table.rows)) throw new Error('bench-result: table needs headers and rows');
      printTable(table.title ?? name, table.headers, table.rows);
      for (const note of table.notes ?? []) console.log(note);
      const file = writeResult(name, {
        browser: session?.browser?.name,
        userAgent: session?.userAgent,
        table,
        ...(data ?? {}),
      });
      console.log(`written ${file}`);
      return true;
    },
  };
}
