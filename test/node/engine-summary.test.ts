// The summary after the browser tests (scripts/engine-summary.mjs): CI shows only the log's tail, so
// what failed, and the first line of why, must be in it; a skip without a reason fails the run.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatSummary, type EngineFileReport as FileReport, type EngineRun } from '../../scripts/engine-summary.mjs';

function file(name: string, fields: Partial<FileReport> = {}): FileReport {
  return { file: name, ok: true, passed: 1, failed: 0, wallMs: 1000, skipped: [], failures: [], failureErrors: [], errors: [], ...fields };
}

function run(engine: string, files: FileReport[], extra: { code?: number; lost?: string[] } = {}): EngineRun {
  return { engine, code: extra.code ?? 0, wallMs: 60_000, report: { browser: engine, files }, ...(extra.lost ? { lost: extra.lost } : {}) };
}

/** The lines after the summary's "Failed:" heading, up to the closing line. */
function failedSection(text: string): string[] {
  const lines = text.split('\n');
  const start = lines.indexOf('Failed:');
  if (start < 0) return [];
  return lines.slice(start + 1).filter((line) => line.startsWith('  '));
}

describe('browser test summary', () => {
  it('passes a run where every file passed, and has no Failed list', () => {
    const { ok, text } = formatSummary([run('chromium', [file('src/elements/a.test.ts'), file('test/e2e/webrtc/b.test.ts')])], 61_000);
    assert.equal(ok, true);
    assert.equal(failedSection(text).length, 0);
    assert.match(text, /All engines: 61 s wall, passed\./);
  });

  it('names each failed test with the first line of its error, under the engine', () => {
    const failing = file('test/e2e/devices/audio-path.test.ts', {
      ok: false,
      passed: 3,
      failed: 1,
      failures: ['e2e audio path › an interrupt truncates'],
      failureErrors: ['expected 589 to be at most 588'],
    });
    const { ok, text } = formatSummary([run('chromium', [file('src/x.test.ts')]), run('webkit', [failing], { code: 1 })], 600_000);
    assert.equal(ok, false);
    assert.deepEqual(failedSection(text), [
      '  webkit: test/e2e/devices/audio-path.test.ts: e2e audio path › an interrupt truncates',
      '      expected 589 to be at most 588',
    ]);
    assert.match(text, /All engines: 600 s wall, FAILED\./);
  });

  it('lists a file that errored without a failed test with its errors, and one with neither as unfinished', () => {
    const errored = file('test/a.test.ts', { ok: false, passed: 0, errors: ['Browser crashed', 'page closed'] });
    const silent = file('test/b.test.ts', { ok: false, passed: 0 });
    const { ok, text } = formatSummary([run('firefox', [errored, silent], { code: 1 })], 1000);
    assert.equal(ok, false);
    assert.deepEqual(failedSection(text), ['  firefox: test/a.test.ts: Browser crashed; page closed', '  firefox: test/b.test.ts: the file did not finish']);
    assert.match(text, /firefox +firefox +2 +0 +0 \(2 file\(s\) errored\)/);
    // Nor does the coverage table show them as passing.
    assert.match(text, /\| other \(test\/a\.test\.ts\) \| 0 passed, 1 file\(s\) ERRORED \|/);
  });

  it('fails a run whose process exited non-zero although every file passed, and lists files a crashed shard lost', () => {
    const { ok, text } = formatSummary([run('webkit', [file('src/x.test.ts')], { code: 1, lost: ['test/c.test.ts: the shard crashed before it ran'] })], 1000);
    assert.equal(ok, false);
    assert.deepEqual(failedSection(text), ['  webkit: test/c.test.ts: the shard crashed before it ran']);
  });

  it('fails a skip without a reason, and groups skips with reasons by reason and file', () => {
    const skips = file('test/e2e/webrtc/c.test.ts', {
      skipped: [
        { test: 'one', reason: 'no RTCPeerConnection in this engine' },
        { test: 'two', reason: 'no RTCPeerConnection in this engine' },
        { test: 'bare' },
      ],
    });
    const { ok, text } = formatSummary([run('webkit', [skips])], 1000);
    assert.equal(ok, false);
    assert.match(text, /webkit: 2 skipped: no RTCPeerConnection in this engine\n {6}test\/e2e\/webrtc\/c\.test\.ts \(2\)/);
    assert.match(text, /Skipped WITHOUT a reason[^\n]*\n {2}webkit: test\/e2e\/webrtc\/c\.test\.ts: bare/);
  });

  it('prints the coverage table as the README shows it: features by engine, failures in capitals', () => {
    const failing = file('src/manager/m.test.ts', { ok: false, passed: 2, failed: 1, failures: ['m'], failureErrors: ['boom'] });
    const { coverage } = formatSummary([run('chromium', [file('src/elements/e.test.ts', { passed: 4 }), failing]), run('firefox', [file('src/elements/e.test.ts', { passed: 3, skipped: [{ test: 's', reason: 'r' }] })])], 1000);
    assert.deepEqual(coverage.split('\n'), [
      '| feature | chromium | firefox |',
      '| --- | --- | --- |',
      '| Elements | 4 passed | 3 passed, 1 skipped |',
      '| Manager | 2 passed, 1 FAILED | - |',
    ]);
  });
});
