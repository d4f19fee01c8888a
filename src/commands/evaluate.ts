import { Command } from '@commander-js/extra-typings';
import { basename } from 'node:path';
import { textTable } from '../format/text-table.js';
import type { MediaFile } from '../domain/media.js';
import { COVERED_SHARE, evaluateLabels, type LabeledRange, type LabelEvaluation, type Scores } from '../ml/evaluate.js';
import { DEFAULT_PRESENT_SHARE } from '../ml/window-truth.js';
import { hipstasRanges, mostLikelyLabel } from '../ml/ranges.js';
import { applyRoot, latestRun, readRunRanges, readRunSummary } from '../store/apply-output.js';
import { openCollection, type Collection } from '../collection/open-collection.js';
import { scoreCollection } from '../collection/collection-scores.js';
import { type CollectionScores } from '../ml/model-scores.js';
import { extractProgress, FEATURES_KEPT } from './extract-progress.js';
import { UserError } from '../domain/user-error.js';
import type { CommandDefinition } from './command-io.js';
import { collect, positiveInteger, share } from './option-values.js';
import { readRanges } from '../store/apply-output.js';
import { findLabel, requireLabels } from '../domain/labels.js';

export interface EvaluateOptions {
  store: string;
  /** a file,start,end,label CSV */
  truth: string;
  /** only these labels (default: every label apply wrote ranges for) */
  label?: string[];
  /** where hark apply wrote its output (default: the newest run under <store>/apply/runs covering the labels) */
  from?: string;
  json?: boolean;
  workers?: number;
  /** the share of a window the truth must cover for it to count as the label (default COVERED_SHARE) */
  presentShare?: number;
}

export type EvaluateIO = { out: NodeJS.WritableStream; err: NodeJS.WritableStream & { isTTY?: boolean } };

export interface EvaluateReport {
  labels: Record<string, LabelEvaluation>;
  /** the same labels found by HiPSTAS-style smoothing of the same model's per-window decisions */
  hipstas: Record<string, LabelEvaluation>;
}

export const evaluateCommand: CommandDefinition = (context) =>
  new Command('evaluate')
    .description("precision, recall and F1 of apply's ranges against a ground-truth CSV (file,start,end,label)")
    .requiredOption('--store <dir>', 'the store folder')
    .requiredOption('--truth <csv>', 'ground truth: file,start,end,label (overlapping rows allowed)')
    .option('--label <name>', 'a label to evaluate (repeat for more)', collect)
    .option('--from <dir>', 'where apply wrote (default: <store>/apply)')
    .option('--workers <n>', 'feature-extraction threads', positiveInteger)
    .option('--present-share <share>', `a clip is truly a label when the truth covers at least this share of it, each label on its own (default ${COVERED_SHARE}; hark simulate --oracle present labels from ${DEFAULT_PRESENT_SHARE})`, share)
    .option('--json', 'print {"labels": {NAME: {"window": {...}, "event": {...}}}}')
    .action(async (opts) => context.finish(await runEvaluate(opts, context.io, context.interruptible(FEATURES_KEPT))));

/** `hark evaluate`: how well the ranges of the last `hark apply` match a ground-truth table, beside the HiPSTAS way. */
export async function runEvaluate(opts: EvaluateOptions, io: EvaluateIO, signal?: AbortSignal): Promise<number> {
  let collection: Collection | undefined;
  try {
    const truthRows = readRanges(opts.truth, 'the truth table');
    const from = opts.from ?? latestRun(opts.store, opts.label);
    const summary = from && readRunSummary(from);
    if (!from || !summary) {
      const what = opts.label?.length ? ` for ${opts.label.join(', ')}` : '';
      throw new UserError(`No apply output${what} in ${from ?? applyRoot(opts.store)}: run hark apply --store ${opts.store} first.`);
    }
    const predicted = readRunRanges(from);
    const applied = Object.keys(summary.labels);
    const labels = opts.label?.length ? requireLabels(applied, opts.label, '--label', 'the labels hark apply wrote ranges for') : applied;
    collection = await openCollection({ store: opts.store, readOnly: true });
    const { files, grid } = collection;
    const truth = truthFor(labels, matchTruthFiles(truthRows, files, io.err), io.err);
    const scores = await scoreCollection(collection, { onProgress: extractProgress(io.err), workers: opts.workers, signal });
    if (scores.labeled.length !== summary.examples) {
      io.err.write(`The store has ${scores.labeled.length} labeled clips, the apply output was made from ${summary.examples}: run hark apply again to compare like with like.\n`);
    }
    const presentShare = opts.presentShare ?? COVERED_SHARE;
    const report: EvaluateReport = {
      labels: evaluateLabels(truth, predicted, files, grid.clip, labels, presentShare),
      hipstas: evaluateLabels(truth, hipstasPrediction(collection, scores, labels), files, grid.clip, labels, presentShare),
    };
    io.out.write(opts.json ? `${JSON.stringify(report)}\n` : formatEvaluation(report, presentShare));
    return 0;
  } finally {
    collection?.store.close();
  }
}

