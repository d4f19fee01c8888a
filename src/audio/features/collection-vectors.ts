import { quantize } from '../../ml/quantize.js';
import { RunningStats, zScore } from '../../ml/z-score.js';
import { readCachedFeatures } from '../../store/feature-cache.js';
import type { MediaFile } from '../media.js';
import type { WindowGrid } from '../windows.js';
import { extractFeatures, featureKey, type ExtractProgress } from './extract-pool.js';
import { FEATURE_DIMS } from './window-features.js';

export interface CollectionVectors {
  /** grid.count x dims standardised, quantized vectors; the rows of files that could not be decoded are zeros */
  vectors: Int8Array;
  dims: number;
  /** file index -> why its audio could not be decoded */
  failed: Map<number, string>;
}

export interface CollectionVectorOptions {
  /** featureCacheDir(store.dir) */
  cacheDir: string;
  workers?: number;
  onProgress?(progress: ExtractProgress): void;
  /** stops extraction; what finished stays cached and the promise rejects with the signal's reason */
  signal?: AbortSignal;
}

/**
 * The standardised vectors of every window of a collection in one array, extracted in worker threads or read from
 * the feature cache. The statistics come from the files that decoded, so a broken file does not skew them.
 * Two passes over the cache, one for the statistics and one to standardise and quantize file by file, so the
 * Float32 vectors (71 MB at 100 hours) are never all in memory: only files the cache could not take are held.
 */
export async function collectionVectors(files: readonly MediaFile[], grid: WindowGrid, opts: CollectionVectorOptions): Promise<CollectionVectors> {
  const failed = new Map<number, string>();
  const stats = new RunningStats(FEATURE_DIMS);
  const unsaved = new Map<number, Float32Array>();
  const windowsOf = (f: number) => grid.offsets[f + 1] - grid.offsets[f];
  let longest = 0;
  for (let f = 0; f < files.length; f++) longest = Math.max(longest, windowsOf(f));
  const scratch = new Float32Array(longest * FEATURE_DIMS);
  const destination = (f: number) => scratch.subarray(0, windowsOf(f) * FEATURE_DIMS);
  const run = extractFeatures(files, grid, {
    cacheDir: opts.cacheDir,
    workers: opts.workers,
    destination,
    onFile: (f, v, saved) => {
      stats.add(v);
      if (!saved) unsaved.set(f, v);
    },
    onFailed: (f, reason) => failed.set(f, reason),
    onProgress: opts.onProgress,
  });
  const abort = () => void run.close();
  opts.signal?.addEventListener('abort', abort, { once: true });
  try {
    await run.done;
  } finally {
    opts.signal?.removeEventListener('abort', abort);
  }
  opts.signal?.throwIfAborted();
  const standard = stats.stats();
  const vectors = new Int8Array(grid.count * FEATURE_DIMS);
  for (let f = 0; f < files.length; f++) {
    if (failed.has(f)) continue;
    const raw = unsaved.get(f) ?? (await readCachedFeatures(opts.cacheDir, featureKey(files, grid, f), destination(f)));
    if (!raw) {
      failed.set(f, 'its cached features vanished while the collection was being read');
      continue;
    }
    quantize(zScore(raw, FEATURE_DIMS, standard, raw), vectors.subarray(grid.offsets[f] * FEATURE_DIMS, grid.offsets[f + 1] * FEATURE_DIMS));
  }
  return { vectors, dims: FEATURE_DIMS, failed };
}
