import { mkdirSync } from 'node:fs';
import { writeAtomically } from '../store/atomic-write.js';
import { join, resolve } from 'node:path';
import { textTable } from '../format/text-table.js';
import { formatClock } from '../format/time-format.js';
import { DEFAULT_RANGE_OPTIONS, detectRanges, type RangeOptions } from '../ml/ranges.js';
import { formatRangesCsv, formatRangesJsonl, rangeLabelFiles, type PredictedRange } from '../store/range-exports.js';
import { openCollection, type Collection } from '../collection/open-collection.js';
import { estimateAnswer } from '../ml/answer-estimate.js';
import { defaultApplyDir, RANGES_FILE, SUMMARY_FILE, type ApplySummary } from '../store/apply-output.js';
import { scoreCollection } from '../collection/collection-scores.js';
import { fitSavedModel, loadSavedModel, modelFile, type SavedModel } from '../collection/saved-model.js';
import { applyShard, joinShards, shardPartDir, type ApplyFound } from '../collection/apply-shards.js';
import { formatShard, resolveShard } from '../domain/shard.js';
import { type CollectionScores } from '../ml/model-scores.js';
import { isUserFacing, reportScanProblems, scanProgress } from './command-io.js';
import { extractProgress } from './extract-progress.js';
import { UserError } from '../domain/user-error.js';
import { ravenHighFreq } from '../store/exports.js';
import { findLabels } from '../domain/labels.js';
import { formatShare } from '../format/share-format.js';

export interface ApplyOptions {
  store: string;
  /** only these labels (default: every label with at least one labeled clip) */
  label?: string[];
  threshold?: number;
  smooth?: number;
  minDuration?: number;
  mergeGap?: number;
  /** output folder (default: <store>/apply) */
  out?: string;
  /** comma-separated: csv, audacity, raven, jsonl (default: csv,audacity) */
  format?: string;
  json?: boolean;
  /** feature-extraction threads */
  workers?: number;
  /** fit the model from the labels and save it in the store, for the shards to share */
  fit?: boolean;
  /** score only shard "i/n" (or "auto") with the saved model and write its part into the store */
  shard?: string;
  /** with --shard auto, when the scheduler does not say how many shards there are */
  shards?: number;
  /** join the finished shards' parts into the outputs one run writes */
  merge?: boolean;
}

export type ApplyIO = { out: NodeJS.WritableStream; err: NodeJS.WritableStream & { isTTY?: boolean } };

export const APPLY_FORMATS = ['csv', 'audacity', 'raven', 'jsonl'] as const;
export type ApplyFormat = (typeof APPLY_FORMATS)[number];
const DEFAULT_FORMATS: ApplyFormat[] = ['csv', 'audacity'];

