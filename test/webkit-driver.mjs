// WebKitWebDriver processes and their X server, owned by the test runner's process (the WebKit launcher,
// test/webkit-launcher.mjs, starts one driver per browser session).
//
// Every process here stays in the runner's process group (nothing is detached): when
// scripts/run-browser-tests.mjs signals that group, the X server, the drivers, their MiniBrowsers and
// their web processes all go with the runner. A driver that must go alone (it stopped answering) is
// killed with its whole process tree: MiniBrowser outlives a killed WebKitWebDriver (it is re-parented),
// so the tree is frozen top-down with SIGSTOP first, then killed.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Pids of the live processes by parent pid, read from /proc (Linux: WebKitGTK runs nowhere else). */
function childrenByParent() {
  /** @type {Map<number, number[]>} */
  const byParent = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = byParent.get(ppid) ?? [];
    list.push(Number(name));
    byParent.set(ppid, list);
  }
  return byParent;
}

/** The process state letter (R, S, T, Z, …), or undefined when it is gone. */
function stateOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return undefined;
  }
}

/** The process's command name (at most 15 characters: "WebKitWebProces"), or "?" when it is gone. */
function nameOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '?';
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Kills a process and all its descendants, synchronously (usable in an `exit` handler). Each level is
 * stopped before its children are listed, so none can fork or be re-parented out of reach meanwhile.
 * @param {number} rootPid
 * @returns {Array<{ pid: number, name: string }>} the processes killed
 */
export function killProcessTree(rootPid) {
  const seen = new Set();
  let level = [rootPid];
  while (level.length > 0) {
    for (const pid of level) {
      seen.add(pid);
      try {
        process.kill(pid, 'SIGSTOP');
      } catch {
        // gone already
      }
    }
    // SIGSTOP is delivered asynchronously: wait (bounded, ~200 ms) until each one has really stopped.
    for (const pid of level) {
      for (let i = 0; i < 200; i += 1) {
        const state = stateOf(pid);
        if (state === undefined || state === 'T' || state === 't' || state === 'Z' || state === 'X') break;
        Atomics.wait(pause, 0, 0, 1);
      }
    }
    const byParent = childrenByParent();
    level = level.flatMap((pid) => byParent.get(pid) ?? []).filter((pid) => !seen.has(pid));
  }
  const killed = [];
  for (const pid of seen) {
    const name = nameOf(pid);
    try {
      process.kill(pid, 'SIGKILL');
      killed.push({ pid, name });
    } catch {
      // gone already
    }
  }
  return killed;
}

/**
 * A port nothing listens on now, never one this process handed out before (an abandoned request to an
 * old driver must not reach a new one).
 */
const portsGiven = new Set();
async function freshPort() {
  for (;;) {
    const port = await new Promise((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port: p } = /** @type {import('node:net').AddressInfo} */ (server.address());
        server.close(() => resolve(p));
      });
    });
    if (!portsGiven.has(port)) {
      portsGiven.add(port);
      return port;
    }
  }
}

/**
 * An X authority file with one MIT-MAGIC-COOKIE-1 for any display (family "wild", no number), as
 * xvfb-run makes: only processes given the file can use the X server.
 */
function writeXAuthority(path) {
  const field = (bytes) => {
    const length = Buffer.alloc(2);
    length.writeUInt16BE(bytes.length);
    return [length, bytes];
  };
  const family = Buffer.alloc(2);
  family.writeUInt16BE(0xffff);
  const entry = Buffer.concat([family, ...field(Buffer.alloc(0)), ...field(Buffer.alloc(0)), ...field(Buffer.from('MIT-MAGIC-COOKIE-1')), ...field(randomBytes(16))]);
  writeFileSync(path, entry, { mode: 0o600 });
}

/** Resolves when the child exits, or with `undefined` after `ms`. */
function exitWithin(exited, ms) {
  let timer;
  return Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, ms, undefined)))]).finally(() => clearTimeout(timer));
}

/**
 * @typedef {object} WebKitDriver
 * @property {number} pid
 * @property {number} port WebKitWebDriver's port on 127.0.0.1
 * @property {() => Promise<void>} stop kills the driver with its MiniBrowser and web processes
 */

