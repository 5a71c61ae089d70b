#!/usr/bin/env node
// Makes a fresh machine ready for `npm start` / `npm test` using only Node and npm.
// Dependency-free on purpose: it runs before node_modules exists.
//   --deps     install dependencies when node_modules is missing or older than the lockfile
//   --browser  make sure a Chromium or Chrome is available (apt-get as root, else explain CHROME_PATH)
//   --engines  make sure every test engine is there: Chromium, Firefox ESR and WebKitGTK (with
//              WebKitWebDriver and Xvfb), all Debian packages (apt-get as root, else explain)
//   --redis    make sure redis-server is available (the shared rate-limit test starts its own; apt-get as root)
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENGINE_PACKAGES, ENGINES, locateEngine } from './engines.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const stamp = join(root, 'node_modules', '.charivo-installed');

function run(cmd, cmdArgs, options = {}) {
  const result = spawnSync(cmd, cmdArgs, { stdio: 'inherit', cwd: root, ...options });
  return result.status === 0;
}

function depsAreCurrent() {
  if (!existsSync(join(root, 'node_modules')) || !existsSync(stamp)) return false;
  const lock = join(root, 'package-lock.json');
  const manifest = join(root, 'package.json');
  const installedAt = statSync(stamp).mtimeMs;
  return [lock, manifest].every((file) => !existsSync(file) || statSync(file).mtimeMs <= installedAt);
}

function ensureDeps() {
  if (depsAreCurrent()) return;
  // `npm install`, not `npm ci`: with this machine's npmrc (omit-lockfile-registry-resolved) npm leaves
  // other platforms' optional packages out of the lockfile, and `npm ci` then refuses the lockfile as
  // out of sync. `npm install` still installs the locked versions.
  console.log('[ensure] installing dependencies (npm install)…');
  const ok = run('npm', ['install', '--no-audit', '--no-fund']);
  if (!ok) {
    console.error('[ensure] dependency install failed; see the npm output above.');
    process.exit(1);
  }
  writeFileSync(stamp, new Date().toISOString() + '\n');
}

/**
 * Installs the Debian packages of the engines that are missing (one apt-get for all), as root; otherwise
 * says what to install and exits. Nothing downloads a browser by itself.
 * @param {Array<'chromium' | 'firefox' | 'webkit'>} engines
 */
function ensureEngines(engines) {
  let missing = engines.filter((engine) => !locateEngine(engine).ok);
  if (missing.length === 0) return;
  const packages = [...new Set(missing.flatMap((engine) => ENGINE_PACKAGES[engine]))];
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    console.log(`[ensure] missing ${missing.join(', ')}; installing Debian packages: ${packages.join(' ')}…`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const ok =
      run('apt-get', ['update', '-qq'], { env }) &&
      run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { env });
    missing = engines.filter((engine) => !locateEngine(engine).ok);
    if (ok && missing.length === 0) return;
    console.error(`[ensure] apt-get could not install ${missing.join(', ')}.`);
  }
  for (const engine of missing) {
    const { missing: parts } = locateEngine(engine);
    console.error(
      `[ensure] ${engine} not found (missing ${parts.join(', ')}). Install it: ` +
        `sudo apt-get install --no-install-recommends ${ENGINE_PACKAGES[engine].join(' ')}` +
        (engine === 'chromium' ? ' (or set CHROME_PATH to a Chromium or Chrome)' : '') +
        (engine === 'firefox' ? ' (or set FIREFOX_PATH)' : ''),
    );
  }
  const present = ENGINES.filter((engine) => locateEngine(engine).ok);
  if (present.length > 0 && engines.length > 1) {
    console.error(`[ensure] To test only in what is installed: npm run test:browser -- --browser ${present.join(',')}`);
  }
  process.exit(1);
}

function ensureRedis() {
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    console.log("[ensure] no redis-server found; installing Debian's redis-server with apt-get…");
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const ok =
      run('apt-get', ['update', '-qq'], { env }) &&
      run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'redis-server'], { env });
    if (ok && spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0) return;
    console.error('[ensure] apt-get could not install redis-server.');
  }
  console.error('[ensure] No redis-server found. Install one (Debian: `sudo apt-get install redis-server`), then run the command again.');
  process.exit(1);
}

if (args.has('--deps')) ensureDeps();
if (args.has('--engines')) ensureEngines([...ENGINES]);
else if (args.has('--browser')) ensureEngines(['chromium']);
if (args.has('--redis')) ensureRedis();
