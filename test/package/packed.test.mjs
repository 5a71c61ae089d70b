// The package as an app developer meets it: `npm pack`, then the tarball installed into a throwaway app
// in a temp folder (offline, from the npm cache: test/package/throwaway-app.mjs), and checked there:
//
//   - what the tarball carries: every `exports` target (the map is iterated, so new entries are covered),
//     the `typesVersions` mirror of it, the bin, the docs, the Angular example, the LICENSE;
//   - every relative link of its Markdown resolves inside the package (and its #anchor to a heading);
//   - the install under the lowest Node it claims prints no EBADENGINE;
//   - a TypeScript consumer type-checks against the shipped .d.ts (bundler, nodenext, node10);
//   - under every Node it claims (scripts/node-versions.mjs): the installed bin starts the emulator, every
//     entry imports, and the package's route mints bootstraps for a WebSocket turn and a WebRTC call;
//   - README.md's script-tag sizes match the build.
//
// Needs `npm run build` and `node scripts/node-versions.mjs` first (`npm run test:package` runs both).
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { NODE_MAJORS, nodeBinary, versionOf } from '../../scripts/node-versions.mjs';
import { measure, readmeDrift } from '../../scripts/script-sizes.mjs';
import { run, writeApp } from './throwaway-app.mjs';
import { brokenLinks } from './markdown-links.mjs';

const repo = resolve(import.meta.dirname, '../..');
const manifest = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
const NAME = manifest.name;

/** `exports` as [subpath, { types?, import?, file? }]. */
const entries = Object.entries(manifest.exports).map(([subpath, target]) => [
  subpath,
  typeof target === 'string' ? { file: target } : Object.fromEntries(['types', 'import'].filter((key) => target[key]).map((key) => [key, target[key]])),
]);
const specifier = (subpath) => (subpath === '.' ? NAME : `${NAME}/${subpath.slice(2)}`);
/** Entries Node imports (an `import` condition); script-tag bundles and JSON are plain files. */
const importable = entries.filter(([, t]) => t.import).map(([subpath]) => specifier(subpath));
const typed = entries.filter(([, t]) => t.types).map(([subpath]) => specifier(subpath));

/** The npm CLI, to run it with another Node than the one on PATH. */
function npmCli() {
  const which = spawnSync('which', ['npm'], { encoding: 'utf8' }).stdout.trim();
  const cli = join(dirname(realpathSync(which)), 'npm-cli.js');
  assert.ok(existsSync(cli), `npm-cli.js not found beside ${which}`);
  return cli;
}