/**
 * Starts WebKitWebDrivers on demand, all on one X server that the first start brings up.
 * @param {object} options
 * @param {string} options.driverPath WebKitWebDriver
 * @param {string} options.xvfbPath Xvfb
 * @param {string} options.logPath where the X server's and the drivers' output goes (appended)
 * @param {number} [options.startTimeoutMs] how long a driver (or the X server) may take to answer
 */
export function webKitDrivers({ driverPath, xvfbPath, logPath, startTimeoutMs = 10_000 }) {
  /** @type {number | undefined} the log's descriptor, open from the first start to close() */
  let log;
  const openLog = () => {
    if (log === undefined) {
      mkdirSync(dirname(logPath), { recursive: true });
      log = openSync(logPath, 'a');
    }
    return log;
  };
  const note = (line) => writeSync(openLog(), `[${new Date().toISOString()}] ${line}\n`);
  /** @type {Promise<{ display: string, authority: string, child: import('node:child_process').ChildProcess, exited: Promise<unknown> }> | undefined} */
  let xServer;
  /** @type {import('node:child_process').ChildProcess | undefined} */
  let xChild;
  /** @type {string | undefined} the X authority file while the server runs */
  let xAuthority;
  /** @type {Set<import('node:child_process').ChildProcess>} drivers not stopped yet */
  const drivers = new Set();
  /** Every pid killed so far: close() checks that none is left running. */
  const killed = new Set();
  let started = 0;

  // However the runner's process ends, nothing of ours outlives it (the process group covers a crash).
  const onExit = () => {
    for (const child of drivers) if (child.pid) killProcessTree(child.pid);
    // SIGTERM, so that the X server removes its lock file and socket as it goes (after we have gone).
    xChild?.kill('SIGTERM');
    if (xAuthority) rmSync(xAuthority, { force: true });
  };
  // SIGTERM (how scripts/run-browser-tests.mjs stops a runner) ends the process without `exit` handlers:
  // clean up, then die of the signal as before.
  const onTerm = () => {
    onExit();
    process.kill(process.pid, 'SIGTERM');
  };

  async function startXServer() {
    const authority = join(tmpdir(), `charivo-xauth-${process.pid}-${randomBytes(4).toString('hex')}`);
    writeXAuthority(authority);
    xAuthority = authority;
    // -displayfd: the server picks a free display itself and writes its number once it accepts
    // connections (xvfb-run -a guessed a number, which runners starting at once could both take).
    // -noreset: by default the server resets when its last client leaves, and a client connecting
    // meanwhile is dropped: the next session's MiniBrowser, started right after the last one closed,
    // then died with "cannot open display" and its driver never answered the new session (seen in a
    // WebKit run here; a client connecting right after another left was dropped 69 times in 300 without
    // -noreset, never with it: test/node/webkit-launcher.test.ts checks the server ours starts).
    const child = spawn(xvfbPath, ['-displayfd', '3', '-nolisten', 'tcp', '-noreset', '-auth', authority, '-screen', '0', '1280x1024x24'], {
      stdio: ['ignore', openLog(), openLog(), 'pipe'],
    });
    xChild = child;
    const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
    const number = await new Promise((resolve) => {
      let text = '';
      const timer = setTimeout(resolve, startTimeoutMs, undefined);
      child.stdio[3]?.on('data', (chunk) => {
        text += chunk;
        if (text.includes('\n')) {
          clearTimeout(timer);
          resolve(text.trim());
        }
      });
      void exited.then(() => {
        clearTimeout(timer);
        resolve(undefined);
      });
    });
    if (!number) {
      if (child.pid) for (const { pid } of killProcessTree(child.pid)) killed.add(pid);
      xChild = undefined;
      xAuthority = undefined;
      rmSync(authority, { force: true });
      throw new Error(`Xvfb did not give a display within ${startTimeoutMs / 1000} s or exited (its output: ${logPath})`);
    }
    note(`X server :${number} started (Xvfb pid ${child.pid})`);
    // An X server that dies mid-run is replaced at the next start (else every later browser would fail).
    void exited.then((how) => {
      if (xChild !== child) return;
      note(`X server :${number} exited (${how}); the next driver gets a new one`);
      xServer = undefined;
      xChild = undefined;
      xAuthority = undefined;
      rmSync(authority, { force: true });
    });
    return { display: `:${number}`, authority, child, exited };
  }

  /** The X server, started on first need; its display (`:N`) and the authority file its clients need. */
  async function display() {
    if (!process.listeners('exit').includes(onExit)) {
      process.on('exit', onExit);
      process.once('SIGTERM', onTerm);
    }
    xServer ??= startXServer().catch((error) => {
      xServer = undefined;
      throw error;
    });
    const { display: name, authority } = await xServer;
    return { display: name, authority };
  }

  return {
    logPath,
    display,
    /** @returns {Promise<WebKitDriver>} */
    async start() {
      const { display: name, authority } = await display();
      const port = await freshPort();
      started += 1;
      const child = spawn(driverPath, [`--port=${port}`, '--host=127.0.0.1'], {
        env: { ...process.env, DISPLAY: name, XAUTHORITY: authority },
        stdio: ['ignore', openLog(), openLog()],
      });
      drivers.add(child);
      const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
      note(`WebKitWebDriver #${started} started (pid ${child.pid}, port ${port}, DISPLAY ${name})`);
      let stopped = false;
      const stop = async () => {
        if (stopped) return;
        stopped = true;
        const tree = child.pid ? killProcessTree(child.pid) : [];
        for (const { pid } of tree) killed.add(pid);
        await exitWithin(exited, 5_000);
        drivers.delete(child);
        note(`WebKitWebDriver pid ${child.pid} stopped; killed: ${tree.map(({ pid, name }) => `${name} ${pid}`).join(', ') || 'nothing left'}`);
      };
      // No "ready" signal but its /status endpoint: ask until it answers, bounded.
      const deadline = Date.now() + startTimeoutMs;
      for (;;) {
        const outcome = await Promise.race([
          fetch(`http://127.0.0.1:${port}/status`, { signal: AbortSignal.timeout(1_000) }).then((r) => (r.ok ? 'ready' : 'no'), () => 'no'),
          exited.then(() => 'exited'),
        ]);
        if (outcome === 'ready') return { pid: child.pid ?? 0, port, stop };
        if (outcome === 'exited' || Date.now() >= deadline) {
          await stop();
          throw new Error(
            outcome === 'exited'
              ? `WebKitWebDriver exited at start (its output: ${logPath})`
              : `WebKitWebDriver did not answer on port ${port} within ${startTimeoutMs / 1000} s (its output: ${logPath})`,
          );
        }
        // It binds its port within milliseconds of starting: a short pause between asks.
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    /**
     * Kills every driver still running and stops the X server; says how many drivers ran and which
     * killed process is still running (none, unless one ignored SIGKILL).
     * @returns {Promise<{ drivers: number, leftovers: number[] }>}
     */
    async close() {
      for (const child of [...drivers]) {
        if (child.pid) for (const { pid } of killProcessTree(child.pid)) killed.add(pid);
        drivers.delete(child);
      }
      const x = await xServer?.catch(() => undefined);
      xServer = undefined;
      xChild = undefined;
      xAuthority = undefined;
      if (x) {
        // SIGTERM first: Xvfb then removes its lock file and socket.
        x.child.kill('SIGTERM');
        if ((await exitWithin(x.exited, 5_000)) === undefined && x.child.pid) killProcessTree(x.child.pid);
        await exitWithin(x.exited, 5_000);
        rmSync(x.authority, { force: true });
        if (x.child.pid) killed.add(x.child.pid);
        note(`X server ${x.display} stopped`);
      }
      // A killed process that is not our child (a MiniBrowser whose driver died first) is only gone once
      // the kernel has torn it down and init reaped it: no event says so, ask /proc (bounded, ~3 s).
      const running = (pid) => !['Z', 'X', undefined].includes(stateOf(pid));
      let leftovers = [...killed].filter(running);
      for (let i = 0; i < 150 && leftovers.length > 0; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        leftovers = leftovers.filter(running);
      }
      if (log !== undefined) {
        note(`closed: ${started} WebKitWebDriver processes started; left running: ${leftovers.length ? leftovers.join(', ') : 'none'}`);
        closeSync(log);
        log = undefined;
      }
      process.off('exit', onExit);
      process.off('SIGTERM', onTerm);
      return { drivers: started, leftovers };
    },
  };
}
