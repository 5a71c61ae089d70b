// The WebKit launcher (test/webkit-launcher.mjs) against WebDriver servers that misbehave the way a
// wedged WebKitWebDriver did on CI: a new session that never answers, a late answer to an abandoned
// attempt, an end of session that never answers, a browser that stops answering mid-run. Real HTTP
// through webdriverio; the "driver processes" are fake servers on 127.0.0.1, the timeouts short.
// (killProcessTree, which the real drivers' stop uses, is tried on real processes at the end.) The
// "ERROR webdriver:" lines the run prints are webdriverio reporting the requests these fakes leave unanswered.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killProcessTree, webKitDrivers } from '../webkit-driver.mjs';
import { WebKitLauncher, WebKitSessionError } from '../webkit-launcher.mjs';

type Hold = 'new-session' | 'delete' | 'execute';

/** One fake WebKitWebDriver: answers the few commands the launcher sends, or holds the ones in `hold`. */
class FakeDriver {
  readonly requests: string[] = [];
  readonly #waiting: Array<{ line: string; count: number; resolve: () => void }> = [];
  readonly held: Array<{ what: Hold; answer: () => void }> = [];
  stopped = 0;
  readonly server: Server;
  port = 0;

  constructor(
    readonly sessionId: string,
    readonly hold: ReadonlySet<Hold> = new Set(),
  ) {
    this.server = createServer((request, response) => this.#handle(request, response));
  }

  async listen() {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  #handle(request: IncomingMessage, response: ServerResponse) {
    request.resume();
    request.on('end', () => {
      const line = `${request.method} ${request.url}`;
      this.requests.push(line);
      for (const wait of [...this.#waiting]) {
        if (this.requests.filter((r) => r === wait.line).length >= wait.count) {
          this.#waiting.splice(this.#waiting.indexOf(wait), 1);
          wait.resolve();
        }
      }
      const send = (value: unknown) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ value }));
      };
      if (request.method === 'POST' && request.url === '/session') {
        const answer = () => send({ sessionId: this.sessionId, capabilities: { browserName: 'MiniBrowser', browserVersion: '2.50' } });
        if (this.hold.has('new-session')) this.held.push({ what: 'new-session', answer });
        else answer();
      } else if (request.method === 'DELETE') {
        if (this.hold.has('delete')) this.held.push({ what: 'delete', answer: () => send(null) });
        else send(null);
      } else if (request.url?.endsWith('/execute/sync')) {
        if (this.hold.has('execute')) this.held.push({ what: 'execute', answer: () => send({}) });
        else send({});
      } else {
        send(null);
      }
    });
  }

  /** Resolves once `line` has come `count` times (the launcher navigates without waiting for the answer). */
  received(line: string, count = 1) {
    if (this.requests.filter((r) => r === line).length >= count) return Promise.resolve();
    return new Promise<void>((resolve) => this.#waiting.push({ line, count, resolve }));
  }

  /** Held requests are answered now (late), or dropped when the server closes. */
  answerHeld() {
    for (const { answer } of this.held.splice(0)) answer();
  }

  async close() {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** Hands the launcher the fake drivers in order, as test/webkit-driver.mjs hands it real ones. */
function driversFrom(fakes: FakeDriver[]) {
  let next = 0;
  const drivers = {
    started: 0,
    closed: 0,
    async start() {
      const fake = fakes[next++];
      if (!fake) throw new Error('no more fake drivers');
      drivers.started += 1;
      return { pid: 0, port: fake.port, stop: async () => void (fake.stopped += 1) };
    },
    async close() {
      drivers.closed += 1;
      return { drivers: drivers.started, leftovers: [] };
    },
  };
  return drivers;
}

const capabilities = { browserName: 'MiniBrowser', 'wdio:enforceWebDriverClassic': true };
const fakes: FakeDriver[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
});
let made = 0;
/** A fake driver whose session id is `name` plus a number: webdriverio refuses an id it saw deleted. */
async function fake(name: string, hold: Hold[] = []) {
  made += 1;
  const driver = await new FakeDriver(`${name}-${made}`, new Set(hold)).listen();
  fakes.push(driver);
  return driver;
}

type Bound = 'newSessionMs' | 'deleteSessionMs' | 'commandMs';
/**
 * A launcher initialized as @web/test-runner does, its log lines collected. The bound a test provokes is
 * 1 s; the others are 5 s, so that a loaded machine (load average 14 here) does not trip them.
 */
async function launcher(drivers: ReturnType<typeof driversFrom>, provoked: Bound, options: { attempts?: number; filesPerBrowser?: number } = {}) {
  const lines: string[] = [];
  const launcher = new WebKitLauncher({
    capabilities,
    drivers,
    timeouts: { newSessionMs: 5_000, deleteSessionMs: 5_000, commandMs: 5_000, [provoked]: 1_000 },
    log: (line) => lines.push(line),
    ...options,
  });
  await launcher.initialize({ concurrency: 1, coverage: false });
  return { launcher, lines };
}

describe('WebKit launcher', () => {
  it('restarts a driver whose new session never answers, and a late answer to it changes nothing', { timeout: 15_000 }, async () => {
    const wedged = await fake('abandoned', ['new-session']);
    const healthy = await fake('live');
    const drivers = driversFrom([wedged, healthy]);
    const { launcher: wk, lines } = await launcher(drivers, 'newSessionMs');

    await wk.startSession('file-1', 'http://127.0.0.1:1/page-1');
    await healthy.received(`POST /session/${healthy.sessionId}/url`);
    assert.equal(drivers.started, 2);
    assert.equal(wedged.stopped, 1, 'the wedged driver was killed');
    assert.equal(healthy.stopped, 0);
    assert.deepEqual(lines, ['[webkit] new session did not answer in 1 s: restarted WebKitWebDriver (attempt 2/3)']);
    assert.ok(wk.isActive('file-1'));

    // The abandoned attempt's answer comes now (webdriverio then asks that driver for its window): it
    // must neither end nor replace the live session.
    wedged.answerHeld();
    await wedged.received(`GET /session/${wedged.sessionId}/window`);
    assert.ok(wk.isActive('file-1'));
    await wk.stopSession('file-1');
    await wk.startSession('file-2', 'http://127.0.0.1:1/page-2');
    await healthy.received(`POST /session/${healthy.sessionId}/url`, 3);
    const live = `/session/${healthy.sessionId}`;
    assert.deepEqual(healthy.requests, [
      'POST /session',
      `GET ${live}/window`,
      `POST ${live}/url`, // file 1
      `POST ${live}/execute/sync`, // its result
      `POST ${live}/url`, // about:blank
      `POST ${live}/url`, // file 2
    ]);
    assert.deepEqual(wedged.requests, ['POST /session', `GET /session/${wedged.sessionId}/window`], 'nothing else went to the abandoned driver');
    assert.equal(drivers.started, 2, 'one session served both files');

    await wk.stop();
    assert.equal(healthy.requests.at(-1), `DELETE ${live}`);
    assert.equal(healthy.stopped, 1);
    assert.equal(drivers.closed, 1);
  });

  it('fails one file after every attempt, and the next file starts afresh', { timeout: 15_000 }, async () => {
    const drivers = driversFrom([await fake('a', ['new-session']), await fake('b', ['new-session']), await fake('c')]);
    const { launcher: wk, lines } = await launcher(drivers, 'newSessionMs', { attempts: 2 });

    await assert.rejects(wk.startSession('file-1', 'http://127.0.0.1:1/page'), (error: unknown) => {
      assert.ok(error instanceof WebKitSessionError);
      assert.equal(error.code, 'webkit_session_failed');
      assert.match(error.message, /no browser session after 2 attempts.*the next test file tries again/);
      return true;
    });
    assert.deepEqual(lines, [
      '[webkit] new session did not answer in 1 s: restarted WebKitWebDriver (attempt 2/2)',
      '[webkit] new session did not answer in 1 s: gave up',
    ]);
    // The failure is not kept and shared: the next file gets a new driver and a session.
    await wk.startSession('file-2', 'http://127.0.0.1:1/page');
    assert.ok(wk.isActive('file-2'));
    assert.equal(drivers.started, 3);
    await fakes[2]!.received(`POST /session/${fakes[2]!.sessionId}/url`);
    await wk.stop();
  });

  it('kills a driver whose end of session never answers, without hanging the run', { timeout: 15_000 }, async () => {
    const stuck = await fake('stuck', ['delete']);
    const next = await fake('next');
    const drivers = driversFrom([stuck, next]);
    const { launcher: wk, lines } = await launcher(drivers, 'deleteSessionMs', { filesPerBrowser: 1 });

    await wk.startSession('file-1', 'http://127.0.0.1:1/page');
    await stuck.received(`POST /session/${stuck.sessionId}/url`);
    const began = Date.now();
    await wk.stopSession('file-1'); // the browser's one file: its session ends here
    assert.ok(Date.now() - began < 4_000, `bounded: ${Date.now() - began} ms`);
    assert.equal(stuck.stopped, 1);
    assert.deepEqual(lines, ['[webkit] ending the browser session did not answer in 1 s: killed WebKitWebDriver and its browser']);
    await wk.startSession('file-2', 'http://127.0.0.1:1/page');
    await next.received(`POST /session/${next.sessionId}/url`);
    await wk.stop();
  });

  it('gives the next file a new browser when one stops answering mid-run', { timeout: 15_000 }, async () => {
    const frozen = await fake('frozen', ['execute']);
    const next = await fake('next');
    const drivers = driversFrom([frozen, next]);
    const { launcher: wk, lines } = await launcher(drivers, 'commandMs');

    await wk.startSession('file-1', 'http://127.0.0.1:1/page');
    await frozen.received(`POST /session/${frozen.sessionId}/url`);
    await assert.rejects(wk.stopSession('file-1'), /WebKit did not answer "read the test result" within 1 s/);
    assert.equal(frozen.stopped, 1);
    assert.match(lines[0] ?? '', /killed WebKitWebDriver and its browser; the next file gets new ones/);
    await wk.startSession('file-2', 'http://127.0.0.1:1/page');
    await next.received(`POST /session/${next.sessionId}/url`);
    await wk.stop();
    assert.equal(next.requests.at(-1), `DELETE /session/${next.sessionId}`);
  });
});

describe('killProcessTree', () => {
  it('kills a process with its children and grandchildren, even those whose parent dies first', { timeout: 5_000 }, async () => {
    // sh → (sh → sleep) and sleep: three levels; the middle shell would leave its sleep to init.
    const root = spawn('sh', ['-c', 'sh -c "sleep 30 & wait" & sleep 30 & wait'], { stdio: 'ignore' });
    const exited = new Promise((resolve) => root.once('exit', resolve));
    // Until both sleeps run (the shells fork them at once; /proc shows when).
    const sleeps = () => descendants(root.pid!).filter((pid) => comm(pid) === 'sleep');
    while (sleeps().length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    const tree = [root.pid!, ...descendants(root.pid!)];
    assert.equal(tree.length, 4);

    const killed = killProcessTree(root.pid!);
    assert.deepEqual(killed.map(({ pid }) => pid).sort(), [...tree].sort());
    assert.deepEqual(killed.map(({ name }) => name).sort(), ['sh', 'sh', 'sleep', 'sleep']);
    await exited;
    // The re-parented ones are torn down by the kernel a moment later, unseen by us: ask /proc, bounded.
    const running = () => tree.filter((pid) => ['S', 'R', 'T', 't', 'D'].includes(state(pid) ?? ''));
    for (let i = 0; i < 100 && running().length > 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(running(), []);
  });
});

describe('the X server of the WebKit drivers', () => {
  it('accepts a client that connects right after the last one left, every time', { timeout: 10_000 }, async () => {
    // Where Debian puts it (scripts/engines.mjs looks there too).
    const xvfb = '/usr/bin/Xvfb';
    assert.ok(existsSync(xvfb), 'Xvfb is not installed: run `node scripts/ensure.mjs --engines` (Debian: apt-get install xvfb)');
    const drivers = webKitDrivers({ driverPath: '/nonexistent', xvfbPath: xvfb, logPath: join(tmpdir(), `charivo-xvfb-test-${process.pid}.log`) });
    let socket = '';
    try {
      const { display, authority } = await drivers.display();
      socket = `/tmp/.X11-unix/X${display.slice(1)}`;
      const cookie = xCookie(readFileSync(authority));
      // As between two browser sessions: the last client leaves, the next one comes at once. (An X
      // server that resets when its last client leaves drops that one now and then: MiniBrowser then
      // cannot open the display.)
      const refused: string[] = [];
      for (let i = 0; i < 200 && refused.length < 3; i += 1) {
        const first = await xHandshake(socket, cookie).catch((error: Error) => (refused.push(`first: ${error.message}`), undefined));
        first?.end();
        const second = await xHandshake(socket, cookie).catch((error: Error) => (refused.push(`next: ${error.message}`), undefined));
        second?.end();
      }
      assert.deepEqual(refused, []);
    } finally {
      const { leftovers } = await drivers.close();
      assert.deepEqual(leftovers, []);
    }
    assert.ok(!existsSync(socket), 'the X server removed its socket');
  });
});

describe('the X server of the WebKit drivers, when it dies', () => {
  it('is replaced at the next start, not left for every later browser to fail on', { timeout: 10_000 }, async () => {
    const drivers = webKitDrivers({ driverPath: '/nonexistent', xvfbPath: '/usr/bin/Xvfb', logPath: join(tmpdir(), `charivo-xvfb-replace-${process.pid}.log`) });
    try {
      const first = await drivers.display();
      const xServer = descendants(process.pid).find((pid) => comm(pid) === 'Xvfb' && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(first.authority));
      assert.ok(xServer, 'found the X server');
      process.kill(xServer, 'SIGKILL');
      // Its exit reaches the drivers asynchronously: until then they still hand out the old one.
      let next = await drivers.display();
      for (let i = 0; i < 100 && next.authority === first.authority; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        next = await drivers.display();
      }
      assert.notEqual(next.authority, first.authority, 'a new X server');
      assert.ok(!existsSync(first.authority), "the dead one's authority file is gone");
      const socket = `/tmp/.X11-unix/X${next.display.slice(1)}`;
      (await xHandshake(socket, xCookie(readFileSync(next.authority)))).end();
    } finally {
      await drivers.close();
    }
  });
});

describe('the WebKit drivers at the end of their process', () => {
  it('go with it: a runner stopped by SIGTERM takes its X server and authority file along', { timeout: 10_000 }, async () => {
    // A runner's process as far as the X server goes: it starts one, then waits to be stopped.
    const module = new URL('../webkit-driver.mjs', import.meta.url).href;
    const script = `
      import { webKitDrivers } from ${JSON.stringify(module)};
      const drivers = webKitDrivers({ driverPath: '/nonexistent', xvfbPath: '/usr/bin/Xvfb', logPath: ${JSON.stringify(join(tmpdir(), `charivo-xvfb-exit-${process.pid}.log`))} });
      console.log(JSON.stringify(await drivers.display()));
      setInterval(() => {}, 1000);`;
    const runner = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => runner.once('exit', (_code, signal) => resolve(signal)));
    const { display, authority } = await new Promise<{ display: string; authority: string }>((resolve) => {
      let text = '';
      runner.stdout!.on('data', (chunk) => {
        text += chunk;
        if (text.includes('\n')) resolve(JSON.parse(text));
      });
    });
    const xServer = descendants(runner.pid!).find((pid) => comm(pid) === 'Xvfb');
    assert.ok(xServer, 'the runner started Xvfb');
    assert.ok(existsSync(authority));

    runner.kill('SIGTERM');
    assert.equal(await exited, 'SIGTERM', 'the runner still dies of the signal');
    assert.ok(!existsSync(authority), 'the authority file is gone');
    // The X server ends a moment after its runner (it was told to): ask /proc, bounded.
    for (let i = 0; i < 100 && ['S', 'R', 'D'].includes(state(xServer) ?? ''); i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(!['S', 'R', 'D', 'T'].includes(state(xServer) ?? ''), 'the X server is gone');
    assert.ok(!existsSync(`/tmp/.X${display.slice(1)}-lock`), 'and it removed its lock file');
  });
});

/** The MIT-MAGIC-COOKIE-1 of an X authority file with one entry (as test/webkit-driver.mjs writes it). */
function xCookie(file: Buffer): Buffer {
  let at = 2; // family
  const field = () => {
    const length = file.readUInt16BE(at);
    const value = file.subarray(at + 2, at + 2 + length);
    at += 2 + length;
    return value;
  };
  field(); // address
  field(); // display number
  assert.equal(field().toString(), 'MIT-MAGIC-COOKIE-1');
  return field();
}

/** Opens an X11 connection (the setup handshake only); rejects with the server's reason. */
function xHandshake(path: string, cookie: Buffer) {
  return new Promise<import('node:net').Socket>((resolve, reject) => {
    const socket = connect(path);
    const name = Buffer.from('MIT-MAGIC-COOKIE-1');
    const padded = (bytes: Buffer) => Buffer.concat([bytes, Buffer.alloc((4 - (bytes.length % 4)) % 4)]);
    const head = Buffer.alloc(12);
    head.write('l', 0); // little-endian
    head.writeUInt16LE(11, 2); // protocol 11.0
    head.writeUInt16LE(name.length, 6);
    head.writeUInt16LE(cookie.length, 8);
    socket.write(Buffer.concat([head, padded(name), padded(cookie)]));
    socket.once('data', (reply) => {
      socket.setTimeout(0);
      if (reply[0] === 1) resolve(socket);
      else {
        socket.destroy();
        reject(new Error(`refused: ${reply.subarray(8, 8 + (reply[1] ?? 0)).toString()}`));
      }
    });
    socket.once('error', reject);
    socket.once('close', () => reject(new Error('closed before the setup reply')));
    // A server busy resetting may leave the connection hanging: that is a refusal too.
    socket.setTimeout(1_000, () => {
      socket.destroy();
      reject(new Error('no setup reply within 1 s'));
    });
  });
}

function stat(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
}
function state(pid: number) {
  const text = stat(pid);
  return text?.slice(text.lastIndexOf(')') + 2, text.lastIndexOf(')') + 3);
}
function comm(pid: number) {
  const text = stat(pid);
  return text?.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
}
function descendants(pid: number): number[] {
  let text = '';
  try {
    text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8');
  } catch {
    return [];
  }
  const children = text.trim().split(/\s+/).filter(Boolean).map(Number);
  return children.flatMap((child) => [child, ...descendants(child)]);
}
