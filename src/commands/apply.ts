import { resolve } from 'node:path';
import { textTable } from '../format/text-table.js';
import { formatClock } from '../format/time-format.js';
import { DEFAULT_RANGE_OPTIONS, scoreRuns } from '../ml/ranges.js';
import { DEFAULT_SMOOTHING, SMOOTHING_METHODS, SMOOTHING_NAMES, type SmoothingName, type SmoothingOptions } from '../ml/smoothing-methods.js';
import type { PredictedRange } from '../store/range-exports.js';
import { Command } from '@commander-js/extra-typings';
import { openCollection, type Collection } from '../collection/open-collection.js';
import { estimateAnswer } from '../ml/answer-estimate.js';
import { APPLY_FORMATS, finishRun, newRunDir, writeRunTables, type ApplyFormat, type ApplySummary } from '../store/apply-output.js';
import { scoreCollection } from '../collection/collection-scores.js';
import { fitSavedModel, loadSavedModel, modelFile, type SavedModel } from '../collection/saved-model.js';
import { applyShard, joinShards, shardPartDir, shardScan } from '../collection/apply-shards.js';
import { formatShard, resolveShard, type Shard } from '../domain/shard.js';
import { type CollectionScores } from '../ml/model-scores.js';
import { reportScanProblems, scanProgress, type CommandDefinition } from './command-io.js';
import { extractProgress, FEATURES_KEPT } from './extract-progress.js';
import { collect, nonNegative, positiveInteger } from './option-values.js';
import { UserError } from '../domain/user-error.js';
import { labelsOf, requireLabels } from '../domain/labels.js';
import { formatShare } from '../format/share-format.js';

export interface ApplyOptions {
  store: string;
  /** only these labels (default: every label with at least one labeled clip) */
  label?: string[];
  /** a name in SMOOTHING_METHODS (default: DEFAULT_SMOOTHING) */
  smoothing?: string;
  threshold?: number;
  smooth?: number;
  minDuration?: number;
  mergeGap?: number;
  /** output folder (default: a new folder per run under <store>/apply/runs, the newest named in <store>/apply/latest) */
  out?: string;
  /** comma-separated APPLY_FORMATS (default: csv,audacity) */
  format?: string;
  json?: boolean;
  /** feature-extraction threads */
  workers?: number;
  /** across machines, first: fit the model from the labels and save it in the store for the shards */
  fit?: boolean;
  /** across machines: score shard "i/n" (or "auto") with the saved model, into the store */
  shard?: string;
  /** with --shard auto, when the scheduler does not say how many shards there are */
  shards?: number;
  /** across machines, last: join the finished shards into the outputs one run writes */
  merge?: boolean;
}

export type ApplyIO = { out: NodeJS.WritableStream; err: NodeJS.WritableStream & { isTTY?: boolean } };

const DEFAULT_FORMATS = ['csv', 'audacity'] as const satisfies ApplyFormat[];

export const applyCommand: CommandDefinition = (context) =>
  new Command('apply')
    .description('score every clip of the collection with the model and write the time ranges found, per label')
    .requiredOption('--store <dir>', 'the store folder')
    .option('--label <name>', 'a label to find (repeat for more; default: every label with labels)', collect)
    .option('--smoothing <method>', `how window scores become ranges: ${SMOOTHING_NAMES.map((n) => `${n}: ${SMOOTHING_METHODS[n].description}`).join('; ')} (default ${DEFAULT_SMOOTHING})`)
    .option('--threshold <p>', `probability at which a clip counts as the label (default ${DEFAULT_RANGE_OPTIONS.threshold}: favours recall)`, nonNegative)
    .option('--smooth <seconds>', `average smoothing: moving-average length over time (default ${DEFAULT_RANGE_OPTIONS.smooth})`, nonNegative)
    .option('--min-duration <seconds>', `drop ranges shorter than this (default ${DEFAULT_RANGE_OPTIONS.minDuration})`, nonNegative)
    .option('--merge-gap <seconds>', `average smoothing: join ranges separated by less than this (default ${DEFAULT_RANGE_OPTIONS.mergeGap})`, nonNegative)
    .option('--out <dir>', 'output folder (default: a new folder per run under <store>/apply/runs, the newest named in <store>/apply/latest)')
    .option('--format <list>', `comma-separated: ${APPLY_FORMATS.join(', ')} (default: ${DEFAULT_FORMATS.join(',')})`)
    .option('--workers <n>', 'feature-extraction threads (default: cores - 1)', positiveInteger)
    .option('--json', 'print a machine-readable summary')
    .option('--fit', 'across machines, first: fit the model from the labels and save it in the store for the shards')
    .option('--shard <i/n>', 'across machines: score shard i of n (i from 0) with the saved model, or auto (SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX)')
    .option('--shards <n>', 'with --shard auto: how many shards (default: $HARK_SHARDS, or the size of the Slurm array)', positiveInteger)
    .option('--merge', 'across machines, last: join the finished shards into the outputs one run writes')
    .action(async (opts) => context.finish(await runApply(opts, context.io, context.interruptible(FEATURES_KEPT))));

