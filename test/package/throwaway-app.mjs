// A throwaway app that installs the packed tarball the way an app developer would, offline: its lockfile
// is the part of this repository's package-lock.json that the tarball's dependencies (plus the optional
// peers `ws` and `@roamhq/wrtc`, which the emulator needs) resolve to, so `npm ci --offline` takes every
// package from the local npm cache that installing this repository filled. Nothing is fetched.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The app's own dependencies besides the package: the optional peers its emulator needs. */
export const APP_PEERS = ['ws', '@roamhq/wrtc'];

/**
 * Runs `cmd args` in `cwd`; resolves with its output, rejects with it when the exit code is not 0.
 * @returns {Promise<{ stdout: string, stderr: string }>}
 */
export function run(cmd, args, { cwd, env, timeoutMs = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`${cmd} ${args.join(' ')} exited with ${code ?? signal}\n${stdout}\n${stderr}`));
    });
  });
}

/** The path of the package that `name`, required from the lockfile entry at `from`, resolves to. */
function resolveInLock(packages, from, name) {
  let base = from;
  for (;;) {
    const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!base) return undefined;
    base = base.replace(/\/?node_modules\/(@[^/]+\/)?[^/]+$/, '');
  }
}

/**
 * The lockfile entries (path → entry) that `names`, required by the app, need: each package and its
 * dependencies, optional ones included (npm skips those for other platforms), marked as the app's
 * production dependencies.
 */
function lockClosure(lock, names) {
  const packages = lock.packages;
  const out = {};
  const visit = (from, name, optional) => {
    const path = resolveInLock(packages, from, name);
    if (!path) {
      if (optional) return;
      throw new Error(`package-lock.json has no entry for ${name} (needed from ${from || 'the app'})`);
    }
    if (out[path]) return;
    const { dev, devOptional, peer, ...entry } = packages[path];
    out[path] = entry;
    for (const dep of Object.keys(entry.dependencies ?? {})) visit(path, dep, false);
    for (const dep of Object.keys(entry.optionalDependencies ?? {})) visit(path, dep, true);
    for (const [dep] of Object.entries(entry.peerDependencies ?? {})) {
      if (!entry.peerDependenciesMeta?.[dep]?.optional) visit(path, dep, false);
    }
  };
  for (const name of names) visit('', name, false);
  return out;
}

/**
 * Writes the app's package.json and package-lock.json into `dir` for `tarball` (a file in `dir`), using
 * `repoLock` (this repository's lockfile) for every other package.
 */
export function writeApp(dir, tarball, repoLock) {
  const manifest = readManifest(join(dir, tarball));
  const rangeOf = (name) => repoLock.packages[''].devDependencies?.[name] ?? repoLock.packages[''].dependencies?.[name];
  const dependencies = { [manifest.name]: `file:${tarball}`, ...Object.fromEntries(APP_PEERS.map((name) => [name, rangeOf(name)])) };
  const closure = lockClosure(repoLock, [...Object.keys(manifest.dependencies ?? {}), ...APP_PEERS]);
  const integrity = `sha512-${createHash('sha512').update(readFileSync(join(dir, tarball))).digest('base64')}`;
  const lock = {
    name: 'throwaway-app',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'throwaway-app', dependencies },
      [`node_modules/${manifest.name}`]: {
        version: manifest.version,
        resolved: `file:${tarball}`,
        integrity,
        license: manifest.license,
        dependencies: manifest.dependencies,
        peerDependencies: manifest.peerDependencies,
        peerDependenciesMeta: manifest.peerDependenciesMeta,
        bin: manifest.bin,
        engines: manifest.engines,
      },
      ...closure,
    },
  };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'throwaway-app', private: true, type: 'module', dependencies }, null, 2)}\n`);
  writeFileSync(join(dir, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
}

/** The package.json inside a packed tarball, read with `tar`. */
function readManifest(tarballPath) {
  return JSON.parse(readTarFile(tarballPath, 'package/package.json'));
}

/** One file of a .tgz, through the system `tar`. */
export function readTarFile(tarballPath, member) {
  const result = spawnSync('tar', ['-xzOf', tarballPath, member], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`tar could not read ${member} from ${tarballPath}: ${result.stderr}`);
  return result.stdout;
}
