// The browser runner's shards (scripts/test-shards.mjs): the file list is the config's, every file lands
// in exactly one shard, and shards come out even on the times of the last run.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import fastGlob from 'fast-glob';
import { listTestFiles, planShards } from '../../scripts/test-shards.mjs';

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
});
