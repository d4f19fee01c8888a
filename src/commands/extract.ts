import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openCollection } from '../collection/open-collection.js';
import { extractShard } from '../collection/extract-shard.js';
import { formatShard, resolveShard } from '../domain/shard.js';
import { defaultWorkerCount } from '../audio/features/extract-pool.js';
import { formatClock } from '../format/time-format.js';
import { reportScanProblems, scanProgress, userCommand, type CommandIO } from './command-io.js';
import { extractProgress } from './extract-progress.js';

export interface ExtractOptions {
  media: string;
  store?: string;
  /** "i/n" (i from 0) or "auto" (from Slurm's or Kubernetes' environment); default: the whole collection */
  shard?: string;
  /** with --shard auto, when the scheduler does not say how many shards there are */
  shards?: number;
  workers?: number;
}

/**
 * `hark extract`: computes the feature cache apply and the labeler read, for the whole collection or one shard of
 * it, so a large archive can be prepared on many machines that share the store's folder.
 */
export const runExtract = userCommand(async (opts: ExtractOptions, io: Pick<CommandIO, 'out' | 'err'>): Promise<number> => {
  const shard = resolveShard(opts.shard ?? '0/1', process.env, opts.shards);
  const started = Date.now();
  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort();
  process.once('SIGINT', onSigint);
  // shards running at once only read the store: the first command that names the media folder creates it
  const exists = opts.store !== undefined && existsSync(join(opts.store, 'hark.json'));
  const collection = await openCollection({ media: opts.media, store: opts.store, readOnly: exists, onScanProgress: scanProgress(io.err) });
  try {
    reportScanProblems(collection.problems, io.err);
    const workers = opts.workers ?? defaultWorkerCount();
    const done = await extractShard(collection, shard, { workers, onProgress: extractProgress(io.err), signal: interrupt.signal }).catch((err) => {
      if (!interrupt.signal.aborted) throw err;
      io.err.write('\nInterrupted. Features extracted so far are cached: run the same command again to continue.\n');
      return undefined;
    });
    if (!done) return 130;
    for (const [path, reason] of done.failed) io.err.write(`Could not read ${path}: ${reason}\n`);
    const seconds = (Date.now() - started) / 1000;
    io.out.write(
      `Features of shard ${formatShard(shard)}: ${done.files} of ${collection.files.length} recordings, ${formatClock(done.seconds)} of audio, ` +
        `in ${formatClock(seconds)} with ${workers} worker${workers === 1 ? '' : 's'} (${Math.round(done.seconds / Math.max(seconds, 1e-3))}x real time), ` +
        `cached in ${collection.store.dir}.\n`,
    );
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
    collection.store.close();
  }
});
