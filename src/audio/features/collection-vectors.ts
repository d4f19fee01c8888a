import { quantize } from '../../ml/quantize.js';
import { RunningStats, zScore, type FeatureStats } from '../../ml/z-score.js';
import { readCachedFeatureRows, readCachedFeatures } from '../../store/feature-cache.js';
import { poolFingerprint, readPoolVectors, writePoolVectors } from '../../store/pool-vectors.js';
import type { MediaFile } from '../../domain/media.js';
import type { WindowPool } from '../../domain/window-pool.js';
import type { WindowGrid } from '../../domain/window-grid.js';
import { extractFeatures, featureKey, type ExtractProgress } from './extract-pool.js';
import { FEATURE_DIMS } from './window-features.js';

export interface CollectionVectors {
  /**
   * grid.count x dims standardised, quantized vectors (the pool's size x dims with a pool); the rows of files that
   * could not be decoded are zeros
   */
  vectors: Int8Array;
  dims: number;
  /** file index -> why its audio could not be decoded */
  failed: Map<number, string>;
  /** the statistics the vectors were standardised with, which a model carries to score features made elsewhere */
  standard: FeatureStats;
}

export interface CollectionVectorOptions {
  /** featureCacheDir(store.dir) */
  cacheDir: string;
  workers?: number;
  onProgress?(progress: ExtractProgress): void;
  /** stops extraction; what finished stays cached and the promise rejects with the signal's reason */
  signal?: AbortSignal;
  /**
   * While a long extraction goes on, the vectors of the files done so far, so a model can rank them before the
   * rest is ready. Called each time another PARTIAL_STEP of the audio is done, once extraction has run for
   * `partialAfterMs` (default 5 s; a short extraction needs no partial model). The array is the one finally
   * returned, rewritten in place each time; `known` marks the windows with vectors.
   */
  onPartial?(partial: PartialVectors): void;
  partialAfterMs?: number;
  /**
   * Only the pool's windows, in the pool's order: only their vectors are read, and the statistics come from them (a
   * uniform sample of the collection). Every file is still extracted and cached, for apply.
   */
  pool?: WindowPool;
}

export interface PartialVectors {
  vectors: Int8Array;
  dims: number;
  known: Uint8Array;
  /** share of the collection's audio covered */
  share: number;
}

/** How much more of the audio must be ready before the next partial model. */
const PARTIAL_STEP = 0.25;

/**
 * The standardised vectors of every window of a collection in one array, extracted in worker threads or read from
 * the feature cache. The statistics come from the files that decoded, so a broken file does not skew them.
 * Two passes over the cache, one for the statistics and one to standardise and quantize file by file, so the
 * Float32 vectors (85 MB at 100 hours) are never all in memory: only files the cache could not take are held.
 * A pool's vectors are then kept beside the cache (pool-vectors.ts), and later starts read them in one go while the
 * recordings, their cache entries and the pool stay the same.
 */
export async function collectionVectors(files: readonly MediaFile[], grid: WindowGrid, opts: CollectionVectorOptions): Promise<CollectionVectors> {
  if (!opts.pool) return gatherVectors(files, grid, opts);
  const keys = files.map((_, f) => featureKey(files, grid, f));
  const fingerprint = poolFingerprint(keys, opts.pool.windows);
  const kept = await readPoolVectors(opts.cacheDir, fingerprint, keys, opts.pool.windows.length, FEATURE_DIMS);
  if (kept) {
    const seconds = files.reduce((s, f) => s + f.duration, 0);
    opts.onProgress?.({ filesDone: files.length, filesTotal: files.length, secondsDone: seconds, secondsTotal: seconds, failed: kept.failed.size });
    return { ...kept, dims: FEATURE_DIMS };
  }
  const gathered = await gatherVectors(files, grid, opts);
  writePoolVectors(opts.cacheDir, fingerprint, gathered, FEATURE_DIMS);
  return gathered;
}

