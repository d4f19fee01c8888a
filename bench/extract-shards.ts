/**
 * Feature extraction as `hark extract` runs it: x real time over a generated collection (HARK_BENCH_MINUTES of
 * audio, default 20, in one-minute recordings) with 1 and 2 workers into an empty cache, and split into 2 shards
 * run one after the other with 1 worker each (what two machines would each do).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDemoCollection } from '../src/audio/demo-collection.js';
import { extractShard } from '../src/collection/extract-shard.js';
import { openCollection } from '../src/collection/open-collection.js';
import { featureCacheDir } from '../src/store/feature-cache.js';

const MINUTES = Number(process.env.HARK_BENCH_MINUTES ?? 20);
const work = mkdtempSync(join(tmpdir(), 'hark-bench-extract-'));
const round = (x: number, digits = 1) => Number(x.toFixed(digits));

try {
  const media = join(work, 'media');
  writeDemoCollection(media, { files: MINUTES, seconds: 60, seed: 3 });
  const collection = await openCollection({ media, store: join(work, 'store') });
  const timed = async (workers: number, index: number, count: number) => {
    const started = performance.now();
    const done = await extractShard(collection, { index, count }, { workers });
    const seconds = (performance.now() - started) / 1000;
    return { shard: `${index}/${count}`, workers, audio_minutes: round(done.seconds / 60), wall_seconds: round(seconds, 2), x_real_time: Math.round(done.seconds / seconds) };
  };
  const fresh = () => rmSync(featureCacheDir(collection.store.dir), { recursive: true, force: true });
  const runs = [];
  for (const workers of [1, 2]) {
    fresh();
    runs.push(await timed(workers, 0, 1));
  }
  fresh();
  for (const index of [0, 1]) runs.push(await timed(1, index, 2));
  collection.store.close();
  process.stdout.write(`${JSON.stringify({ bench: 'extract-shards', cores: availableParallelism(), load_average: round(loadavg()[0]), runs }, null, 2)}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
