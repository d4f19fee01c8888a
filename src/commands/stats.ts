import { existsSync } from 'node:fs';
import { scanMedia } from '../audio/scan.js';
import { LabelStore } from '../store/label-store.js';
import { computeStats, formatStats } from '../store/stats.js';
import { buildWindowGrid } from '../audio/windows.js';
import { recallEstimate, type RecallEstimate } from '../ml/recall-estimate.js';
import { inRandomSample, type LabelRecord } from '../store/schema.js';
import { DEFAULT_CLIP } from './collection.js';
import { userCommand, type CommandIO } from './command-io.js';

export interface StatsOptions {
  store: string;
  /** the label whose prevalence is estimated (default: the store's target) */
  target?: string;
  json?: boolean;
}

const RECALL_GOAL = 0.9;

/** `hark stats`: what has been labeled, from the store alone; the media folder only adds the recording total. */
export const runStats = userCommand(async (opts: StatsOptions, io: Pick<CommandIO, 'out' | 'err'>): Promise<number> => {
  const store = await LabelStore.open(opts.store, { readOnly: true });
  try {
    const root = store.config.mediaRoot;
    const reachable = root !== undefined && existsSync(root);
    // Probes come from the store's cache, filled by the labeler; nothing is written back.
    const files = reachable ? (await scanMedia(root, { cache: store.probeCache() })).files : undefined;
    const stats = computeStats(store.records, files ? files.length : null);
    const target = opts.target ?? store.config.target;
    const windows = files && buildWindowGrid(files.map((f) => f.duration), store.config.clip ?? DEFAULT_CLIP).count;
    const estimate = target && windows ? sampleEstimate(store.records, target, windows) : undefined;
    if (opts.json) {
      io.out.write(`${JSON.stringify({ store: store.dir, mediaRoot: root ?? null, ...stats, target: target ?? null, estimate: estimate ?? null })}\n`);
    } else {
      if (root && !reachable) {
        io.out.write(`The media folder ${root} is not reachable; the total number of recordings is unknown.\n`);
      }
      io.out.write(formatStats(stats));
      if (target && estimate) io.out.write(`\n${formatEstimate(target, estimate)}\n`);
    }
    return 0;
  } finally {
    store.close();
  }
});

/**
 * What the randomly drawn labels say about the target across the collection. The model's recall needs the model:
 * it is shown on the labeling screen, and measured by hark simulate and hark evaluate.
 */
function sampleEstimate(records: readonly LabelRecord[], target: string, windows: number): RecallEstimate {
  const labels = records.filter((r) => r.kind === 'label');
  const random = labels.filter(inRandomSample);
  return recallEstimate({
    population: windows,
    labeled: random.length,
    positives: random.filter((r) => r.label === target).length,
    positivesFlagged: 0,
    flagged: 0,
    found: labels.filter((r) => r.label === target).length,
    goal: RECALL_GOAL,
    modelled: false,
  });
}

function formatEstimate(target: string, e: RecallEstimate): string {
  if (!e.enough || !e.total || !e.labeledShare) {
    return `Target ${target}: ${e.found} found; an estimate of how many exist needs ${e.minRandomLabels} randomly chosen labels (${e.randomLabels} so far).`;
  }
  const n = (x: number) => Math.round(x);
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  return (
    `Target ${target}: ${e.found} found of an estimated ${n(e.total.value)} (${n(e.total.low)}–${n(e.total.high)}, 95%) in the collection, ` +
    `from ${e.randomLabels} randomly chosen labels: ${pct(e.labeledShare.value)} (${pct(e.labeledShare.low)}–${pct(e.labeledShare.high)}) labeled so far.`
  );
}
