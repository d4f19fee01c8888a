import { existsSync } from 'node:fs';
import { scanMedia } from '../audio/scan.js';
import { LabelStore } from '../store/label-store.js';
import { computeStats, formatStats } from '../store/stats.js';
import { userCommand, type CommandIO } from './command-io.js';

export interface StatsOptions {
  store: string;
  json?: boolean;
}

/** `hark stats`: what has been labeled, from the store alone; the media folder only adds the recording total. */
export const runStats = userCommand(async (opts: StatsOptions, io: Pick<CommandIO, 'out' | 'err'>): Promise<number> => {
  const store = await LabelStore.open(opts.store, { readOnly: true });
  try {
    const root = store.config.mediaRoot;
    const reachable = root !== undefined && existsSync(root);
    // Probes come from the store's cache, filled by the labeler; nothing is written back.
    const total = reachable ? (await scanMedia(root, { cache: store.probeCache() })).files.length : null;
    const stats = computeStats(store.records, total);
    if (opts.json) {
      io.out.write(`${JSON.stringify({ store: store.dir, mediaRoot: root ?? null, ...stats })}\n`);
    } else {
      if (root && !reachable) {
        io.out.write(`The media folder ${root} is not reachable; the total number of recordings is unknown.\n`);
      }
      io.out.write(formatStats(stats));
    }
    return 0;
  } finally {
    store.close();
  }
});
