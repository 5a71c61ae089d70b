// `npm start`, the README's first command, run as a newcomer runs it (no OPENAI_API_KEY): the dev server
// serves the demo page and its script, the route mints sessions on the embedded emulator without
// handing out the emulator's key, and a stop ends the whole process tree (the emulator's child too).
// The demo page itself is tested in browsers (test/browser/demo/); this is the server that `npm start`
// builds from demo/vite.config.ts, which no browser test loads.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ANNOUNCED = /realtime sessions go to the embedded emulator at (http:\/\/127\.0\.0\.1:\d+)/;
/** Vite's own line: where it listens (another port than PORT when that one was taken meanwhile). */
const LOCAL = /Local:\s+(http:\/\/127\.0\.0\.1:\d+)\//;
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Whether anything still accepts HTTP at `url`. */
async function answers(url: string): Promise<boolean> {
  try {
    await (await fetch(url, { signal: AbortSignal.timeout(2_000) })).arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

describe('npm start (the demo server)', () => {
  test('serves the page and its script, mints on the embedded emulator without its key, and stops whole', async () => {
    const port = await freePort();
    // Its own process group, so the stop reaches npm, the shell, Vite and the emulator's process alike.
    const child = spawn('npm', ['start'], {
      cwd: ROOT,
      detached: true,
      env: { ...process.env, PORT: String(port), OPENAI_API_KEY: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const announced = new Promise<{ emulatorUrl: string; base: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start did not say where it listens within 60 s:\n${output}`)), 60_000);
      const onData = (chunk: Buffer): void => {
        output += String(chunk).replace(ANSI, '');
        const emulator = ANNOUNCED.exec(output);
        const local = LOCAL.exec(output);
        if (emulator && local) {
          clearTimeout(timer);
          resolve({ emulatorUrl: emulator[1]!, base: local[1]! });
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`npm start exited before it served:\n${output}`));
      });
    });
    let base = `http://127.0.0.1:${port}`;
    let emulatorUrl = '';
    try {
      ({ emulatorUrl, base } = await announced);

      const page = await fetch(`${base}/`);
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(html, /<charivo-realtime id="session"/);
      assert.match(html, /<script type="module" src="\.\/main\.ts"><\/script>/);
      const script = await fetch(`${base}/main.ts`);
      assert.equal(script.status, 200);
      assert.match(script.headers.get('content-type') ?? '', /javascript/);
      assert.match(await script.text(), /charivo/);

      const info = (await (await fetch(`${base}/api/demo-info`)).json()) as { backend: string; emulatorUrl: string };
      assert.deepEqual(info, { backend: 'emulator', emulatorUrl });

      for (const [adapter, transport] of [['openai-websocket', 'websocket'], ['openai-agents-webrtc', 'webrtc']]) {
        const minted = await fetch(`${base}/api/realtime`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ adapter, transport, session: {} }),
        });
        const text = await minted.text();
        assert.equal(minted.status, 200, `${adapter}: ${text}`);
        const bootstrap = JSON.parse(text) as { clientSecret?: { value?: string } };
        assert.match(bootstrap.clientSecret?.value ?? '', /^ek_/, `${adapter}: ${text}`);
        // The emulator's key is sk-demo-<uuid>: the browser never sees it.
        assert.doesNotMatch(text, /sk-demo-/, `${adapter}: the route handed out the emulator's key`);
      }
      assert.equal(await answers(`${emulatorUrl}/v1/models`), true, 'the emulator answers while the demo runs');
    } finally {
      // Ctrl-C in a terminal: SIGINT to the foreground process group.
      process.kill(-child.pid!, 'SIGINT');
      await exited;
    }
    // The emulator's process ends with the server (its stdin is the parent's lifeline): nothing is left on the port.
    for (let tries = 0; tries < 50 && (await answers(`${base}/`)); tries += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(await answers(`${base}/`), false, 'the dev server still answers after the stop');
    for (let tries = 0; tries < 50 && (await answers(`${emulatorUrl}/v1/models`)); tries += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(await answers(`${emulatorUrl}/v1/models`), false, 'the emulator outlived the demo server');
  });
});
