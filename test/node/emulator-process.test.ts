// The browser tests' and the demo's emulator runs in a child process so that a native crash in its
// WebRTC costs the calls in flight, not the test run (scripts/emulator-process.mjs). These tests crash
// it on purpose, and check that a failure at start is not restarted.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startEmulatorProcess, type EmulatorProcess } from '../../scripts/emulator-process.mjs';
import { alive, mint } from './emulator-checks.js';

describe('the emulator in a child process', () => {
  test('a crashed emulator comes back on the same address with the same key', async () => {
    let restarted: (n: number) => void = () => {};
    const restart = new Promise<number>((resolve) => (restarted = resolve));
    const emulator: EmulatorProcess = await startEmulatorProcess({ name: 'crash-test', apiKey: 'sk-crash-test', onRestart: (n: number) => restarted(n) });
    try {
      assert.equal(await mint(emulator.url, emulator.apiKey), 200);
      const first = emulator.pid!;
      process.kill(first, 'SIGSEGV');
      assert.equal(await restart, 1);
      assert.notEqual(emulator.pid, first);
      assert.equal(alive(first), false);
      assert.equal(emulator.restarts, 1);
      assert.equal(await mint(emulator.url, emulator.apiKey), 200, 'the new emulator answers on the old address and takes the old key');
    } finally {
      await emulator.close();
    }
  });

  test('close() ends the child, and a closed emulator is not restarted', async () => {
    const emulator: EmulatorProcess = await startEmulatorProcess({ name: 'close-test' });
    const pid = emulator.pid!;
    await emulator.close();
    assert.equal(alive(pid), false);
    assert.equal(emulator.restarts, 0);
    await assert.rejects(fetch(`${emulator.url}/_emulator/sessions`), 'nothing listens after close');
  });

  test('a given port that is taken fails the start once, with no restarts behind it', async () => {
    const taken = await startEmulatorProcess({ name: 'port-owner' });
    const port = Number(new URL(taken.url).port);
    const logged: string[] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => void logged.push(args.join(' '));
    try {
      await assert.rejects(startEmulatorProcess({ name: 'port-taker', port }), /\[port-taker\] exited at start/);
      // A restart would have said so by now: the failed child is gone, and nothing else is waited for.
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.deepEqual(logged.filter((line) => line.includes('[port-taker]')), []);
    } finally {
      console.log = log;
      await taken.close();
    }
  });
});
