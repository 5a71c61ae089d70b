#!/usr/bin/env node
// Makes a fresh machine ready for `npm start` / `npm test` using only Node and npm.
// Dependency-free on purpose: it runs before node_modules exists.
//   --deps     install dependencies when node_modules is missing or older than the lockfile
//   --browser  make sure a Chromium or Chrome is available (apt-get as root, else explain CHROME_PATH)
//   --redis    make sure redis-server is available (the shared rate-limit test starts its own; apt-get as root)
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findChrome } from './find-chrome.mjs';

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

function ensureBrowser() {
  if (findChrome()) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    console.log("[ensure] no Chromium found; installing Debian's chromium with apt-get…");
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const ok =
      run('apt-get', ['update', '-qq'], { env }) &&
      run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], { env });
    if (ok && findChrome()) return;
    console.error('[ensure] apt-get could not install chromium.');
  }
  console.error(
    '[ensure] No Chromium or Chrome found. Install one (Debian: `sudo apt-get install chromium`) ' +
      'or set CHROME_PATH to the browser executable, then run the command again.',
  );
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
if (args.has('--browser')) ensureBrowser();
if (args.has('--redis')) ensureRedis();
