import { existsSync } from 'node:fs';
import { Command } from '@commander-js/extra-typings';
import { scanMedia } from '../audio/scan.js';
import { LabelStore } from '../store/label-store.js';
import { computeStats, formatStats } from '../store/stats.js';
import { buildWindowGrid } from '../domain/window-grid.js';
import { collectionVectors } from '../audio/features/collection-vectors.js';
import { fittedEstimate, heldApart, heldOutEstimate } from '../ml/model.js';
import { DEFAULT_RECALL_GOAL, type RecallEstimate } from '../ml/recall-estimate.js';
import { featureCacheDir } from '../store/feature-cache.js';
import { findLabel, labelsOf, requireLabel } from '../domain/labels.js';
import { labeledExample, priorDecisions, type Collection, type PriorDecision } from '../collection/open-collection.js';
import { resolveSettings } from '../collection/settings.js';
import { extractProgress, FEATURES_KEPT } from './extract-progress.js';
import type { CommandDefinition, CommandIO } from './command-io.js';
import { formatPercent as pct, formatShare as share } from '../format/share-format.js';

export interface StatsOptions {
  store: string;
  /** the label whose prevalence is estimated (default: the store's target) */
  target?: string;
  json?: boolean;
  /** false: skip the model (and the feature extraction it may need); the estimate then comes from the labels alone */
  model?: boolean;
}

export const statsCommand: CommandDefinition = (context) =>
  new Command('stats')
    .description("counts per label and annotator, labeled time, files covered, and the target's recall estimate")
    .requiredOption('--store <dir>', 'the store folder')
    .option('--target <label>', "estimate how many clips of this label the collection holds, and the model's recall (default: the store's target)")
    .option('--no-model', "leave out the model's recall and precision (and the feature extraction they may need)")
    .option('--json', 'one JSON object instead of a table')
    .action(async (opts) => context.finish(await runStats(opts, context.io, context.interruptible(FEATURES_KEPT))));

/**
 * `hark stats`: what has been labeled, from the store; with the media folder reachable, also how many recordings it
 * holds and the target's recall estimate, with the model's recall as the labeling screen shows it.
 */
export async function runStats(opts: StatsOptions, io: Pick<CommandIO, 'out' | 'err'>, signal?: AbortSignal): Promise<number> {
  const store = await LabelStore.open(opts.store, { readOnly: true });
  try {
    const root = store.config.mediaRoot;
    const reachable = root !== undefined && existsSync(root);
    // Probes come from the store's cache, filled by the labeler; nothing is written back.
    const files = reachable ? (await scanMedia(root, { cache: store.probeCache() })).files : undefined;
    const stats = computeStats(store.records, files ? files.length : null);
    const known = [...new Set([...store.config.labels.map((l) => l.name), ...store.records.flatMap(labelsOf)])];
    const target = opts.target !== undefined ? requireLabel(known, opts.target, '--target') : store.config.target && (findLabel(known, store.config.target) ?? store.config.target);
    const grid = files && buildWindowGrid(files.map((f) => f.duration), resolveSettings({}, store.config, { decisions: store.records.length }).values.clip);
    let estimate: RecallEstimate | undefined;
    if (target && files && grid?.count) {
      const modelled = opts.model !== false && store.records.some((r) => r.kind === 'label' && labelsOf(r).includes(target));
      estimate = modelled ? await modelledEstimate({ store, files, grid }, target, io.err, signal) : sampleEstimate({ store, files, grid }, target);
    }
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
}

/**
 * What the labeling screen says: the random sample's estimate, with the model's recall and precision on it, its
 * metric learned from every label. Only the labeled windows need the model's (leave-one-out) vote, so only they are
 * compared with each other.
 */
async function modelledEstimate(
  collection: Pick<Collection, 'store' | 'files' | 'grid'>,
  target: string,
  err: CommandIO['err'],
  signal?: AbortSignal,
): Promise<RecallEstimate> {
  const { files, grid, store } = collection;
  const { vectors, dims, failed } = await collectionVectors(files, grid, { cacheDir: featureCacheDir(store.dir), onProgress: extractProgress(err), signal });
  const labeled = labeledDecisions(collection).filter((d) => !failed.has(grid.fileOf(d.window)));
  return fittedEstimate(vectors, dims, labeled.map(labeledExample), target, heldApart(grid.offsets, grid.clip), DEFAULT_RECALL_GOAL);
}

/** What the randomly drawn labels alone say about the target across the collection. */
function sampleEstimate(collection: Pick<Collection, 'store' | 'files' | 'grid'>, target: string): RecallEstimate {
  return heldOutEstimate(labeledDecisions(collection).map(labeledExample), target, collection.grid.count, DEFAULT_RECALL_GOAL);
}

function labeledDecisions(collection: Pick<Collection, 'store' | 'files' | 'grid'>): PriorDecision[] {
  return priorDecisions(collection).filter((d) => d.kind === 'label');
}

function formatEstimate(target: string, e: RecallEstimate): string {
  if (!e.enough || !e.total || !e.labeledShare) {
    return `Target ${target}: ${e.found} found; an estimate of how many exist needs ${e.minRandomLabels} randomly chosen labels (${e.randomLabels} so far).`;
  }
  const n = (x: number) => Math.round(x);
  return [
    `Target ${target}: ${e.found} found of an estimated ${n(e.total.value)} (${n(e.total.low)}–${n(e.total.high)}, 95%) in the collection, ` +
      `from ${e.randomLabels} randomly chosen labels: ${share(e.labeledShare)} labeled so far.`,
    ...(e.recall ? [`The model flags ${share(e.recall)} of them${e.precision ? `; ${share(e.precision)} of what it flags is ${target}` : ''}.`] : []),
    ...(e.stop ? [`The ${pct(e.goal)} recall goal looks met: you can stop labeling and run hark apply.`] : []),
  ].join('\n');
}
