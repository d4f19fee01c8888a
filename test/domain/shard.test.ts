import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseShard, resolveShard, shardFromEnv, shardOf } from '../../src/domain/shard.js';

test('--shard 2/8 names the third of eight shares, and a typo is refused with the form to use', () => {
  assert.deepEqual(parseShard('2/8'), { index: 2, count: 8 });
  assert.deepEqual(parseShard(' 0 / 1 '), { index: 0, count: 1 });
  assert.throws(() => parseShard('8/8'), /index must be from 0 to 7/);
  assert.throws(() => parseShard('1/0'), /1 or more/);
  assert.throws(() => parseShard('two'), /INDEX\/COUNT/);
});

test('every recording lands in exactly one shard, and the shards hold nearly equal hours', () => {
  const hours = [5, 1, 1, 1, 1, 1, 4, 2, 3, 3, 0.5, 0.5];
  const shards = [0, 1, 2].map((index) => shardOf(hours, { index, count: 3 }));
  assert.deepEqual(shards.flat().sort((a, b) => a - b), [...hours.keys()]);
  const totals = shards.map((s) => s.reduce((sum, i) => sum + hours[i], 0));
  assert.ok(Math.max(...totals) - Math.min(...totals) <= Math.max(...hours), `totals ${totals}`);
  for (const s of shards) assert.deepEqual(s, [...s].sort((a, b) => a - b), 'each shard keeps the collection order');
  assert.deepEqual(shardOf(hours, { index: 1, count: 3 }), shards[1], 'the same split on every machine');
});

test('more shards than recordings leaves the extra shards with nothing to do', () => {
  assert.deepEqual(shardOf([2, 1], { index: 2, count: 3 }), []);
  assert.deepEqual(shardOf([2, 1], { index: 0, count: 1 }), [0, 1]);
});

test('--shard auto takes the index from a Slurm array job or a Kubernetes Indexed Job', () => {
  assert.deepEqual(shardFromEnv({ SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_MAX: '3' }), { index: 3, count: 4 });
  assert.deepEqual(shardFromEnv({ JOB_COMPLETION_INDEX: '5', HARK_SHARDS: '8' }), { index: 5, count: 8 });
  assert.deepEqual(resolveShard('auto', { JOB_COMPLETION_INDEX: '1' }, 2), { index: 1, count: 2 });
  assert.deepEqual(resolveShard('1/2', {}), { index: 1, count: 2 });
});

test('rerunning one Slurm task alone (an array of one) asks for the shard count instead of guessing 1', () => {
  const rerun = { SLURM_ARRAY_TASK_ID: '5', SLURM_ARRAY_TASK_COUNT: '1', SLURM_ARRAY_TASK_MIN: '5', SLURM_ARRAY_TASK_MAX: '5' };
  assert.throws(() => shardFromEnv(rerun), /--shards N or set HARK_SHARDS/);
  assert.deepEqual(shardFromEnv({ ...rerun, HARK_SHARDS: '16' }), { index: 5, count: 16 });
  assert.throws(() => shardFromEnv({}), /SLURM_ARRAY_TASK_ID/);
  assert.throws(() => shardFromEnv({ JOB_COMPLETION_INDEX: '4', HARK_SHARDS: '4' }), /from 0 to 3/);
});
