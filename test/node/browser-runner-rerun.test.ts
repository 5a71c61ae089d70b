// The browser runner's answer to an emulator crash (scripts/run-browser-tests.mjs): a shard whose
// emulator process died runs its failed files once more after the others, and the run passes when
// they pass then, with the rerun named in the summary. Driven for real: one Chromium runner, a fixture
// file that kills the shard's emulator with SIGSEGV on its first run (test/runner-fixtures/).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const FIXTURE = 'test/runner-fixtures/crash-once.test.ts';

function runBrowserTests(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/run-browser-tests.mjs', '--files', FIXTURE, '--browser', 'chromium'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

test('a file that failed because the emulator crashed runs again, and the run passes when it passes then', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'charivo-rerun-'));
  try {
    const marker = join(dir, 'crashed');
    const { code, output } = await runBrowserTests({ CHARIVO_CRASH_ONCE_MARKER: marker, CHARIVO_REPORT_DIR: join(dir, 'reports'), CHARIVO_TIMES_DIR: join(dir, 'times') });
    const tail = output.slice(-3000);
    assert.ok(existsSync(marker), `the fixture crashed the emulator (pid ${existsSync(marker) ? readFileSync(marker, 'utf8') : '?'})\n${tail}`);
    assert.match(output, /the emulator process crashed \(SIGSEGV\); its 1 failed file\(s\) run once more: test\/runner-fixtures\/crash-once\.test\.ts/, tail);
    assert.match(output, /Run again after the emulator crashed \(SIGSEGV\) in .*: test\/runner-fixtures\/crash-once\.test\.ts: passed/, tail);
    assert.match(output, /All engines: \d+ s wall, passed\./, tail);
    assert.equal(code, 0, tail);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
