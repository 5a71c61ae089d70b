// The browser runner's shards (scripts/test-shards.mjs): the file list is the config's, every file lands
// in exactly one shard, and shards come out even on the times of the last run.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import fastGlob from 'fast-glob';
import { listTestFiles, planShards, previousTimes } from '../../scripts/test-shards.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('browser test shards', () => {
  it('list the files web-test-runner.config.mjs runs', async () => {
    // (A path held in a variable: the config is JavaScript without types.)
    const configPath: string = '../../web-test-runner.config.mjs';
    const config = (await import(configPath)).default as { files: string[] };
    const patterns = config.files.filter((p) => !p.startsWith('!'));
    const ignore = config.files.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
    const expected = (await fastGlob(patterns, { cwd: root, ignore })).sort();
    assert.ok(expected.length > 50);
    assert.deepEqual(listTestFiles(root), expected);
  });

  it('put every file in exactly one shard, the longest first into the lightest', () => {
    const files = ['a', 'b', 'c', 'd', 'e', 'f'];
    const times = new Map([['a', 60], ['b', 50], ['c', 40], ['d', 30], ['e', 20], ['f', 10]]);
    const shards = planShards(files, times, 2);
    assert.deepEqual(shards.flat().sort(), files);
    const cost = shards.map((shard) => shard.reduce((sum, file) => sum + times.get(file)!, 0));
    assert.ok(Math.abs(cost[0]! - cost[1]!) <= 10, `even: ${cost}`);
    // Never more shards than files, and files never timed count as the median.
    assert.equal(planShards(['x'], new Map(), 3).length, 1);
    assert.deepEqual(planShards(['x', 'y', 'z'], new Map(), 3).map((s) => s.length), [1, 1, 1]);
  });

  it('plan on the last run over the committed baseline; a missing or broken report adds nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'charivo-times-'));
    try {
      const baseline = join(dir, 'baseline.json');
      const last = join(dir, 'last.json');
      const broken = join(dir, 'broken.json');
      writeFileSync(baseline, JSON.stringify({ files: [{ file: 'a', wallMs: 10 }, { file: 'b', wallMs: 20 }] }));
      writeFileSync(last, JSON.stringify({ files: [{ file: 'b', wallMs: 5 }, { file: 'c', wallMs: 'slow' }] }));
      writeFileSync(broken, '{"files": [');
      const times = previousTimes(baseline, join(dir, 'none.json'), broken, last);
      assert.deepEqual([...times].sort(), [['a', 10], ['b', 5]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a fresh clone has a measured time for most files in every engine (test/engine-times/)', () => {
    const files = listTestFiles(root);
    for (const engine of ['chromium', 'firefox', 'webkit']) {
      const times = previousTimes(join(root, 'test', 'engine-times', `${engine}.json`));
      const timed = files.filter((file) => times.has(file)).length;
      assert.ok(timed >= files.length * 0.9, `${engine}: ${timed} of ${files.length} files timed; refresh it from .tmp/engine-times/ after a full run`);
    }
  });
});

