import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/fixtures.js';
import { assertSameOutputs } from '../helpers/same-outputs.js';
import { clusterFixture, installed, realTimeFigures, RECIPES, run } from '../helpers/sharded-run.js';

const skip = installed('parallel') ? false : 'GNU parallel is not installed here (CI installs it with .ci/start-slurm)';

test('the README GNU parallel recipe, run as local jobs, merges to exactly what one apply writes', { skip }, async (t) => {
  const dir = tempDir('hark-parallel-');
  const { media, store, env, hark } = await clusterFixture(dir);
  const output = run(join(RECIPES, 'parallel.sh'), [media, store, '3', '--jobs', '2'], { env, cwd: dir });
  const perShard = realTimeFigures(output);
  assert.equal(perShard.length, 3, output);
  // the recipe merges where a plain apply writes: the folder its last lines name
  const merged = /^Wrote (.*)\/ranges\.csv$/m.exec(output);
  assert.ok(merged, output);
  assert.ok(merged[1].startsWith(store), merged[1]);
  hark('apply', '--store', store, '--out', join(dir, 'whole')); // the features are cached by now: one plain apply
  assertSameOutputs(join(dir, 'whole'), merged[1]);
  t.diagnostic(`extraction per shard, x real time: ${perShard.join(', ')}`);
});

test('the README includes the GNU parallel recipe the test runs, word for word', () => {
  assert.ok(readFileSync('README.md', 'utf8').includes(readFileSync(join(RECIPES, 'parallel.sh'), 'utf8')));
});
