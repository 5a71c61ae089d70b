// The @web/test-runner launcher for WebKitGTK's MiniBrowser: @web/test-runner-webdriver's, but owning its
// WebKitWebDriver (test/webkit-driver.mjs) and bounding every step a wedged driver or browser could hang:
// - a new browser session every `filesPerBrowser` test files, each on a new driver process;
// - a new session that does not answer within `newSessionMs` (or fails) costs a restart of the driver and
//   another attempt (up to `attempts`), not the shard: the stock launcher shared one pending new-session
//   request between all queued files, so one that never answered failed every later file of the shard;
// - ending a session, and the commands that end a test file, are bounded too: on timeout the driver is
//   killed with its browser, and the next file gets a new one.
import { remote } from 'webdriverio';
import { WebdriverLauncher } from '@web/test-runner-webdriver';

/** The launcher's bounds (milliseconds), injectable so that a test can provoke each one quickly. */
export const WEBKIT_TIMEOUTS = Object.freeze({
  /** a new session (POST /session: MiniBrowser starts) must answer within this */
  newSessionMs: 30_000,
  /** ending a session (DELETE /session/…) */
  deleteSessionMs: 15_000,
  /**
   * each command that ends a test file (reading the page's result, leaving the page): usually well
   * under a second, but several seconds on a loaded 2-core machine (seen at a load average of 10)
   */
  commandMs: 60_000,
});

/** Attempts at a new session, each on a new driver, before the test file fails. */
export const WEBKIT_SESSION_ATTEMPTS = 3;

/** A failure of the WebKit launcher itself (not of a test): no session after every attempt. */
export class WebKitSessionError extends Error {
  /** @param {string} message @param {unknown} [cause] */
  constructor(message, cause) {
    super(message, { cause });
    this.name = 'WebKitSessionError';
    /** stable code for reports */
    this.code = 'webkit_session_failed';
  }
}

/**
 * Settles with the promise's outcome, or as timed out after `ms`.
 * @template T
 * @param {Promise<T>} promise
 * @param {number} ms
 * @returns {Promise<{ ok: true, value: T } | { ok: false, timedOut: boolean, error?: unknown }>}
 */
function settleWithin(promise, ms) {
  let timer;
  return Promise.race([
    promise.then((value) => ({ ok: /** @type {const} */ (true), value }), (error) => ({ ok: /** @type {const} */ (false), timedOut: false, error })),
    new Promise((resolve) => (timer = setTimeout(resolve, ms, { ok: false, timedOut: true }))),
  ]).finally(() => clearTimeout(timer));
}

const seconds = (ms) => `${Math.round(ms / 100) / 10} s`;
const firstLine = (error) => String(error instanceof Error ? error.message : error).split('\n')[0];

/**
 * The test files of one browser session: what @web/test-runner-webdriver's SessionManager does (one page
 * at a time, concurrency 1), with the commands that end a file bounded.
 */
class BoundedSessionManager {
  /** @type {Map<string, string>} */
  urlMap = new Map();

  /**
   * @param {import('webdriverio').Browser} driver
   * @param {{ coverage?: boolean }} config
   * @param {number} commandMs
   * @param {(line: string) => void} log
   */
  constructor(driver, config, commandMs, log) {
    this.driver = driver;
    this.config = config;
    this.commandMs = commandMs;
    this.log = log;
  }

  isActive(id) {
    return this.urlMap.has(id);
  }

  async getBrowserUrl(id) {
    return this.urlMap.get(id);
  }

  /** Navigates without waiting for the page's load, like the stock manager: the page reports back itself. */
  async queueStartSession(id, url) {
    this.urlMap.set(id, url);
    // A failed navigation leaves a page that never reports: the file fails on testsStartTimeout and its
    // stop (below) finds the browser broken.
    this.driver.navigateTo(url).catch((error) => this.log(`[webkit] navigating to the test page failed: ${firstLine(error)}`));
  }

