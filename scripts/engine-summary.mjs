// The summary printed after the browser tests of every engine: counts and wall time per engine, what each
// engine covers feature by feature (the README's engine table is this table), and why each skipped test
// could not run where it was skipped. A skip without a recorded reason fails the run.

/** Features, by the test files that check them (first match wins). */
export const FEATURES = [
  { name: 'Elements', match: /^src\/elements\// },
  { name: 'Manager', match: /^src\/manager\// },
  { name: 'Avatar', match: /^src\/avatar\// },
  { name: 'Transports, audio (unit)', match: /^src\/transports\// },
  { name: 'WebSocket end to end', match: /^test\/(e2e\/websocket|emulator\/websocket)/ },
  { name: 'WebRTC end to end', match: /^test\/(e2e\/webrtc|emulator\/agents-webrtc)/ },
  { name: 'GPT-Live end to end', match: /^test\/e2e\/live\// },
  { name: 'Protocol scenarios end to end', match: /^test\/e2e\/protocol\// },
  { name: 'Session config end to end', match: /^test\/e2e\/session-config\// },
  { name: 'Devices end to end', match: /^test\/e2e\/devices\// },
  { name: 'Features end to end (rollover, no mic, images, metrics, wake lock)', match: /^test\/e2e\/features\// },
  { name: 'Elements end to end (connection lost)', match: /^test\/e2e\/elements\// },
  { name: 'Policy, guard and route refusals end to end', match: /^test\/e2e\/(policy|guard|access)\// },
  { name: 'Engine differences', match: /^test\/browser\/engines\// },
  { name: 'Faults', match: /^test\/browser\/faults\// },
  { name: 'Script-tag page', match: /^test\/browser\/script-tag\// },
  { name: 'Demo page', match: /^test\/browser\/demo\// },
  { name: 'Frameworks', match: /^test\/browser\/frameworks\// },
  { name: 'Route, toolchain', match: /^test\/browser\/(route|toolchain)/ },
];

function featureOf(file) {
  return FEATURES.find((feature) => feature.match.test(file))?.name ?? `other (${file})`;
}

function pad(text, width) {
  return String(text).padEnd(width);
}

function table(rows) {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => String(row[column]).length)));
  return rows.map((row) => row.map((cell, column) => pad(cell, widths[column])).join('  ').trimEnd()).join('\n');
}

/**
 * @param {Array<{ engine: string, code: number, wallMs: number, shards?: number, report: null | { browser?: string, files: any[] } }>} runs
 * @param {number} totalMs
 * @returns {{ text: string, ok: boolean, coverage: string }}
 */
export function formatSummary(runs, totalMs) {
  const lines = ['', '── Browser tests by engine ' + '─'.repeat(60)];
  let ok = true;
  const counts = [['engine', 'browser', 'files', 'passed', 'failed', 'skipped', 'wall', 'processes']];
  for (const { engine, code, wallMs, report, shards = 1 } of runs) {
    const files = report?.files ?? [];
    const passed = files.reduce((n, f) => n + f.passed, 0);
    const failed = files.reduce((n, f) => n + f.failed, 0);
    const skipped = files.reduce((n, f) => n + f.skipped.length, 0);
    const erroredFiles = files.filter((f) => !f.ok).length;
    if (code !== 0 || !report || failed > 0 || erroredFiles > 0) ok = false;
    counts.push([
      engine,
      report?.browser ?? '(no report)',
      files.length,
      passed,
      failed + (erroredFiles > 0 && failed === 0 ? ` (${erroredFiles} file(s) errored)` : ''),
      skipped,
      `${(wallMs / 1000).toFixed(0)} s`,
      shards,
    ]);
  }
  lines.push(table(counts), '');

  // Where the time goes: each engine's slowest files by their wall time in the browser.
  const slowest = [];
  for (const { engine, report } of runs) {
    const timed = (report?.files ?? []).filter((f) => typeof f.wallMs === 'number').sort((a, b) => b.wallMs - a.wallMs);
    if (timed.length === 0) continue;
    const total = timed.reduce((n, f) => n + f.wallMs, 0);
    slowest.push(`  ${engine}: files' wall time summed ${(total / 1000).toFixed(0)} s; slowest:`);
    for (const f of timed.slice(0, 8)) slowest.push(`      ${(f.wallMs / 1000).toFixed(1).padStart(6)} s  ${f.file}`);
  }
  if (slowest.length) lines.push('Slowest files (wall time in the browser; all files in .tmp/engine-reports/<engine>.json):', ...slowest, '');

  // Feature × engine: tests passed, and skipped with the reason.
  const features = new Map();
  for (const { engine, report } of runs) {
    for (const file of report?.files ?? []) {
      const name = featureOf(file.file);
      if (!features.has(name)) features.set(name, new Map());
      const cell = features.get(name).get(engine) ?? { passed: 0, failed: 0, skipped: 0, errored: 0, files: 0 };
      cell.files += 1;
      cell.passed += file.passed;
      cell.failed += file.failed;
      // A file that did not finish (a crash, a load error) with no failed test would read as passing.
      if (!file.ok && file.failed === 0) cell.errored += 1;
      cell.skipped += file.skipped.length;
      features.get(name).set(engine, cell);
    }
  }
  const order = [...FEATURES.map((f) => f.name), ...[...features.keys()].filter((name) => !FEATURES.some((f) => f.name === name))];
  const coverage = [['feature', ...runs.map((r) => r.engine)]];
  for (const name of order) {
    const byEngine = features.get(name);
    if (!byEngine) continue;
    coverage.push([
      name,
      ...runs.map(({ engine }) => {
        const cell = byEngine.get(engine);
        if (!cell) return '-';
        let text = `${cell.passed} passed`;
        if (cell.failed) text += `, ${cell.failed} FAILED`;
        if (cell.errored) text += `, ${cell.errored} file(s) ERRORED`;
        if (cell.skipped) text += `, ${cell.skipped} skipped`;
        return text;
      }),
    ]);
  }
  // Markdown, so the README's engine table is this text as printed.
  const markdown = [coverage[0], coverage[0].map(() => '---'), ...coverage.slice(1)].map((row) => `| ${row.join(' | ')} |`);
  lines.push('Coverage by feature (tests per engine):', ...markdown, '');

  // Why each skipped test did not run.
  const unexplained = [];
  const reasonLines = [];
  for (const { engine, report } of runs) {
    const byReason = new Map();
    for (const file of report?.files ?? []) {
      for (const skip of file.skipped) {
        if (!skip.reason) {
          unexplained.push(`${engine}: ${file.file}: ${skip.test}`);
          continue;
        }
        if (!byReason.has(skip.reason)) byReason.set(skip.reason, new Map());
        const perFile = byReason.get(skip.reason);
        perFile.set(file.file, (perFile.get(file.file) ?? 0) + 1);
      }
    }
    for (const [reason, perFile] of byReason) {
      const total = [...perFile.values()].reduce((a, b) => a + b, 0);
      reasonLines.push(`  ${engine}: ${total} skipped: ${reason}`);
      for (const [file, n] of perFile) reasonLines.push(`      ${file} (${n})`);
    }
  }
  lines.push('Skipped, and why:', ...(reasonLines.length ? reasonLines : ['  none']));
  if (unexplained.length) {
    ok = false;
    lines.push('', 'Skipped WITHOUT a reason (use requires() from test/helpers/engine.ts, never a bare skip):', ...unexplained.map((u) => `  ${u}`));
  }

  const failures = runs.flatMap(({ engine, report }) =>
    (report?.files ?? []).flatMap((f) => [
      ...f.failures.flatMap((t, i) => [
        `  ${engine}: ${f.file}: ${t}`,
        ...(f.failureErrors?.[i] ? [`      ${f.failureErrors[i]}`] : []),
      ]),
      ...(!f.ok && f.failures.length === 0 ? [`  ${engine}: ${f.file}: ${f.errors.join('; ') || 'the file did not finish'}`] : []),
    ]),
  );
  for (const { engine, lost = [] } of runs) for (const line of lost) failures.push(`  ${engine}: ${line}`);
  if (failures.length) lines.push('', 'Failed:', ...failures);
  lines.push('', `All engines: ${(totalMs / 1000).toFixed(0)} s wall, ${ok ? 'passed' : 'FAILED'}.`);
  return { text: lines.join('\n'), ok, coverage: markdown.join('\n') };
}
