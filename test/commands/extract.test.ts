import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runExtract } from '../../src/commands/extract.js';
import { exitCode } from '../helpers/run-hark.js';
import { featureCacheDir } from '../../src/store/feature-cache.js';
import { captureIO } from '../helpers/capture-io.js';
import { demoCollection, tempDir } from '../helpers/fixtures.js';

const cached = (store: string) => readdirSync(featureCacheDir(store)).filter((f) => f.endsWith('.vec')).length;

test('two extraction shards each cache their share of the recordings, and together all of them', async () => {
  const { dir: media } = demoCollection({ files: 5, seconds: 12 });
  const store = join(tempDir(), 'store');
  const first = captureIO();
  assert.equal(await runExtract({ media, store, shard: '0/2', workers: 1 }, first.io), 0, first.text.err);
  const share = cached(store);
  assert.ok(share >= 2 && share <= 3, `shard 0/2 cached ${share} of 5 recordings`);
  assert.match(first.text.out, /^Features of shard 0\/2: \d of 5 recordings, .* with 1 worker \(\d+x real time\)/);
  assert.match(first.text.err, /features: \d\/\d recordings/, 'progress on stderr');
  const previous = process.env.SLURM_ARRAY_TASK_ID;
  process.env.SLURM_ARRAY_TASK_ID = '1';
  try {
    const second = captureIO();
    assert.equal(await runExtract({ media, store, shard: 'auto', shards: 2, workers: 1 }, second.io), 0, second.text.err);
    assert.match(second.text.out, /shard 1\/2: \d of 5 recordings/);
  } finally {
    if (previous === undefined) delete process.env.SLURM_ARRAY_TASK_ID;
    else process.env.SLURM_ARRAY_TASK_ID = previous;
  }
  assert.equal(cached(store), 5);
});

test('a malformed --shard is one line and exit code 1, before anything is scanned', async () => {
  const { io, text } = captureIO();
  assert.equal(await exitCode(runExtract({ media: tempDir(), shard: '3/2' }, io), io), 1);
  assert.equal(text.err, 'hark: --shard 3/2: the index must be from 0 to 1.\n');
});
