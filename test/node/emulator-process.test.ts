// startRealtimeEmulatorProcess() (charivo-elements/emulator) runs the emulator in a child process so
// that a native crash in its WebRTC costs the calls in flight, not the caller's process: the demo, the
// browser tests and `charivo-emulator` run it so. These tests crash it on purpose, check that a failure
// at start is not restarted, that a scenario given as a module reaches the child, and that spent
// restarts leave it stopped and say so.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import WebSocket from 'ws';
import { startRealtimeEmulatorProcess, type EmulatorCrash, type RealtimeEmulatorProcess } from '../../src/emulator/index.js';
import { alive, mint } from './emulator-checks.js';

/** Collects the values `add` is given; `done` resolves with them once there are `count`. */
function collect<T>(count: number): { add: (value: T) => void; done: Promise<T[]> } {
  const values: T[] = [];
  let finish: (all: T[]) => void = () => {};
  const done = new Promise<T[]>((resolve) => (finish = resolve));
  return {
    add: (value) => {
      values.push(value);
      if (values.length === count) finish(values);
    },
    done,
  };
}

describe('the emulator in a child process (startRealtimeEmulatorProcess)', () => {
  test('a crashed emulator comes back on the same address with the same key', async () => {
    const restarted = collect<number>(1);
    const crashes = collect<EmulatorCrash>(1);
    const lines: string[] = [];
    const emulator: RealtimeEmulatorProcess = await startRealtimeEmulatorProcess({
      name: 'crash-test',
      apiKey: 'sk-crash-test',
      onRestart: restarted.add,
      onCrash: crashes.add,
      log: (line) => lines.push(line),
    });
    try {
      assert.equal(await mint(emulator.url, emulator.apiKey), 200);
      const first = emulator.pid!;
      process.kill(first, 'SIGSEGV');
      assert.deepEqual(await restarted.done, [1]);
      assert.deepEqual(await crashes.done, [{ code: null, signal: 'SIGSEGV', restarting: true }]);
      assert.notEqual(emulator.pid, first);
      assert.equal(alive(first), false);
      assert.equal(emulator.restarts, 1);
      assert.equal(await mint(emulator.url, emulator.apiKey), 200, 'the new emulator answers on the old address and takes the old key');
      assert.match(lines.join('\n'), /crash-test: the emulator process ended \(SIGSEGV\); calls in flight are lost\. Restart 1 of 5 on port \d+\./);
    } finally {
      await emulator.close();
    }
  });

  test('after maxRestarts crashes it stays down, and says so', async () => {
    const crashes = collect<EmulatorCrash>(2);
    const restarted = collect<number>(1);
    const lines: string[] = [];
    const emulator = await startRealtimeEmulatorProcess({ name: 'spent', maxRestarts: 1, onCrash: crashes.add, onRestart: restarted.add, log: (line) => lines.push(line) });
    try {
      process.kill(emulator.pid!, 'SIGSEGV');
      await restarted.done;
      assert.equal(await mint(emulator.url, emulator.apiKey), 200, 'the one restart answers');
      process.kill(emulator.pid!, 'SIGSEGV');
      const [, last] = await crashes.done;
      assert.deepEqual(last, { code: null, signal: 'SIGSEGV', restarting: false });
      assert.equal(emulator.restarts, 1);
      assert.ok(lines.includes('spent: the emulator process ended (SIGSEGV) after 1 restarts; left stopped.'), lines.join('\n'));
      await assert.rejects(fetch(`${emulator.url}/_emulator/sessions`), 'nothing listens once the restarts are spent');
    } finally {
      await emulator.close();
    }
  });

  test('close() during a restart leaves no emulator behind: from onCrash, nothing starts; mid-start, the new child ends', async () => {
    let closed: Promise<void> | undefined;
    const early = await startRealtimeEmulatorProcess({ name: 'close-on-crash', log: () => {}, onCrash: () => (closed = early.close()) });
    const first = early.pid!;
    process.kill(first, 'SIGSEGV');
    await waitFor(() => closed !== undefined);
    await closed;
    assert.equal(early.pid, first, 'no new child was started');
    await assert.rejects(fetch(`${early.url}/_emulator/sessions`), 'nothing listens after the close');

    const late = await startRealtimeEmulatorProcess({ name: 'close-mid-start', log: () => {} });
    const before = late.pid!;
    process.kill(before, 'SIGSEGV');
    // The restart spawns at once after the crash is seen: close while that child starts.
    await waitFor(() => late.pid !== before);
    const starting = late.pid!;
    await late.close();
    assert.equal(alive(starting), false, 'the child that was starting ended with the close');
    assert.equal(late.restarts, 1);
  });

  test('a restart that cannot start counts as one: with the port taken meanwhile it gives up after maxRestarts', async () => {
    const crashes = collect<EmulatorCrash>(3);
    let squatter: Server | undefined;
    const emulator = await startRealtimeEmulatorProcess({
      name: 'port-lost',
      maxRestarts: 2,
      log: () => {},
      onCrash: (crash) => {
        // Before the new child starts (it takes a few hundred ms to listen), someone else takes the port.
        if (!squatter) squatter = createServer().listen(Number(new URL(emulator.url).port), '127.0.0.1');
        crashes.add(crash);
      },
    });
    try {
      process.kill(emulator.pid!, 'SIGSEGV');
      assert.deepEqual(await crashes.done, [
        { code: null, signal: 'SIGSEGV', restarting: true },
        { code: 1, signal: null, restarting: true },
        { code: 1, signal: null, restarting: false },
      ]);
      assert.equal(emulator.restarts, 2);
    } finally {
      await emulator.close();
      await new Promise((resolve) => squatter?.close(resolve));
    }
  });

  test('close() ends the child, and a closed emulator is not restarted', async () => {
    const emulator = await startRealtimeEmulatorProcess({ name: 'close-test' });
    const pid = emulator.pid!;
    await emulator.close();
    assert.equal(alive(pid), false);
    assert.equal(emulator.restarts, 0);
    await assert.rejects(fetch(`${emulator.url}/_emulator/sessions`), 'nothing listens after close');
  });

  test('a given port that is taken fails the start once, with no restarts behind it', async () => {
    const taken = await startRealtimeEmulatorProcess({ name: 'port-owner' });
    const port = Number(new URL(taken.url).port);
    const lines: string[] = [];
    let crashed = false;
    try {
      await assert.rejects(
        startRealtimeEmulatorProcess({ name: 'port-taker', port, log: (line) => lines.push(line), onCrash: () => (crashed = true) }),
        /port-taker: the emulator exited at start \(code 1\)/,
      );
      assert.equal(crashed, false);
      assert.deepEqual(lines, []);
    } finally {
      await taken.close();
    }
  });

  test('a scenario given as a module reaches the child: its rule (a RegExp and a function) answers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'charivo-scenario-'));
    const module = join(dir, 'scenario.mjs');
    // A RegExp and a function: neither would survive JSON on the way to the child.
    writeFileSync(module, `export default { rules: [{ match: /^ping/, say: (turn) => 'pong to ' + turn.text }] };\n`);
    const emulator = await startRealtimeEmulatorProcess({ name: 'scenario-test', scenarioModule: module, msPerChar: 1 });
    try {
      const said = await textReply(emulator, 'ping please');
      assert.equal(said, 'pong to ping please', 'the module’s rule answered');
    } finally {
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a scenario module that exports none fails the start, naming the module', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'charivo-scenario-'));
    const module = join(dir, 'empty.mjs');
    writeFileSync(module, 'export const unrelated = 1;\n');
    try {
      // The child says why on stderr ("… exports no scenario …"); the start rejects.
      await assert.rejects(startRealtimeEmulatorProcess({ name: 'no-scenario', scenarioModule: module }), /no-scenario: the emulator exited at start \(code 1\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Resolves once `predicate` holds, checked every 10 ms; fails after 10 s. */
async function waitFor(predicate: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('not true within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Sends `text` over a WebSocket session and resolves with the assistant's text reply. */
async function textReply(emulator: RealtimeEmulatorProcess, text: string): Promise<string> {
  const socket = new WebSocket(`${emulator.websocketUrl}?model=gpt-realtime`, ['realtime', `openai-insecure-api-key.${emulator.apiKey}`]);
  try {
    return await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no reply within 10 s')), 10_000);
      socket.on('error', (error) => reject(error));
      socket.on('open', () => {
        socket.send(JSON.stringify({ type: 'session.update', session: { type: 'realtime', output_modalities: ['text'] } }));
        socket.send(JSON.stringify({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] } }));
        socket.send(JSON.stringify({ type: 'response.create' }));
      });
      socket.on('message', (data) => {
        const message = JSON.parse(String(data)) as { type: string; response?: { output?: Array<{ content?: Array<{ text?: string; transcript?: string }> }> } };
        if (message.type !== 'response.done') return;
        clearTimeout(timer);
        resolve(message.response?.output?.[0]?.content?.[0]?.text ?? '');
      });
    });
  } finally {
    socket.close();
  }
}