/** `hark apply`: every window of every recording scored by the current model, smoothed into ranges per label. */
export async function runApply(opts: ApplyOptions, io: ApplyIO, signal?: AbortSignal): Promise<number> {
  const started = Date.now();
  const rangeOptions = parseRangeOptions(opts);
  const formats = parseFormats(opts.format);
  const shard = opts.shard === undefined ? undefined : resolveShard(opts.shard, process.env, opts.shards);
  // a shard probes only its own share's recordings (those the saved model lists, changed since)
  const known = shard && opts.store ? shardScan(opts.store, shard) : undefined;
  const collection = await openCollection({ store: opts.store, readOnly: true, known, onScanProgress: scanProgress(io.err) });
  try {
    reportScanProblems(collection.problems, io.err);
    const labeled = [...new Set(collection.store.records.filter((r) => r.kind === 'label').flatMap(labelsOf))];
    if (labeled.length === 0) throw new UserError(`The store ${collection.store.dir} has no labels yet: label some clips first (hark label).`);
    const wanted = opts.label?.length ? requireLabels(labeled, opts.label, '--label', 'the labels with clips') : labeled;
    const extraction = { onProgress: extractProgress(io.err), signal, workers: opts.workers };
    if (opts.fit) return reportFitted(await fitSavedModel(collection, extraction), collection, io);
    if (shard) return await scoreShard(collection, shard, io, signal);
    const joined = opts.merge ? joinShards(collection, loadSavedModel(collection)) : undefined;
    const scores = joined?.scores ?? (await scoreCollection(collection, extraction));
    // a label whose only clips lie in recordings that no longer decode has no model
    const labels = wanted.filter((l) => scores.labels.includes(l));
    const ranges = findRanges(collection, scores, labels, rangeOptions);
    const out = resolve(opts.out ?? newRunDir(collection.store.dir, labels, new Date(started)));
    const sampleRates = new Map(collection.files.map((f) => [f.path, f.sampleRate]));
    const written = writeRunTables(out, { ranges, formats, sampleRates });
    const seconds = joined?.seconds ?? (Date.now() - started) / 1000;
    const summary = summarize(collection, scores, labels, ranges, rangeOptions, out, written, seconds);
    finishRun(collection.store.dir, out, summary);
    for (const [f, reason] of scores.failed) io.err.write(`Could not read ${collection.files[f].path}: ${reason}\n`);
    io.out.write(opts.json ? `${JSON.stringify(summary)}\n` : formatApplySummary(summary));
    return 0;
  } finally {
    collection.store.close();
  }
}

function reportFitted(saved: SavedModel, collection: Collection, io: ApplyIO): number {
  const { model } = saved.fitted;
  for (const [f, reason] of saved.failed) io.err.write(`Could not read ${collection.files[f].path}: ${reason}\n`);
  io.out.write(
    `Fitted the model on ${saved.labeled.length} labeled clips of ${model.classes.join(', ')} and saved it in ${modelFile(collection.store.dir)}; ` +
      `now run hark apply --store ${collection.store.dir} --shard I/N for each shard, then --merge.\n`,
  );
  return 0;
}

async function scoreShard(collection: Collection, shard: Shard, io: ApplyIO, signal?: AbortSignal): Promise<number> {
  const part = await applyShard(collection, loadSavedModel(collection), shard, signal);
  io.out.write(`Shard ${formatShard(shard)}: ${part.files.length} recordings scored in ${formatClock(part.seconds)}, written to ${shardPartDir(collection.store.dir, shard)}.\n`);
  return 0;
}

export function parseRangeOptions(opts: Pick<ApplyOptions, 'smoothing' | 'threshold' | 'smooth' | 'minDuration' | 'mergeGap'>): SmoothingOptions {
  const smoothing = opts.smoothing ?? DEFAULT_SMOOTHING;
  if (!(SMOOTHING_NAMES as string[]).includes(smoothing)) throw new UserError(`Unknown --smoothing ${smoothing}; use one of ${SMOOTHING_NAMES.join(', ')}.`);
  const chosen: SmoothingOptions = {
    smoothing: smoothing as SmoothingName,
    threshold: opts.threshold ?? DEFAULT_RANGE_OPTIONS.threshold,
    smooth: opts.smooth ?? DEFAULT_RANGE_OPTIONS.smooth,
    minDuration: opts.minDuration ?? DEFAULT_RANGE_OPTIONS.minDuration,
    mergeGap: opts.mergeGap ?? DEFAULT_RANGE_OPTIONS.mergeGap,
  };
  if (!(chosen.threshold >= 0 && chosen.threshold <= 1)) throw new UserError('--threshold must be a probability between 0 and 1.');
  for (const [flag, value] of [
    ['--smooth', chosen.smooth],
    ['--min-duration', chosen.minDuration],
    ['--merge-gap', chosen.mergeGap],
  ] as const) {
    if (!(value >= 0 && Number.isFinite(value))) throw new UserError(`${flag} must be a number of seconds, 0 or more.`);
  }
  return chosen;
}

