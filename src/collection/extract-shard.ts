import { extractAll, type ExtractProgress } from '../audio/features/extract-pool.js';
import { buildWindowGrid } from '../domain/window-grid.js';
import { shardOf, type Shard } from '../domain/shard.js';
import { featureCacheDir } from '../store/feature-cache.js';
import type { Collection } from './open-collection.js';

export interface ExtractShardOptions {
  workers?: number;
  onProgress?(progress: ExtractProgress): void;
  /** stops extraction; what finished stays cached and the promise rejects with the signal's reason */
  signal?: AbortSignal;
}

export interface ExtractShardResult {
  /** recordings in this shard */
  files: number;
  /** seconds of audio in this shard */
  seconds: number;
  /** recording path -> why its audio could not be decoded */
  failed: Map<string, string>;
}

/**
 * Fills the store's feature cache for one shard of the collection (shardOf, balanced by duration), so machines
 * sharing the store's folder can split the extraction; recordings already cached are skipped, so a rerun of a
 * failed shard only does what is missing.
 */
export async function extractShard(collection: Collection, shard: Shard, opts: ExtractShardOptions = {}): Promise<ExtractShardResult> {
  const mine = shardOf(collection.files.map((f) => f.duration), shard).map((f) => collection.files[f]);
  const grid = buildWindowGrid(mine.map((f) => f.duration), collection.grid.clip);
  const failed = new Map<string, string>();
  await extractAll(mine, grid, {
    cacheDir: featureCacheDir(collection.store.dir),
    workers: opts.workers,
    onFile: () => {},
    onFailed: (f, reason) => failed.set(mine[f].path, reason),
    onProgress: opts.onProgress,
  }, opts.signal);
  return { files: mine.length, seconds: mine.reduce((s, f) => s + f.duration, 0), failed };
}
