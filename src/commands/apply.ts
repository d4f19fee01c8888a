import { resolve } from 'node:path';
import { textTable } from '../format/text-table.js';
import { formatClock } from '../format/time-format.js';
import { DEFAULT_RANGE_OPTIONS, detectRanges, type RangeOptions } from '../ml/ranges.js';
import type { PredictedRange } from '../store/range-exports.js';
import { openCollection, type Collection } from '../collection/open-collection.js';
import { estimateAnswer } from '../ml/answer-estimate.js';
import { APPLY_FORMATS, finishRun, newRunDir, writeRunTables, type ApplyFormat, type ApplySummary } from '../store/apply-output.js';
import { scoreCollection } from '../collection/collection-scores.js';
import { type CollectionScores } from '../ml/model-scores.js';
import { isUserFacing, reportScanProblems, scanProgress } from './command-io.js';
import { extractProgress } from './extract-progress.js';
import { UserError } from '../domain/user-error.js';
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
  /** output folder (default: a new folder per run under <store>/apply/runs, the newest named in <store>/apply/latest) */
  out?: string;
  /** comma-separated: csv, audacity, raven, jsonl (default: csv,audacity) */
  format?: string;
  json?: boolean;
  /** feature-extraction threads */
  workers?: number;
}

export type ApplyIO = { out: NodeJS.WritableStream; err: NodeJS.WritableStream & { isTTY?: boolean } };

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
    collection = await openCollection({ store: opts.store, readOnly: true, onScanProgress: scanProgress(io.err) });
    reportScanProblems(collection.problems, io.err);
    if (collection.files.length === 0) throw new UserError(`No playable recordings in ${collection.root}.`);
    const labeled = [...new Set(collection.store.records.filter((r) => r.kind === 'label').map((r) => r.label))];
    if (labeled.length === 0) throw new UserError(`The store ${collection.store.dir} has no labels yet: label some clips first (hark label).`);
    const wanted = chooseLabels(opts.label, labeled);
    const scores = await scoreCollection(collection, {
      onProgress: extractProgress(io.err),
      signal: interrupt.signal,
      workers: opts.workers,
    });
    // a label whose only clips lie in recordings that no longer decode has no model
    const labels = wanted.filter((l) => scores.labels.includes(l));
    const ranges = findRanges(collection, scores, labels, rangeOptions);
    const out = resolve(opts.out ?? newRunDir(collection.store.dir, labels, new Date(started)));
    const sampleRates = new Map(collection.files.map((f) => [f.path, f.sampleRate]));
    const written = writeRunTables(out, { ranges, formats, sampleRates });
    const seconds = (Date.now() - started) / 1000;
    const summary = summarize(collection, scores, labels, ranges, rangeOptions, out, written, seconds);
    finishRun(collection.store.dir, out, summary);
    for (const [f, reason] of scores.failed) io.err.write(`Could not read ${collection.files[f].path}: ${reason}\n`);
    io.out.write(opts.json ? `${JSON.stringify(summary)}\n` : formatApplySummary(summary));
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

function parseFormats(list: string | undefined): ApplyFormat[] {
  if (list === undefined) return DEFAULT_FORMATS;
  const names = list.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(APPLY_FORMATS as readonly string[]).includes(n));
  if (unknown.length) throw new UserError(`Unknown --format ${unknown.join(', ')}; use a comma-separated list of ${APPLY_FORMATS.join(', ')}.`);
  return names as ApplyFormat[];
}

function chooseLabels(wanted: string[] | undefined, known: string[]): string[] {
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

function summarize(
  { store, files, grid }: Collection,
  scores: CollectionScores,
  labels: string[],
  ranges: PredictedRange[],
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
      return [label, { ranges: mine.length, hours: round(found / 3600, 4), recordings, estimate: estimateAnswer(grid, scores, label, options) }];
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