function parseFormats(list: string | undefined): ApplyFormat[] {
  if (list === undefined) return [...DEFAULT_FORMATS];
  const names = list.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(APPLY_FORMATS as readonly string[]).includes(n));
  if (unknown.length) throw new UserError(`Unknown --format ${unknown.join(', ')}; use a comma-separated list of ${APPLY_FORMATS.join(', ')}.`);
  return names as ApplyFormat[];
}

function findRanges(collection: Collection, scores: CollectionScores, labels: string[], opts: SmoothingOptions): PredictedRange[] {
  const { files, grid } = collection;
  const out: PredictedRange[] = [];
  const readable = files.map((file, f) => ({ file, f })).filter(({ f }) => !scores.failed.has(f));
  for (const label of labels) {
    const p = scores.probabilities[scores.labels.indexOf(label)];
    const windows = readable.map(({ f }) => p.subarray(grid.offsets[f], grid.offsets[f + 1]));
    const smoothing = SMOOTHING_METHODS[opts.smoothing].fit(windows, grid.clip, opts);
    readable.forEach(({ file }, i) => {
      for (const r of scoreRuns(windows[i], smoothing.runs(windows[i]), grid.clip, file.duration, opts.minDuration)) out.push({ ...r, file: file.path, label });
    });
  }
  return out;
}

function summarize(
  { store, files, grid }: Collection,
  scores: CollectionScores,
  labels: string[],
  ranges: PredictedRange[],
  options: SmoothingOptions,
  out: string,
  written: string[],
  seconds: number,
): ApplySummary {
  const totalSeconds = files.reduce((s, f) => s + f.duration, 0);
  const perLabel = Object.fromEntries(
    labels.map((label) => {
      const mine = ranges.filter((r) => r.label === label);
      const found = mine.reduce((s, r) => s + r.end - r.start, 0);
      const recordings = new Set(mine.map((r) => r.file)).size;
      return [label, { ranges: mine.length, hours: round(found / 3600, 4), recordings, estimate: estimateAnswer(grid, scores, label, options, options.smoothing) }];
    }),
  );
  return {
    store: store.dir,
    out,
    recordings: files.length,
    hours: round(totalSeconds / 3600, 4),
    failed: [...scores.failed].map(([f, reason]) => ({ file: files[f].path, reason })),
    examples: scores.labeled.length,
    options,
    labels: perLabel,
    files: written,
    seconds: round(seconds, 3),
    realTime: round(totalSeconds / Math.max(seconds, 1e-3), 1),
  };
}

export function formatApplySummary(s: ApplySummary): string {
  const rows = Object.entries(s.labels).map(([label, l]) => [
    label,
    String(l.ranges),
    formatClock(l.hours * 3600),
    `${l.recordings}/${s.recordings}`,
    l.estimate.recall ? formatShare(l.estimate.recall) : '–',
    l.estimate.precision ? formatShare(l.estimate.precision) : '–',
  ]);
  const o = s.options;
  const sample = Object.values(s.labels)[0]?.estimate;
  return [
    `Applied the model (${s.examples} labeled clips) to ${s.recordings} recordings, ${formatClock(s.hours * 3600)} of audio, ` +
      `in ${formatClock(s.seconds)} (${Math.round(s.realTime)}x real time).`,
    o.smoothing === 'average'
      ? `average smoothing: threshold ${o.threshold}, smooth ${o.smooth} s, merge gap ${o.mergeGap} s, min duration ${o.minDuration} s`
      : `${o.smoothing} smoothing: threshold ${o.threshold}, min duration ${o.minDuration} s`,
    '',
    ...textTable(['Label', 'Ranges', 'Time found', 'Recordings', 'Found (est.)', 'Correct (est.)'], rows),
    '',
    ...(sample && sample.randomLabels < sample.minRandomLabels
      ? [`Estimates need ${sample.minRandomLabels} randomly chosen labels (${sample.randomLabels} so far): label more with the random strategy.`, '']
      : [`Estimates: of each label's clips, the share apply finds, and of what it finds, the share that is the label (95% intervals, from ${sample?.randomLabels ?? 0} randomly chosen labels).`, '']),
    ...s.files.map((f) => `Wrote ${f}`),
  ]
    .map((line) => `${line}\n`)
    .join('');
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));