  async #bounded(what, run) {
    const outcome = await settleWithin(run(), this.commandMs);
    if (outcome.ok) return outcome.value;
    throw new Error(
      outcome.timedOut ? `WebKit did not answer "${what}" within ${seconds(this.commandMs)}` : `WebKit failed "${what}": ${firstLine(outcome.error)}`,
      { cause: outcome.error },
    );
  }

  async queueStopSession(id) {
    // An IIFE, as the stock manager does (a bare return fails in some drivers).
    const result = await this.#bounded('read the test result', () => this.driver.execute('return (function() { return { testCoverage: window.__coverage__ }; })();'));
    // An empty page stops whatever the test page still runs.
    await this.#bounded('leave the test page', () => this.driver.navigateTo('about:blank'));
    this.urlMap.delete(id);
    return { testCoverage: this.config.coverage ? /** @type {any} */ (result)?.testCoverage : undefined };
  }

  async performActions(_, actions) {
    return this.driver.performActions(actions);
  }

  async sendKeys(_, keys) {
    return this.driver.keys(keys);
  }

  async takeScreenshot(_, locator) {
    const elementData = await this.driver.execute(locator, []);
    const element = await this.driver.$(/** @type {any} */ (elementData)).getElement();
    return Buffer.from(await this.driver.takeElementScreenshot(element.elementId), 'base64');
  }
}

/**
 * @typedef {object} DriverProcesses where the launcher gets its drivers (test/webkit-driver.mjs)
 * @property {() => Promise<{ pid: number, port: number, stop(): Promise<void> }>} start
 * @property {() => Promise<{ drivers: number, leftovers: number[] }>} close
 * @property {string} [logPath]
 */

/**
 * @typedef {object} WebKitLauncherOptions
 * @property {Record<string, unknown>} capabilities WebDriver capabilities of every new session
 * @property {DriverProcesses} drivers
 * @property {number} [filesPerBrowser] test files one browser runs before the next gets a new one
 * @property {Partial<typeof WEBKIT_TIMEOUTS>} [timeouts]
 * @property {number} [attempts]
 * @property {(line: string) => void} [log] where the launcher's few lines go (stdout)
 * @property {typeof remote} [connect] opens a WebDriver session (webdriverio's remote())
 */

/**
 * @typedef {object} LiveSession
 * @property {{ pid: number, port: number, stop(): Promise<void> }} driver
 * @property {import('webdriverio').Browser} browser
 * @property {BoundedSessionManager} manager
 * @property {number} files test files this browser has run
 * @property {boolean} ended
 */

/** WebKit through a WebKitWebDriver of its own, restarted whenever it stops answering. */
export class WebKitLauncher extends WebdriverLauncher {
  /** @type {LiveSession | undefined} */
  #session;
  /** @type {Promise<LiveSession> | undefined} */
  #creating;
  #every;
  #drivers;
  #timeouts;
  #attempts;
  #log;
  #connect;
  /** figures for the closing line */
  #counts = { sessions: 0, restarts: 0, killed: 0 };

  /** @param {WebKitLauncherOptions} options */
  constructor({ capabilities, drivers, filesPerBrowser = 5, timeouts = {}, attempts = WEBKIT_SESSION_ATTEMPTS, log = console.log, connect = remote }) {
    // The stock launcher's options (its name comes from the capabilities); each session sets the port.
    // No retries by webdriverio: a failed request to a local driver means the driver is in trouble, which
    // this launcher answers with a new one, and a blindly repeated new session or key press would be sent
    // twice (the abandoned attempt at a new session also ends at once when its driver is killed).
    super(/** @type {any} */ ({ hostname: '127.0.0.1', port: 0, path: '/', logLevel: 'error', connectionRetryCount: 0, capabilities }));
    this.#every = filesPerBrowser;
    this.#drivers = drivers;
    this.#timeouts = { ...WEBKIT_TIMEOUTS, ...timeouts };
    this.#attempts = attempts;
    this.#log = log;
    this.#connect = connect;
  }

  /**
   * The longest a new session may take with every attempt (the test runner's browserStartTimeout must
   * exceed it, or a restart would still fail the file): each attempt starts a driver (bounded at 10 s by
   * test/webkit-driver.mjs), waits for the session and may kill the driver (bounded at 5 s).
   */
  static startBudgetMs(timeouts = WEBKIT_TIMEOUTS, attempts = WEBKIT_SESSION_ATTEMPTS) {
    return attempts * (10_000 + timeouts.newSessionMs + 5_000);
  }

  /** @override */
  async startSession(id, url) {
    const session = this.#session ?? (await (this.#creating ??= this.#createSession().finally(() => (this.#creating = undefined))));
    return session.manager.queueStartSession(id, url);
  }

