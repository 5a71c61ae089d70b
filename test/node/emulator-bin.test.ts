// `charivo-emulator` (bin/charivo-emulator.mjs) runs the emulator in a child process and starts it again
// on the same port and key when it dies on its own (a native crash in @roamhq/wrtc). These tests crash
// it on purpose, and check that a failure at start and a stop are not retried.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { alive, mint } from './emulator-checks.js';

const BIN = fileURLToPath(new URL('../../bin/charivo-emulator.mjs', import.meta.url));

interface Bin {
  process: ChildProcess;
  /** Everything printed so far, stdout and stderr. */
  output(): string;
  /** Resolves once `pattern` has been printed `count` times in all; fails naming it after `ms`. */
  printed(pattern: RegExp, count?: number, ms?: number): Promise<RegExpMatchArray>;
  exited: Promise<number | string>;
}

function startBin(args: string[]): Bin {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer): void => {
    output += String(chunk);
    for (const waiter of [...waiters]) waiter();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  return {
    process: child,
    output: () => output,
    exited,
    printed(pattern, count = 1, ms = 30_000) {
      return new Promise((resolve, reject) => {
        const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${pattern} not printed ${count} time(s) within ${ms} ms:\n${output}`));
        }, ms);
        const check = (): void => {
          const matches = [...output.matchAll(global)];
          if (matches.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(matches[count - 1]!);
        };
        waiters.add(check);
        check();
      });
    },
  };
}

/**
 * The emulator processes whose parent is `pid` (from /proc): children running emulator-host. A checkout's
 * bin runs its CLI through tsx, whose esbuild service is a child too.
 */
function childrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command (which may hold spaces): state, ppid, ...
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('emulator-host')) found.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

const LISTENING = /listening at (http:\/\/127\.0\.0\.1:\d+)/;

describe('charivo-emulator (the bin)', () => {
  test('a crashed emulator comes back on the same port and key; SIGTERM then stops both processes', async () => {
    const bin = startBin(['--port', '0']);
    try {
      const url = (await bin.printed(LISTENING))[1]!;
      assert.equal(await mint(url, 'sk-emulator'), 200);
      const [emulator] = childrenOf(bin.process.pid!);
      assert.ok(emulator, 'the emulator runs in a child process');
      process.kill(emulator, 'SIGSEGV');
      await bin.printed(/the emulator process ended \(SIGSEGV\); calls in flight are lost\. Restart 1 of 5 on port \d+\./);
      assert.equal((await bin.printed(LISTENING, 2))[1], url, 'the same address');
      assert.equal(await mint(url, 'sk-emulator'), 200, 'the same key');
      const [again] = childrenOf(bin.process.pid!);
      assert.ok(again && again !== emulator, 'a new emulator process');
      bin.process.kill('SIGTERM');
      assert.equal(await bin.exited, 0, 'a stop exits 0');
      assert.equal(alive(again), false, 'the emulator stopped with it');
    } finally {
      bin.process.kill('SIGKILL');
    }
  });

  test('a failure at start is reported once, not retried', async () => {
    const first = startBin(['--port', '0']);
    try {
      const port = new URL((await first.printed(LISTENING))[1]!).port;
      const second = startBin(['--port', port]);
      const code = await second.exited;
      assert.notEqual(code, 0, second.output());
      assert.doesNotMatch(second.output(), /Restart/);
    } finally {
      first.process.kill('SIGTERM');
      await first.exited;
    }
  });

  test('an emulator killed with its supervisor does not outlive it', async () => {
    const bin = startBin(['--port', '0']);
    await bin.printed(LISTENING);
    const [emulator] = childrenOf(bin.process.pid!);
    assert.ok(emulator);
    bin.process.kill('SIGKILL');
    await bin.exited;
    // Its stdin (the supervisor's pipe) ends, and it stops by itself (it closes within 3 s).
    for (let i = 0; i < 500 && alive(emulator); i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(alive(emulator), false, 'the emulator ended within 10 s of its supervisor');
  });
});
