import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { writeAtomically } from './atomic-write.js';
import { join, resolve, sep } from 'node:path';
import type { AnswerEstimate } from '../ml/answer-estimate.js';
import type { SmoothingOptions } from '../ml/smoothing-methods.js';
import type { LabeledRange } from '../ml/evaluate.js';
import { parseTruthCsv } from '../ml/truth.js';
import { UserError } from '../domain/user-error.js';
import { findLabels } from '../domain/labels.js';
import { ravenHighFreq } from './exports.js';
import { formatRangesCsv, formatRangesJsonl, RANGE_COLUMNS, rangeLabelFiles, type PredictedRange } from './range-exports.js';
import { parse } from 'csv-parse/sync';

/** Reads a file,start,end,label CSV (a ground truth, or apply's ranges); `what` names it in error messages. */
export function readRanges(path: string, what: string): LabeledRange[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UserError(`Cannot read ${what} ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  try {
    return parseTruthCsv(text);
  } catch (err) {
    throw new UserError(`Cannot use ${what} ${path}: ${(err as Error).message}`);
  }
}

/** The collection-wide table `hark evaluate` reads back; written whatever --format says. */
export const RANGES_FILE = 'ranges.csv';
export const SUMMARY_FILE = 'summary.json';

export interface LabelSummary {
  ranges: number;
  hours: number;
  recordings: number;
  /** how much of the label apply finds and how much of what it finds is the label, from the random sample */
  estimate: AnswerEstimate;
}

export interface ApplySummary {
  store: string;
  out: string;
  recordings: number;
  hours: number;
  /** recordings that could not be decoded, and why */
  failed: { file: string; reason: string }[];
  /** labeled clips the model learned from */
  examples: number;
  options: SmoothingOptions;
  labels: Record<string, LabelSummary>;
  files: string[];
  seconds: number;
  /** hours of audio per hour of wall-clock time */
  realTime: number;
}

/**
 * Where apply's runs live: `<store>/apply/runs/<time>-<labels>/`, one folder per run, so that a run (a CLI apply for
 * every label, or `a` in the labeler for its target) never replaces another's results. `<store>/apply/latest`
 * names the newest complete run.
 */
export function applyRoot(storeDir: string): string {
  return join(storeDir, 'apply');
}

const RUNS = 'runs';
const LATEST = 'latest';

export const APPLY_FORMATS = ['csv', 'audacity', 'raven', 'jsonl'] as const;
export type ApplyFormat = (typeof APPLY_FORMATS)[number];

/** A fresh folder for a run begun at `now` for these labels (the time first, so names sort by age). */
export function newRunDir(storeDir: string, labels: readonly string[], now: Date): string {
  const time = now.toISOString().replace(/[:]/g, '-');
  const names = labels.map((l) => l.replace(/[^\p{L}\p{N}_-]+/gu, '_')).join('+');
  const base = join(applyRoot(storeDir), RUNS, `${time}-${names.length > 60 ? `${labels.length}-labels` : names}`);
  let dir = base;
  for (let n = 2; existsSync(dir); n++) dir = `${base}-${n}`;
  return dir;
}

export interface RunOutput {
  ranges: readonly PredictedRange[];
  formats: readonly ApplyFormat[];
  /** sample rate per recording path, for Raven's frequency column */
  sampleRates: ReadonlyMap<string, number>;
}

/** Writes a run's tables into `out`; returns their paths (per-recording formats: their folder). */
export function writeRunTables(out: string, { ranges, formats, sampleRates }: RunOutput): string[] {
  mkdirSync(out, { recursive: true });
  const written = [join(out, RANGES_FILE)];
  writeAtomically(written[0], formatRangesCsv(ranges));
  if (formats.includes('jsonl')) {
    written.push(join(out, 'ranges.jsonl'));
    writeAtomically(written[written.length - 1], formatRangesJsonl(ranges));
  }
  for (const format of ['audacity', 'raven'] as const) {
    if (!formats.includes(format)) continue;
    const dir = join(out, format);
    mkdirSync(dir, { recursive: true });
    for (const file of rangeLabelFiles(ranges, format, (recording) => ravenHighFreq(sampleRates.get(recording)))) {
      writeAtomically(join(dir, file.name), file.text);
    }
    written.push(dir);
  }
  return written;
}

/**
 * Completes a run: its summary, written last (a folder without one is a run that did not finish), then, for a run
 * in the store's runs folder, the `latest` pointer.
 */
export function finishRun(storeDir: string, out: string, summary: ApplySummary): void {
  writeAtomically(join(out, SUMMARY_FILE), `${JSON.stringify(summary, null, 2)}\n`);
  const runs = resolve(applyRoot(storeDir), RUNS);
  if (resolve(out, '..') === runs) writeAtomically(join(applyRoot(storeDir), LATEST), `${join(RUNS, resolve(out).slice(runs.length + 1))}\n`);
}

/**
 * The newest complete run in the store that covers all of `labels` (any case), or undefined. Runs are found by their
 * folders rather than through `latest`, which names only the newest of all.
 */
export function latestRun(storeDir: string, labels: readonly string[] = []): string | undefined {
  const runs = join(applyRoot(storeDir), RUNS);
  let names: string[];
  try {
    names = readdirSync(runs).sort().reverse();
  } catch {
    return undefined;
  }
  for (const name of names) {
    const summary = readRunSummary(join(runs, name));
    if (summary && findLabels(Object.keys(summary.labels), labels).missing.length === 0) return join(runs, name);
  }
  return undefined;
}

/** A run's summary, or undefined when the folder holds no complete run. */
export function readRunSummary(dir: string): ApplySummary | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, SUMMARY_FILE), 'utf8')) as ApplySummary;
  } catch {
    return undefined;
  }
}

/** The ranges a run found, as a table of file, start, end, label (for comparing with a truth table). */
export function readRunRanges(dir: string): LabeledRange[] {
  return readRanges(join(dir, RANGES_FILE), 'the ranges hark apply wrote');
}

/** The ranges a run found with their scores, as apply wrote them (empty when the run has no table). */
export function readRunScoredRanges(dir: string): PredictedRange[] {
  let text: string;
  try {
    text = readFileSync(join(dir, RANGES_FILE), 'utf8');
  } catch {
    return [];
  }
  return (parse(text, { columns: true }) as Record<(typeof RANGE_COLUMNS)[number], string>[]).map((r) => ({
    file: r.file,
    label: r.label,
    start: Number(r.start),
    end: Number(r.end),
    meanScore: Number(r.mean_score),
    maxScore: Number(r.max_score),
    peak: Number(r.peak),
  }));
}


/**
 * Every ranges table apply has written under the store: every run, every shard (`<store>/apply/**\/ranges*.csv`),
 * each with its run, the folder it is in (relative to `<store>/apply`; `.` for the top).
 */
export function findRangesFiles(storeDir: string): { path: string; run: string }[] {
  const root = applyRoot(storeDir);
  let entries: string[];
  try {
    entries = readdirSync(root, { recursive: true, encoding: 'utf8' });
  } catch {
    return [];
  }
  return entries
    .map((entry) => entry.split(sep).join('/'))
    .filter((entry) => /^ranges[^/]*\.csv$/.test(entry.slice(entry.lastIndexOf('/') + 1)))
    .sort()
    .map((entry) => ({ path: join(root, entry), run: entry.includes('/') ? entry.slice(0, entry.lastIndexOf('/')) : '.' }));
}