/** `hark apply`: every window of every recording scored by the current model, smoothed into ranges per label. */
export async function runApply(opts: ApplyOptions, io: ApplyIO): Promise<number> {
  const started = Date.now();
  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort();
  process.once('SIGINT', onSigint);
  let collection: Collection | undefined;
  try {
    const rangeOptions = parseRangeOptions(opts);
    const formats = parseFormats(opts.format);
    const opened = await openCollection({ store: opts.store, readOnly: true, onScanProgress: scanProgress(io.err) });
    collection = opened;
    reportScanProblems(opened.problems, io.err);
    if (opened.files.length === 0) throw new UserError(`No playable recordings in ${opened.root}.`);
    if (opts.merge) return mergeShards(opened, formats, opts, io);
    const labeled = [...new Set(opened.store.records.filter((r) => r.kind === 'label').map((r) => r.label))];
    if (labeled.length === 0) throw new UserError(`The store ${opened.store.dir} has no labels yet: label some clips first (hark label).`);
    const wanted = chooseLabels(opts.label, labeled);
    const extraction = { onProgress: extractProgress(io.err), signal: interrupt.signal, workers: opts.workers };
    if (opts.fit) return reportFitted(await fitSavedModel(opened, extraction), opened, io);
    if (opts.shard !== undefined) return await scoreShard(opened, wanted, rangeOptions, opts, io, interrupt.signal);
    const scores = await scoreCollection(opened, extraction);
    // a label whose only clips lie in recordings that no longer decode has no model
    const labels = wanted.filter((l) => scores.labels.includes(l));
    const ranges = findRanges(opened, scores, labels, rangeOptions);
    const estimates = Object.fromEntries(labels.map((l) => [l, estimateAnswer(opened.grid, scores, l, rangeOptions)]));
    const found: ApplyFound = { labels, ranges, failed: scores.failed, examples: scores.labeled.length, estimates };
    const seconds = (Date.now() - started) / 1000;
    const summary = writeApplyOutputs(opened, found, rangeOptions, formats, opts.out, seconds);
    reportApplied(opened, found, summary, opts.json === true, io);
    return 0;
  } catch (err) {
    if (interrupt.signal.aborted) {
      io.err.write('\nInterrupted. Features extracted so far are cached: run the same command again to continue.\n');
      return 130;
    }
    if (!isUserFacing(err)) throw err;
    io.err.write(`hark: ${err.message}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSigint);
    collection?.store.close();
  }
}

export function parseRangeOptions(opts: Pick<ApplyOptions, 'threshold' | 'smooth' | 'minDuration' | 'mergeGap'>): RangeOptions {
  const chosen: RangeOptions = {
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

export function parseFormats(list: string | undefined): ApplyFormat[] {
  if (list === undefined) return DEFAULT_FORMATS;
  const names = list.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(APPLY_FORMATS as readonly string[]).includes(n));
  if (unknown.length) throw new UserError(`Unknown --format ${unknown.join(', ')}; use a comma-separated list of ${APPLY_FORMATS.join(', ')}.`);
  return names as ApplyFormat[];
}

export function chooseLabels(wanted: string[] | undefined, known: string[]): string[] {
  if (!wanted?.length) return known;
  const { found, missing } = findLabels(known, wanted);
  if (missing.length) {
    throw new UserError(`No labeled clips of ${missing.map((l) => `"${l}"`).join(', ')}; labels with clips: ${known.join(', ')}.`);
  }
  return found;
}

function findRanges(collection: Collection, scores: CollectionScores, labels: string[], opts: RangeOptions): PredictedRange[] {
  const { files, grid } = collection;
  const out: PredictedRange[] = [];
  for (const label of labels) {
    const p = scores.probabilities[scores.labels.indexOf(label)];
    files.forEach((file, f) => {
      if (scores.failed.has(f)) return;
      const windows = p.subarray(grid.offsets[f], grid.offsets[f + 1]);
      for (const r of detectRanges(windows, grid.clip, file.duration, opts)) out.push({ ...r, file: file.path, label });
    });
  }
  return out;
}

/** Writes the outputs; returns their paths (per-recording formats: their folder). */
function writeOutputs(collection: Collection, ranges: PredictedRange[], formats: ApplyFormat[], out: string): string[] {
  mkdirSync(out, { recursive: true });
  const written = [join(out, RANGES_FILE)];
  writeAtomically(written[0], formatRangesCsv(ranges));
  if (formats.includes('jsonl')) {
    written.push(join(out, 'ranges.jsonl'));
    writeAtomically(written[written.length - 1], formatRangesJsonl(ranges));
  }
  const rates = new Map(collection.files.map((f) => [f.path, f.sampleRate]));
  for (const format of ['audacity', 'raven'] as const) {
    if (!formats.includes(format)) continue;
    const dir = join(out, format);
    mkdirSync(dir, { recursive: true });
    for (const file of rangeLabelFiles(ranges, format, (recording) => ravenHighFreq(rates.get(recording)))) {
      writeAtomically(join(dir, file.name), file.text);
    }
    written.push(dir);
  }
  return written;
}

/** Writes ranges.csv, the chosen exports and summary.json into `out` (default: the store's apply folder). */
export function writeApplyOutputs(
  collection: Collection,
  found: ApplyFound,
  options: RangeOptions,
  formats: ApplyFormat[],
  outOption: string | undefined,
  seconds: number,
): ApplySummary {
  const out = resolve(outOption ?? defaultApplyDir(collection.store.dir));
  const written = writeOutputs(collection, found.ranges, formats, out);
  const summary = summarize(collection, found, options, out, written, seconds);
  writeAtomically(join(out, SUMMARY_FILE), `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}

export function reportApplied(collection: Collection, found: ApplyFound, summary: ApplySummary, json: boolean, io: ApplyIO): void {
  for (const [f, reason] of found.failed) io.err.write(`Could not read ${collection.files[f].path}: ${reason}\n`);
  io.out.write(json ? `${JSON.stringify(summary)}\n` : formatApplySummary(summary));
}

function summarize(
  { store, files }: Collection,
  { labels, ranges, failed, examples, estimates }: ApplyFound,
  options: RangeOptions,
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
      return [label, { ranges: mine.length, hours: round(found / 3600, 4), recordings, estimate: estimates[label] }];
    }),
  );
  return {
    store: store.dir,
    out,
    recordings: files.length,
    hours: round(totalSeconds / 3600, 4),
    failed: [...failed].map(([f, reason]) => ({ file: files[f].path, reason })),
    examples,
    options,
    labels: perLabel,
    files: written,
    seconds: round(seconds, 3),
    realTime: round(totalSeconds / Math.max(seconds, 1e-3), 1),
  };
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

async function scoreShard(collection: Collection, wanted: string[], options: RangeOptions, opts: ApplyOptions, io: ApplyIO, signal: AbortSignal): Promise<number> {
  const shard = resolveShard(opts.shard!, process.env, opts.shards);
  const saved = loadSavedModel(collection);
  const labels = wanted.filter((l) => saved.fitted.model.classes.includes(l));
  const part = await applyShard(collection, saved, shard, labels, options, signal);
  io.out.write(`Shard ${formatShard(shard)}: ${part.ranges.length} ranges in ${formatClock(part.seconds)}, written to ${shardPartDir(collection.store.dir, shard)}.\n`);
  return 0;
}

function mergeShards(collection: Collection, formats: ApplyFormat[], opts: ApplyOptions, io: ApplyIO): number {
  const joined = joinShards(collection, loadSavedModel(collection));
  const summary = writeApplyOutputs(collection, joined, joined.options, formats, opts.out, joined.seconds);
  reportApplied(collection, joined, summary, opts.json === true, io);
  return 0;
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
    `threshold ${o.threshold}, smooth ${o.smooth} s, merge gap ${o.mergeGap} s, min duration ${o.minDuration} s`,
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