describe('the packed package in a throwaway app', { timeout: 240_000 }, () => {
  let dir;
  let app;
  let files;
  let install;
  let typecheck;
  const lowest = NODE_MAJORS[0];

  before(async () => {
    for (const [subpath, target] of entries) {
      for (const path of Object.values(target)) {
        assert.ok(existsSync(join(repo, path)), `${subpath} → ${path} is missing: run npm run build first`);
      }
    }
    for (const major of NODE_MAJORS) {
      assert.ok(versionOf(nodeBinary(major))?.startsWith(`v${major}.`), `Node ${major} is missing: run node scripts/node-versions.mjs`);
    }
    dir = mkdtempSync(join(tmpdir(), 'charivo-packed-'));
    app = join(dir, 'app');
    const packed = JSON.parse((await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: repo })).stdout)[0];
    files = packed.files.map((f) => f.path);
    spawnSync('mkdir', ['-p', app]);
    copyFileSync(join(dir, packed.filename), join(app, packed.filename));
    writeApp(app, packed.filename, JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8')));
    copyFileSync(join(import.meta.dirname, 'app-smoke.mjs'), join(app, 'app-smoke.mjs'));
    // Installed by npm running on the lowest Node the package claims, from the cache only.
    const node = nodeBinary(lowest);
    const env = { ...process.env, PATH: `${dirname(node)}:${process.env.PATH}`, npm_config_update_notifier: 'false' };
    install = await run(node, [npmCli(), 'ci', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: app, env }).catch((error) => {
      if (/ENOTCACHED/.test(error.message)) {
        throw new Error(`a dependency is not in the npm cache: run npm install in the repository first\n${error.message}`);
      }
      throw error;
    });
    // The type check runs beside the Node checks below (it is the slow part).
    typecheck = run(process.execPath, [join(import.meta.dirname, 'consumer.mjs'), app, repo, JSON.stringify(typed)], { timeoutMs: 180_000 }).then(
      ({ stdout }) => JSON.parse(stdout),
    );
    typecheck.catch(() => {});
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(`claims the Node it needs: engines ${manifest.engines.node}, the lowest tested major`, () => {
    const minimum = Number(/^>=\s*(\d+)/.exec(manifest.engines.node)?.[1]);
    assert.equal(minimum, lowest, 'scripts/node-versions.mjs NODE_MAJORS must start at the engines minimum');
    // openai (through @openai/agents-core) requires Node 22: a lower claim would print EBADENGINE.
    const openai = JSON.parse(readFileSync(join(app, 'node_modules', 'openai', 'package.json'), 'utf8'));
    assert.match(openai.engines.node, /^>=\s*22/);
    assert.doesNotMatch(`${install.stdout}\n${install.stderr}`, /EBADENGINE/);
  });

  it('carries every exports target, its typesVersions mirror, the bin, the docs, the example and the LICENSE', () => {
    for (const [subpath, target] of entries) {
      for (const path of Object.values(target)) assert.ok(files.includes(path.slice(2)), `${subpath}: ${path} not in the tarball`);
    }
    const typesVersions = manifest.typesVersions['*'];
    const mirrored = Object.fromEntries(
      entries.filter(([subpath, t]) => t.types && subpath !== '.').map(([subpath, t]) => [subpath.slice(2), [t.types.slice(2)]]),
    );
    assert.deepEqual(typesVersions, mirrored, 'typesVersions must map every typed subpath of exports to the same .d.ts');
    assert.equal(manifest.types, manifest.exports['.'].types);
    for (const bin of Object.values(manifest.bin)) assert.ok(files.includes(bin.replace(/^\.\//, '')), `bin ${bin}`);
    for (const file of ['LICENSE', 'README.md', 'CHANGELOG.md', 'docs/frameworks.md', 'docs/architecture.md', 'examples/angular/README.md', 'examples/angular/charivo-voice.component.ts', 'examples/angular/main.ts']) {
      assert.ok(files.includes(file), `${file} not in the tarball`);
    }
    assert.match(readFileSync(join(app, 'node_modules', NAME, 'LICENSE'), 'utf8'), /^MIT License/);
    assert.equal(manifest.license, 'MIT');
    const stray = files.filter((f) => /(^|\/)test\/|\.test\.|(^src\/.*\.ts$)|^\.tmp\//.test(f));
    assert.deepEqual(stray, [], 'no tests or TypeScript sources in the tarball');
  });

  it('links only to what it carries: every relative link of its Markdown resolves inside the package', () => {
    const broken = brokenLinks(files, (path) => readFileSync(join(app, 'node_modules', NAME, path), 'utf8'));
    assert.deepEqual(broken, []);
  });

  for (const major of NODE_MAJORS) {
    it(`Node ${major}: the installed bin starts the emulator; every entry imports; the route mints; a WebSocket turn and a WebRTC call run`, async () => {
      const node = nodeBinary(major);
      const emulator = await startBin(node, app);
      try {
        const { stdout } = await run(node, ['app-smoke.mjs', emulator.url, JSON.stringify(importable)], { cwd: app, timeoutMs: 60_000 });
        const seen = JSON.parse(stdout.trim().split('\n').at(-1));
        assert.match(seen.node, new RegExp(`^v${major}\\.`));
        for (const entry of importable) assert.ok(seen.imported[entry] > 0, `${entry} imported with exports`);
        assert.match(seen.transcript, new RegExp(`You said "hello from Node v${major}\\.`));
        assert.equal(seen.webrtcFirstEvent, 'session.created');
      } finally {
        assert.equal(await emulator.stop(), 0, 'the emulator exits cleanly on SIGTERM');
      }
    });
  }

  it('ships the script-tag files as parseable modules (their sessions run in test/browser/script-tag/)', async () => {
    const node = nodeBinary(lowest);
    for (const [subpath, target] of entries.filter(([, t]) => t.file?.endsWith('.js'))) {
      await run(node, ['--check', join(app, 'node_modules', NAME, target.file)]).catch((error) => assert.fail(`${subpath}: ${error.message}`));
    }
  });

  it("README.md's script-tag sizes are those the build measures (±5 %)", () => {
    assert.deepEqual(readmeDrift(measure()), [], 'run node scripts/script-sizes.mjs --write');
  });


  // Last: it started in before() and ran beside the checks above.
  it('type-checks a TypeScript consumer against the shipped .d.ts (bundler, nodenext, node10 via typesVersions)', async () => {
    const results = await typecheck;
    for (const [resolution, { errors, checkedFiles }] of Object.entries(results)) {
      assert.deepEqual(errors, [], `${resolution}: ${errors.join('\n')}`);
      assert.ok(checkedFiles >= 1, resolution);
    }
    assert.ok(results.bundler.checkedFiles > typed.length, 'the package\'s own .d.ts files were checked');
  });
});

/** Starts `charivo-emulator --port 0` from the app's node_modules/.bin with `node`; resolves with its URL. */
function startBin(node, appDir) {
  const child = spawn(node, [join(appDir, 'node_modules', '.bin', 'charivo-emulator'), '--port', '0'], { cwd: appDir, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  let output = '';
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Error(`the emulator did not start within 30 s:\n${output}`)), 30_000);
    const onData = (chunk) => {
      output += chunk;
      const match = /listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolveStart({
          url: match[1],
          stop: () => {
            child.kill('SIGTERM');
            return exited;
          },
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => (output += chunk));
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the emulator exited (${code}) before listening:\n${output}`));
    });
  });
}

