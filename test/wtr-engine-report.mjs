// What one engine's run covered, for the summary scripts/run-browser-tests.mjs prints after all engines.
//
// - `skipReasonPlugin()` answers the browser command `charivo-skip` that test/helpers/engine.ts sends
//   before it skips a suite or a test for a missing capability: the reason is kept with the suite's path.
//   It also answers `charivo-driver`: which engine runs and which protocol drives it (`cdp`,
//   `webdriver-bidi`, `webdriver`), for capabilities of the driver rather than of the page.
// - `engineReportReporter()` writes, at the end of the run, a JSON file (CHARIVO_ENGINE_REPORT) with the
//   engine, every file's passed / failed / skipped tests, and each skipped test's reason. A skipped test
//   with no reason recorded is listed as unexplained, and the summary fails the run on it: no silent skips.

import { writeFileSync } from 'node:fs';

/** @type {Map<string, Array<{ path: string[], reason: string }>>} reasons by test file */
const reasons = new Map();

/** @param {string} file */
function normalise(file) {
  return file.replace(/\\/g, '/').replace(/^.*?\/(src|test)\//, '$1/');
}

const PROTOCOLS = { chromium: 'cdp', firefox: 'webdriver-bidi', webkit: 'webdriver' };

/** @param {{ engine: string }} options */
export function skipReasonPlugin({ engine }) {
  return {
    name: 'charivo-skip-reason',
    /** @param {{ command: string, payload: any, session: { testFile: string } }} args */
    executeCommand({ command, payload, session }) {
      if (command === 'charivo-driver') return { engine, protocol: PROTOCOLS[engine] ?? 'unknown' };
      if (command !== 'charivo-skip') return undefined;
      const path = Array.isArray(payload?.path) ? payload.path.map(String) : [];
      const reason = typeof payload?.reason === 'string' && payload.reason.trim() ? payload.reason.trim() : '';
      if (!reason) throw new Error('charivo-skip needs a reason');
      const file = normalise(session.testFile);
      if (!reasons.has(file)) reasons.set(file, []);
      reasons.get(file).push({ path, reason });
      return true;
    },
  };
}

/**
 * @param {any} suite a TestSuiteResult
 * @param {string[]} parents
 * @param {(test: any, path: string[]) => void} visit
 */
function walk(suite, parents, visit) {
  if (!suite) return;
  const path = suite.name ? [...parents, suite.name] : parents;
  for (const test of suite.tests ?? []) visit(test, [...path, test.name]);
  for (const child of suite.suites ?? []) walk(child, path, visit);
}

/** The reason registered for a suite or test that `path` lies in (the longest match wins). */
function reasonFor(file, path) {
  let best;
  for (const entry of reasons.get(file) ?? []) {
    const within = entry.path.every((title, i) => path[i] === title);
    if (within && (!best || entry.path.length > best.path.length)) best = entry;
  }
  return best?.reason;
}

/**
 * @param {{ engine: string, output?: string }} options
 */
export function engineReportReporter({ engine, output }) {
  /** Wall time of each file's session: from its page starting to load to its last result. */
  const began = new Map();
  const wall = new Map();
  return {
    start({ sessions, startTime }) {
      sessions.on('session-status-updated', (session) => {
        if (session.status === 'INITIALIZING') began.set(session.id, Date.now());
        // The first files may start before this listener does: they count from the run's start.
        else if (session.status === 'FINISHED') wall.set(session.id, Date.now() - (began.get(session.id) ?? startTime ?? Date.now()));
      });
    },
    onTestRunFinished({ sessions }) {
      if (!output) return;
      const files = [];
      for (const session of sessions) {
        const file = normalise(session.testFile);
        const entry = {
          file,
          ok: Boolean(session.passed),
          passed: 0,
          failed: 0,
          /** Sum of the tests' own durations (hooks and page load not included). */
          ms: 0,
          /** The file's wall time in the browser: page load, hooks, tests, and waiting for its turn to end. */
          wallMs: wall.get(session.id) ?? null,
          skipped: [],
          failures: [],
          /** First line of each failure's error, in the order of `failures` (the summary prints it: CI shows only the tail of the log). */
          failureErrors: [],
          errors: (session.errors ?? []).map((e) => e.message ?? String(e)),
        };
        walk(session.testResults, [], (test, path) => {
          entry.ms += test.duration ?? 0;
          if (test.skipped) {
            const reason = reasonFor(file, path);
            entry.skipped.push({ test: path.join(' › '), ...(reason ? { reason } : {}) });
          } else if (test.passed) entry.passed += 1;
          else {
            entry.failed += 1;
            entry.failures.push(path.join(' › '));
            entry.failureErrors.push(firstLine(test.error?.message ?? (test.error ? String(test.error) : '')));
          }
        });
        files.push(entry);
      }
      writeFileSync(output, JSON.stringify({ engine, browser: sessions[0]?.browser?.name, files }, null, 1));
    },
  };
}

/** The first line of an error message, at most 300 characters. */
function firstLine(message) {
  const line = String(message).split('\n').find((l) => l.trim()) ?? '';
  return line.length > 300 ? `${line.slice(0, 297)}…` : line;
}
