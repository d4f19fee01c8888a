import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openCollection } from '../collection/open-collection.js';
import { extractShard } from '../collection/extract-shard.js';
import { formatShard, resolveShard } from '../domain/shard.js';
import { defaultWorkerCount } from '../audio/features/extract-pool.js';
import { formatClock } from '../format/time-format.js';
import { Command } from '@commander-js/extra-typings';
import { reportScanProblems, scanProgress, type CommandDefinition, type CommandIO } from './command-io.js';
import { extractProgress, FEATURES_KEPT } from './extract-progress.js';
import { positiveInteger, STORE_HELP } from './option-values.js';

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
export const extractCommand: CommandDefinition = (context) =>
  new Command('extract')
    .description('compute the feature cache of a collection, or of one shard of it (machines sharing the store split the work)')
    .argument('<media-dir>', 'folder of recordings')
    .option('--store <dir>', STORE_HELP)
    .option('--shard <i/n>', 'only shard i of n (i from 0, balanced by duration), or auto: from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX')
    .option('--shards <n>', 'with --shard auto: how many shards (default: $HARK_SHARDS, or the size of the Slurm array)', positiveInteger)
    .option('--workers <n>', 'feature-extraction threads (default: cores - 1)', positiveInteger)
    .action(async (media, opts) => context.finish(await runExtract({ ...opts, media }, context.io, context.interruptible(FEATURES_KEPT))));

export async function runExtract(opts: ExtractOptions, io: Pick<CommandIO, 'out' | 'err'>, signal?: AbortSignal): Promise<number> {
  const shard = resolveShard(opts.shard ?? '0/1', process.env, opts.shards);
  const started = Date.now();
  // shards running at once only read the store: the first command that names the media folder creates it
  const exists = opts.store !== undefined && existsSync(join(opts.store, 'hark.json'));
  const collection = await openCollection({ media: opts.media, store: opts.store, readOnly: exists, onScanProgress: scanProgress(io.err) });
  try {
    reportScanProblems(collection.problems, io.err);
    const workers = opts.workers ?? defaultWorkerCount();
    const done = await extractShard(collection, shard, { workers, onProgress: extractProgress(io.err), signal });
    for (const [path, reason] of done.failed) io.err.write(`Could not read ${path}: ${reason}\n`);
    const seconds = (Date.now() - started) / 1000;
    io.out.write(
      `Features of shard ${formatShard(shard)}: ${done.files} of ${collection.files.length} recordings, ${formatClock(done.seconds)} of audio, ` +
        `in ${formatClock(seconds)} with ${workers} worker${workers === 1 ? '' : 's'} (${Math.round(done.seconds / Math.max(seconds, 1e-3))}x real time), ` +
        `cached in ${collection.store.dir}.\n`,
    );
    return 0;
  } finally {
    collection.store.close();
  }
}