/** collectionVectors() from the feature cache, extracting what it lacks. */
async function gatherVectors(files: readonly MediaFile[], grid: WindowGrid, opts: CollectionVectorOptions): Promise<CollectionVectors> {
  const failed = new Map<number, string>();
  const stats = new RunningStats(FEATURE_DIMS);
  const unsaved = new Map<number, Float32Array>();
  const { pool } = opts;
  // the rows kept, numbered within each file: the pool's, else all of them
  const rowsOf = pool ? (f: number) => pool.windows.subarray(pool.offsets[f], pool.offsets[f + 1]).map((w) => w - grid.offsets[f]) : undefined;
  const offsets = pool?.offsets ?? grid.offsets;
  const windowsOf = (f: number) => offsets[f + 1] - offsets[f];
  let longest = 0;
  for (let f = 0; f < files.length; f++) longest = Math.max(longest, windowsOf(f));
  // one buffer for the extraction's cache reads, one for standardising: a partial model may run during extraction
  const readBuffer = new Float32Array(longest * FEATURE_DIMS);
  const standardiseBuffer = new Float32Array(longest * FEATURE_DIMS);
  const vectors = new Int8Array(offsets[files.length] * FEATURE_DIMS);
  /** Standardises and quantizes a file's rows with the given statistics; false when its cached vectors vanished. */
  const standardise = async (f: number, standard: FeatureStats): Promise<boolean> => {
    let raw: Float32Array | undefined = standardiseBuffer.subarray(0, windowsOf(f) * FEATURE_DIMS);
    const stored = unsaved.get(f);
    if (stored) raw.set(stored);
    else if (rowsOf) raw = await readCachedFeatureRows(opts.cacheDir, featureKey(files, grid, f), rowsOf(f), raw);
    else raw = await readCachedFeatures(opts.cacheDir, featureKey(files, grid, f), raw);
    if (!raw) return false;
    quantize(zScore(raw, FEATURE_DIMS, standard, raw), vectors.subarray(offsets[f] * FEATURE_DIMS, offsets[f + 1] * FEATURE_DIMS));
    return true;
  };

  const started = performance.now();
  const done: number[] = [];
  let secondsDone = 0;
  let partialShare = 0;
  let partial: Promise<void> = Promise.resolve();
  let partialRunning = false;
  const secondsTotal = files.reduce((s, f) => s + f.duration, 0);
  const maybePartial = () => {
    const share = secondsTotal > 0 ? secondsDone / secondsTotal : 1;
    if (!opts.onPartial || partialRunning || share >= 1 || share < partialShare + PARTIAL_STEP) return;
    if (performance.now() - started < (opts.partialAfterMs ?? 5000)) return;
    partialRunning = true;
    partialShare = share;
    const ready = [...done];
    const standard = stats.stats();
    partial = (async () => {
      const known = new Uint8Array(offsets[files.length]);
      for (const f of ready) if (await standardise(f, standard)) known.fill(1, offsets[f], offsets[f + 1]);
      if (!opts.signal?.aborted) opts.onPartial?.({ vectors, dims: FEATURE_DIMS, known, share });
    })().finally(() => (partialRunning = false));
  };
  const run = extractFeatures(files, grid, {
    cacheDir: opts.cacheDir,
    workers: opts.workers,
    destination: (f) => readBuffer.subarray(0, windowsOf(f) * FEATURE_DIMS),
    rows: rowsOf,
    onFile: (f, v, saved) => {
      stats.add(v);
      if (!saved) unsaved.set(f, v);
      done.push(f);
      secondsDone += files[f].duration;
      maybePartial();
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
  await partial;
  const standard = stats.stats();
  for (let f = 0; f < files.length; f++) {
    if (failed.has(f)) continue;
    if (await standardise(f, standard)) continue;
    failed.set(f, 'its cached features vanished while the collection was being read');
    vectors.fill(0, offsets[f] * FEATURE_DIMS, offsets[f + 1] * FEATURE_DIMS);
  }
  return { vectors, dims: FEATURE_DIMS, failed, standard };
}

/**
 * The cached raw feature vectors of some windows of a collection (for clips labeled outside a large collection's
 * pool, which collectionVectors does not read), in the order given; windows whose file has no cached features are
 * left out. Returns the rows and the windows they belong to.
 */
export async function cachedWindowRows(files: readonly MediaFile[], grid: WindowGrid, cacheDir: string, windows: readonly number[]): Promise<{ raw: Float32Array; windows: number[] }> {
  const byFile = new Map<number, number[]>();
  for (const w of new Set(windows)) {
    const f = grid.fileOf(w);
    const inFile = byFile.get(f);
    if (inFile) inFile.push(w);
    else byFile.set(f, [w]);
  }
  const rowOf = new Map<number, Float32Array>();
  for (const [f, ws] of byFile) {
    ws.sort((a, b) => a - b);
    const raw = await readCachedFeatureRows(cacheDir, featureKey(files, grid, f), Int32Array.from(ws, (w) => w - grid.offsets[f]));
    if (raw) ws.forEach((w, i) => rowOf.set(w, raw.subarray(i * FEATURE_DIMS, (i + 1) * FEATURE_DIMS)));
  }
  const found = windows.filter((w) => rowOf.has(w));
  const raw = new Float32Array(found.length * FEATURE_DIMS);
  found.forEach((w, i) => raw.set(rowOf.get(w)!, i * FEATURE_DIMS));
  return { raw, windows: found };
}
