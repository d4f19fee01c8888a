import { readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { AnswerEstimate } from '../ml/answer-estimate.js';
import type { RangeOptions } from '../ml/ranges.js';
import type { LabeledRange } from '../ml/evaluate.js';
import { parseTruthCsv } from '../ml/truth.js';
import { UserError } from '../domain/user-error.js';

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
  options: RangeOptions;
  labels: Record<string, LabelSummary>;
  files: string[];
  seconds: number;
  /** hours of audio per hour of wall-clock time */
  realTime: number;
}

export function defaultApplyDir(storeDir: string): string {
  return join(storeDir, 'apply');
}

/**
 * Every ranges table apply has written under the store: every run, every shard (`<store>/apply/**\/ranges*.csv`),
 * each with its run, the folder it is in (relative to `<store>/apply`; `.` for the top).
 */
export function findRangesFiles(storeDir: string): { path: string; run: string }[] {
  const root = defaultApplyDir(storeDir);
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
