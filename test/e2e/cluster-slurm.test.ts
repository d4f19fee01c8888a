import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { tempDir } from '../helpers/fixtures.js';
import { assertSameOutputs } from '../helpers/same-outputs.js';
import { clusterFixture, installed, realTimeFigures, RECIPES, run } from '../helpers/sharded-run.js';

const SHARDS = 4;
const nodeIdle = () => /idle|mixed|allocated/.test(spawnSync('sinfo', ['-h', '-N', '-o', '%T'], { encoding: 'utf8' }).stdout ?? '');
const skip = !installed('sbatch')
  ? 'Slurm is not installed here (CI installs and starts it with .ci/start-slurm)'
  : !nodeIdle()
    ? 'Slurm has no node taking jobs (start one with .ci/start-slurm)'
    : false;

test('the README Slurm array job, run on a real Slurm, merges to exactly what one apply writes', { skip }, async (t) => {
  const dir = tempDir('hark-slurm-');
  const { media, store, env, hark } = await clusterFixture(dir);
  const recipe = join(RECIPES, 'slurm-array.sh');
  const sbatch = (...args: string[]) => run('sbatch', ['--wait', `--array=0-${SHARDS - 1}`, '--cpus-per-task=1', `--chdir=${dir}`, recipe, ...args], { env, cwd: dir });
  const logs = () =>
    readdirSync(dir)
      .filter((f) => /^hark-\d+_\d+\.log$/.test(f))
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('');

  sbatch('extract', media, store);
  const perShard = realTimeFigures(logs());
  assert.equal(perShard.length, SHARDS, `every shard extracted its share:\n${logs()}`);
  hark('apply', '--store', store, '--fit');
  sbatch('apply', store);
  assert.equal(logs().match(/^Shard \d\/4: /gm)?.length, SHARDS, logs());
  hark('apply', '--store', store, '--merge', '--out', join(dir, 'merged'));
  hark('apply', '--store', store, '--out', join(dir, 'whole')); // the features are cached by now: one plain apply
  assertSameOutputs(join(dir, 'whole'), join(dir, 'merged'));
  t.diagnostic(`extraction per shard, x real time: ${perShard.join(', ')}`);
});

test('the README includes the Slurm recipe the cluster test runs, word for word', () => {
  assert.ok(readFileSync('README.md', 'utf8').includes(readFileSync(join(RECIPES, 'slurm-array.sh'), 'utf8')));
});
