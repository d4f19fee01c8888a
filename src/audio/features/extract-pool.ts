import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { MediaFile } from '../../domain/media.js';
import type { WindowGrid } from '../../domain/window-grid.js';
import { pruneFeatureCache, readCachedFeatureRows, readCachedFeatures, type FeatureKey } from '../../store/feature-cache.js';
import { rowsAt } from '../../ml/model.js';
import { siblingScript, startWorker } from '../../threads/start-worker.js';
import type { ExtractJob, ExtractReply } from './extract-job.js';
import { FEATURE_DIMS, FEATURE_VERSION } from './window-features.js';

export interface ExtractProgress {
  filesDone: number;
  filesTotal: number;
  /** seconds of audio whose vectors are ready (from the cache or just extracted) */
  secondsDone: number;
  secondsTotal: number;
  failed: number;
}

export interface ExtractOptions {
  /** where vectors are cached: featureCacheDir(store.dir) */
  cacheDir: string;
  /** extraction threads; default: one per core but one, at least one */
  workers?: number;
  /**
   * Raw vectors of one file, grid windows x FEATURE_DIMS; `saved` says whether they are also in the cache. Cached
   * vectors are read into destination(file) when given, and are only valid until the next call.
   */
  onFile(file: number, vectors: Float32Array, saved: boolean): void;
  /** where a file's cached vectors may be read straight into */
  destination?(file: number): Float32Array;
  /** only these rows of a file (ascending, counted from its first window) reach onFile: a pool's (labeling-pool.ts) */
  rows?(file: number): Int32Array;
  onFailed?(file: number, reason: string): void;
  onProgress?(progress: ExtractProgress): void;
}

export interface ExtractRun {
  /** settles once every file is extracted, failed, or the run is closed */
  done: Promise<void>;
  close(): Promise<void>;
}

export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism() - 1);
}

/** What a file's cached vectors are filed under: they are reused only while all of it matches. */
export function featureKey(files: readonly MediaFile[], grid: WindowGrid, f: number): FeatureKey {
  return {
    path: files[f].path,
    size: files[f].size,
    mtimeMs: files[f].mtimeMs,
    clip: grid.clip,
    windows: grid.offsets[f + 1] - grid.offsets[f],
    dims: FEATURE_DIMS,
    version: FEATURE_VERSION,
  };
}

/**
 * Feature vectors for every file of a collection: cached files are read back, the rest are decoded and extracted
 * by worker threads, one whole file per job. Resumable: whatever finished before a restart comes from the cache.
 */
export function extractFeatures(files: readonly MediaFile[], grid: WindowGrid, opts: ExtractOptions): ExtractRun {
  const progress: ExtractProgress = {
    filesDone: 0,
    filesTotal: files.length,
    secondsDone: 0,
    secondsTotal: files.reduce((s, f) => s + f.duration, 0),
    failed: 0,
  };
  const workers = new Set<Worker>();
  let closed = false;
  const keyOf = (f: number) => featureKey(files, grid, f);
  const finish = (f: number, reply: ExtractReply) => {
    if (reply.type === 'failed') {
      progress.failed++;
      opts.onFailed?.(f, reply.reason);
    } else {
      opts.onFile(f, reply.vectors, reply.saved);
    }
    progress.filesDone++;
    progress.secondsDone += files[f].duration;
    opts.onProgress?.({ ...progress });
  };

  const run = async () => {
    await pruneFeatureCache(opts.cacheDir);
    const pending: number[] = [];
    for (let f = 0; f < files.length && !closed; f++) {
      const rows = opts.rows?.(f);
      const into = opts.destination?.(f);
      const cached = await (rows ? readCachedFeatureRows(opts.cacheDir, keyOf(f), rows, into) : readCachedFeatures(opts.cacheDir, keyOf(f), into));
      if (cached) finish(f, { type: 'done', file: f, vectors: cached, saved: true });
      else pending.push(f);
    }
    const lanes = Math.min(opts.workers ?? defaultWorkerCount(), pending.length);
    await Promise.all(Array.from({ length: lanes }, () => lane(pending)));
  };

  /** One worker thread taking files off the shared queue until it is empty; a crashed worker is replaced. */
  const lane = async (pending: number[]): Promise<void> => {
    while (pending.length > 0 && !closed) {
      const worker = startWorker(siblingScript('extract-worker', import.meta.url));
      workers.add(worker);
      await new Promise<void>((resolve) => {
        let current = -1;
        const nextJob = () => {
          current = closed ? -1 : (pending.shift() ?? -1);
          if (current < 0) return void worker.terminate().then(() => resolve());
          const job: ExtractJob = { file: current, abs: files[current].abs, key: keyOf(current), cacheDir: opts.cacheDir };
          worker.postMessage(job);
        };
        worker.on('message', (reply: ExtractReply) => {
          const rows = reply.type === 'done' ? opts.rows?.(reply.file) : undefined;
          finish(reply.file, rows && reply.type === 'done' ? { ...reply, vectors: rowsAt(reply.vectors, FEATURE_DIMS, rows) as Float32Array } : reply);
          nextJob();
        });
        const fail = (reason: string) => {
          if (current >= 0 && !closed) finish(current, { type: 'failed', file: current, reason });
          current = -1;
        };
        worker.on('error', (err) => fail(err.message));
        worker.on('exit', () => {
          fail('the extraction thread stopped');
          workers.delete(worker);
          resolve();
        });
        nextJob();
      });
    }
  };

  return {
    done: run(),
    async close() {
      closed = true;
      await Promise.all([...workers].map((w) => w.terminate()));
    },
  };
}

/** extractFeatures to the end. An abort closes the run (what finished stays cached) and rejects with its reason. */
export async function extractAll(files: readonly MediaFile[], grid: WindowGrid, opts: ExtractOptions, signal?: AbortSignal): Promise<void> {
  const run = extractFeatures(files, grid, opts);
  const abort = () => void run.close();
  signal?.addEventListener('abort', abort, { once: true });
  try {
    await run.done;
  } finally {
    signal?.removeEventListener('abort', abort);
  }
  signal?.throwIfAborted();
}
