import { quantize } from '../../ml/quantize.js';
import { featureStats, zScore } from '../../ml/z-score.js';
import type { MediaFile } from '../media.js';
import type { WindowGrid } from '../windows.js';
import { extractFeatures, type ExtractProgress } from './extract-pool.js';
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
 * The Float32 vectors are gathered in a resizable buffer that is shrunk to nothing once quantized, so at 100 hours
 * the 71 MB they take are returned to the system at once rather than whenever the garbage collector gets to them.
 */
export async function collectionVectors(files: readonly MediaFile[], grid: WindowGrid, opts: CollectionVectorOptions): Promise<CollectionVectors> {
  const bytes = grid.count * FEATURE_DIMS * Float32Array.BYTES_PER_ELEMENT;
  const staging = new ArrayBuffer(bytes, { maxByteLength: bytes });
  const vectors = new Float32Array(staging);
  const failed = new Map<number, string>();
  const rows = (f: number) => vectors.subarray(grid.offsets[f] * FEATURE_DIMS, grid.offsets[f + 1] * FEATURE_DIMS);
  const run = extractFeatures(files, grid, {
    cacheDir: opts.cacheDir,
    workers: opts.workers,
    destination: (f) => rows(f),
    onFile: (f, v) => {
      if (v.buffer !== vectors.buffer) vectors.set(v, grid.offsets[f] * FEATURE_DIMS);
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
  const decoded = files.map((_, f) => f).filter((f) => !failed.has(f));
  const sample = failed.size === 0 ? vectors : concat(decoded.map(rows));
  zScore(vectors, FEATURE_DIMS, featureStats(sample, FEATURE_DIMS), vectors);
  for (const f of failed.keys()) rows(f).fill(0);
  const quantized = quantize(vectors);
  staging.resize(0);
  return { vectors: quantized, dims: FEATURE_DIMS, failed };
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
