#!/usr/bin/env node
// The Node versions the package claims (package.json `engines`), and the binaries the packed-tarball
// check (test/package/) runs the emulator and the route with.
//
// `engines.node` is ">=22": the supported release lines are every even major from 22 on (odd majors
// live six months and are never LTS). NODE_MAJORS lists those released so far; its first entry must be
// the engines minimum, which test/package/ checks. Binaries come from the npm packages
// `node-<platform>-<arch>` (the official builds, no install script), one folder per major under
// .tmp/node-versions/. Running this file installs the missing ones (from the npm cache when it has them,
// else from the registry, like `npm install` does for dependencies); the tests themselves never fetch.
//
//   node scripts/node-versions.mjs          install what is missing, print each binary and its version
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Even majors from the engines minimum up to the newest release line. */
export const NODE_MAJORS = [22, 24, 26];

const root = resolve(import.meta.dirname, '..');
const folder = (major) => join(root, '.tmp', 'node-versions', String(major));
const platformPackage = `node-${process.platform}-${process.arch}`;

/** Where the binary of `major` is (it may not be installed yet). */
export function nodeBinary(major) {
  return join(folder(major), 'node_modules', platformPackage, 'bin', 'node');
}

/** The version `binary` reports, or null when it does not run. */
export function versionOf(binary) {
  if (!existsSync(binary)) return null;
  const result = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : null;
}

/** Installs the binary of `major` unless the one there already is of that major. */
function ensure(major) {
  const present = versionOf(nodeBinary(major));
  if (present?.startsWith(`v${major}.`)) return present;
  mkdirSync(folder(major), { recursive: true });
  writeFileSync(join(folder(major), 'package.json'), '{ "private": true }\n');
  console.log(`[node-versions] installing ${platformPackage}@${major} into ${folder(major)}…`);
  const result = spawnSync(
    'npm',
    ['install', `${platformPackage}@${major}`, '--prefer-offline', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--ignore-scripts'],
    { cwd: folder(major), stdio: 'inherit' },
  );
  const installed = versionOf(nodeBinary(major));
  if (result.status !== 0 || !installed?.startsWith(`v${major}.`)) {
    throw new Error(`could not install Node ${major} (${platformPackage}@${major}); the packed-tarball check needs it`);
  }
  return installed;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    for (const major of NODE_MAJORS) console.log(`[node-versions] Node ${major}: ${ensure(major)} (${nodeBinary(major)})`);
  } catch (error) {
    console.error(`[node-versions] ${error.message}`);
    process.exit(1);
  }
}
