// @web/test-runner plugin: the `bench-result` server command. A bench page calls
//   executeServerCommand('bench-result', { name, table: { title, headers, rows, notes? }, data })
// and this prints the table (printTable) and writes bench/results/<name>.json (writeResult).
import { printTable, writeResult } from './report.mjs';

/** @returns {import('@web/test-runner-core').TestRunnerPlugin} */
export function benchResultPlugin() {
  return {
    name: 'charivo-bench-result',
    async executeCommand({ command, payload, session }) {
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