/**
 * Truth rows under the store's spelling of each label (a truth table may say "music" where the labeler said
 * "Music"), with a warning for each label the truth never mentions: its figures would all be empty.
 */
function truthFor(labels: readonly string[], rows: readonly LabeledRange[], err: NodeJS.WritableStream): LabeledRange[] {
  const truthLabels = [...new Set(rows.map((r) => r.label))];
  for (const label of labels) {
    if (!findLabel(truthLabels, label)) err.write(`The truth table has no rows for ${label}; its labels are: ${truthLabels.join(', ')}.\n`);
  }
  return rows.map((r) => ({ ...r, label: findLabel(labels, r.label) ?? r.label }));
}

/**
 * Truth rows name recordings by their path under the media folder or, when that is unambiguous, by file name alone.
 * Rows for recordings the collection does not have are reported and left out.
 */
export function matchTruthFiles(rows: readonly LabeledRange[], files: readonly MediaFile[], err: NodeJS.WritableStream): LabeledRange[] {
  const paths = new Set(files.map((f) => f.path));
  const byName = new Map<string, string | null>();
  for (const f of files) byName.set(basename(f.path), byName.has(basename(f.path)) ? null : f.path);
  const unknown = new Set<string>();
  const out: LabeledRange[] = [];
  for (const row of rows) {
    const path = paths.has(row.file) ? row.file : byName.get(basename(row.file));
    if (path) out.push({ ...row, file: path });
    else unknown.add(row.file);
  }
  if (unknown.size) {
    const names = [...unknown].slice(0, 5).join(', ');
    err.write(`The truth names ${unknown.size} recording(s) not in the collection, left out: ${names}${unknown.size > 5 ? ', …' : ''}\n`);
  }
  return out;
}

function hipstasPrediction({ files, grid }: Collection, scores: CollectionScores, labels: string[]): LabeledRange[] {
  const best = mostLikelyLabel(scores.probabilities, grid.count);
  const out: LabeledRange[] = [];
  for (const label of labels) {
    const id = scores.labels.indexOf(label);
    files.forEach((file, f) => {
      if (scores.failed.has(f)) return;
      const isLabel = Array.from(best.subarray(grid.offsets[f], grid.offsets[f + 1]), (b) => b === id);
      for (const r of hipstasRanges(isLabel, grid.clip, file.duration)) out.push({ ...r, file: file.path, label });
    });
  }
  return out;
}

export function formatEvaluation(report: EvaluateReport, presentShare = COVERED_SHARE): string {
  const cells = (s: Scores) => [s.precision, s.recall, s.f1].map((v) => (Number.isNaN(v) ? '-' : v.toFixed(2)));
  const rows = (results: Record<string, LabelEvaluation>) =>
    Object.entries(results).map(([label, r]) => [label, ...cells(r.window), ...cells(r.event)]);
  const header = ['Label', 'Window P', 'R', 'F1', 'Event P', 'R', 'F1'];
  return [
    'hark apply',
    ...textTable(header, rows(report.labels)),
    '',
    'HiPSTAS-style (per-window decisions, 10-window average, runs of 5 or more)',
    ...textTable(header, rows(report.hipstas)),
    '',
    `Window: clips where the label covers at least ${presentShare === COVERED_SHARE ? 'half' : `${Math.round(presentShare * 100)}%`}. Event: truth events and ranges overlapping by half the shorter.`,
  ]
    .map((line) => `${line}\n`)
    .join('');
}