  /** @override */
  async stopSession(id) {
    const session = this.#session;
    if (!session) throw new Error(`WebKit: no browser session for test page ${id}`);
    try {
      return await session.manager.queueStopSession(id);
    } catch (error) {
      // The browser stopped answering: end it here, the next file gets a new driver and browser.
      this.#log(`[webkit] ${firstLine(error)}: killed WebKitWebDriver and its browser; the next file gets new ones`);
      await this.#endSession(session, { kill: true });
      throw error;
    } finally {
      session.files += 1;
      // A new web process every few files (WebKitGTK's wears out: test/wtr-engines.mjs).
      if (session.files >= this.#every) await this.#endSession(session);
    }
  }

  /** The end of the run: the session, its driver and the X server. @override */
  async stop() {
    const creating = this.#creating;
    // A session still being created is ended once it is (creation is bounded).
    const late = creating ? await creating.catch(() => undefined) : undefined;
    if (late) await this.#endSession(late);
    if (this.#session) await this.#endSession(this.#session);
    const { drivers, leftovers } = await this.#drivers.close();
    if (drivers > 0) {
      const { sessions, restarts, killed } = this.#counts;
      this.#log(
        `[webkit] ${sessions} browser sessions on ${drivers} WebKitWebDriver processes (${restarts} restarts, ${killed} killed for not answering), ` +
          `all stopped with the X server; left running: ${leftovers.length ? leftovers.join(', ') : 'none'}` +
          (this.#drivers.logPath ? ` (log: ${this.#drivers.logPath})` : ''),
      );
    }
  }

  /** @override */
  async startDebugSession() {
    throw new Error('WebKit: debug sessions are not supported by this launcher');
  }

  /** @returns {Promise<LiveSession>} */
  async #createSession() {
    const { newSessionMs } = this.#timeouts;
    let lastError;
    for (let attempt = 1; attempt <= this.#attempts; attempt += 1) {
      const next = attempt < this.#attempts ? `: restarted WebKitWebDriver (attempt ${attempt + 1}/${this.#attempts})` : '';
      let driver;
      try {
        driver = await this.#drivers.start();
      } catch (error) {
        lastError = error;
        this.#log(`[webkit] ${firstLine(error)}${next || ': gave up'}`);
        if (next) this.#counts.restarts += 1;
        continue;
      }
      // Each attempt gets its own copy: webdriverio fills in what it negotiated.
      const options = { ...structuredClone(this.options), port: driver.port };
      const opening = this.#connect(/** @type {any} */ (options));
      const outcome = await settleWithin(opening, newSessionMs);
      if (outcome.ok) {
        const browser = outcome.value;
        const session = { driver, browser, manager: new BoundedSessionManager(browser, this.config ?? {}, this.#timeouts.commandMs, this.#log), files: 0, ended: false };
        this.#session = session;
        this.driver = browser;
        this.driverManager = /** @type {any} */ (session.manager);
        this.#counts.sessions += 1;
        return session;
      }
      // Abandoned: whatever this attempt settles to later is dropped. Its session lived in the driver
      // killed below, and the next attempt's driver listens on a port never used before.
      opening.catch(() => {});
      lastError = outcome.error ?? new Error(`no answer within ${seconds(newSessionMs)}`);
      await driver.stop();
      if (next) this.#counts.restarts += 1;
      this.#log(
        outcome.timedOut
          ? `[webkit] new session did not answer in ${seconds(newSessionMs)}${next || ': gave up'}`
          : `[webkit] new session failed (${firstLine(outcome.error)})${next || ': gave up'}`,
      );
    }
    throw new WebKitSessionError(
      `WebKit: no browser session after ${this.#attempts} attempts, each on a new WebKitWebDriver (last: ${firstLine(lastError)}); ` +
        `the next test file tries again${this.#drivers.logPath ? `; driver output: ${this.#drivers.logPath}` : ''}`,
      lastError,
    );
  }

  /**
   * Ends one session (the current one or an older one): deletes it, bounded, then stops its driver
   * and whatever browser processes are left. `kill` skips the delete (the browser stopped answering).
   * @param {LiveSession} session
   */
  async #endSession(session, { kill = false } = {}) {
    if (session.ended) return;
    session.ended = true;
    if (this.#session === session) {
      this.#session = undefined;
      this.driver = undefined;
      this.driverManager = undefined;
    }
    if (!kill) {
      const { deleteSessionMs } = this.#timeouts;
      const outcome = await settleWithin(session.browser.deleteSession(), deleteSessionMs);
      if (!outcome.ok) {
        this.#log(
          outcome.timedOut
            ? `[webkit] ending the browser session did not answer in ${seconds(deleteSessionMs)}: killed WebKitWebDriver and its browser`
            : `[webkit] ending the browser session failed (${firstLine(outcome.error)}): killed WebKitWebDriver and its browser`,
        );
        kill = true;
      }
    }
    if (kill) this.#counts.killed += 1;
    await session.driver.stop();
  }
}
