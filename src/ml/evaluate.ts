/**
 * Precision, recall and F1 of predicted ranges against ground truth, per label, at two grains.
 *
 * Window level: each clip-length window of the collection's grid is one item. A window is truly the label when the
 * truth rows of that label cover at least half of it, and predicted as the label when the predicted ranges do;
 * overlapping rows of one label count once. This is what a listener checking clip by clip would score.
 *
 * Event level: an event is a stretch of one label in the truth (overlapping or touching rows of the label joined).
 * A truth event is found, and a predicted range is correct, when the two overlap by at least half of the shorter
 * one. "Half of the shorter" lets a 3 s tone inside a 10 s predicted range count, and a long host segment count as
 * found by a range well inside it, while a range that only grazes an event across a clip boundary does not.
 *
 * Only files with at least one truth row are evaluated: a file the truth says nothing about is unknown, not negative.
 * A score with nothing to divide by (no predictions for precision, no truth for recall) is NaN, which JSON writes
 * as null.
 */
import { windowsInFile } from '../domain/window-grid.js';
import type { TimeRange } from './ranges.js';

/** One labeled stretch of one recording: a truth row or a predicted range. */
export interface LabeledRange extends TimeRange {
  /** path relative to the media root */
  file: string;
  label: string;
}

export interface Scores {
  precision: number;
  recall: number;
  f1: number;
}

export interface WindowScores extends Scores {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
}

export interface EventScores extends Scores {
  /** truth events */
  events: number;
  found: number;
  /** predicted ranges */
  ranges: number;
  correct: number;
}

export interface LabelEvaluation {
  window: WindowScores;
  event: EventScores;
}

export interface EvaluatedFile {
  path: string;
  duration: number;
}

export function scores(correctPredictions: number, predictions: number, foundTruths: number, truths: number): Scores {
  const precision = predictions > 0 ? correctPredictions / predictions : NaN;
  const recall = truths > 0 ? foundTruths / truths : NaN;
  const f1 = Number.isNaN(precision + recall) ? NaN : precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}

/** The ranges joined where they overlap or touch, sorted; empty ranges dropped. */
export function unionOf(ranges: readonly TimeRange[]): TimeRange[] {
  const sorted = ranges.filter((r) => r.end > r.start).sort((a, b) => a.start - b.start);
  const out: TimeRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push({ start: r.start, end: r.end });
  }
  return out;
}

const overlap = (a: TimeRange, b: TimeRange) => Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));

/** For each of `items` (sorted, disjoint), whether one of `others` (sorted, disjoint) overlaps it by half the shorter. */
export function matchedByHalfOverlap(items: readonly TimeRange[], others: readonly TimeRange[]): boolean[] {
  let first = 0;
  return items.map((item) => {
    while (first < others.length && others[first].end <= item.start) first++;
    for (let j = first; j < others.length && others[j].start < item.end; j++) {
      const shorter = Math.min(item.end - item.start, others[j].end - others[j].start);
      if (overlap(item, others[j]) >= shorter / 2 - 1e-9) return true;
    }
    return false;
  });
}

/** A window is the label when the label's rows cover at least this share of it, unless told otherwise. */
export const COVERED_SHARE = 0.5;

/** For each window of a file's grid, whether the sorted, disjoint ranges cover at least `share` of it. */
export function windowsCovered(ranges: readonly TimeRange[], duration: number, clip: number, share = COVERED_SHARE): boolean[] {
  let first = 0;
  return Array.from({ length: windowsInFile(duration, clip) }, (_, k) => {
    const window = { start: k * clip, end: Math.min((k + 1) * clip, duration) };
    while (first < ranges.length && ranges[first].end <= window.start) first++;
    let covered = 0;
    for (let j = first; j < ranges.length && ranges[j].start < window.end; j++) covered += overlap(window, ranges[j]);
    return covered >= (window.end - window.start) * share - 1e-9;
  });
}

/**
 * Scores one label over the files that have truth rows. `presentShare`: the share of a window the truth rows must
 * cover for it to be truly the label (as `hark simulate --oracle present --present-share` answered); predicted ranges
 * count from half a window, as always.
 */
export function evaluateLabel(
  truth: readonly LabeledRange[],
  predicted: readonly LabeledRange[],
  files: readonly EvaluatedFile[],
  clip: number,
  label: string,
  presentShare = COVERED_SHARE,
): LabelEvaluation {
  const truthFiles = new Set(truth.map((r) => r.file));
  const rangesOf = (rows: readonly LabeledRange[], file: string) => unionOf(rows.filter((r) => r.file === file && r.label === label));
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let events = 0;
  let found = 0;
  let ranges = 0;
  let correct = 0;
  for (const file of files) {
    if (!truthFiles.has(file.path)) continue;
    const actual = rangesOf(truth, file.path);
    const guessed = rangesOf(predicted, file.path);
    const isActual = windowsCovered(actual, file.duration, clip, presentShare);
    const isGuessed = windowsCovered(guessed, file.duration, clip);
    for (let k = 0; k < isActual.length; k++) {
      if (isActual[k] && isGuessed[k]) tp++;
      else if (isGuessed[k]) fp++;
      else if (isActual[k]) fn++;
    }
    events += actual.length;
    found += count(matchedByHalfOverlap(actual, guessed));
    ranges += guessed.length;
    correct += count(matchedByHalfOverlap(guessed, actual));
  }
  return {
    window: { ...scores(tp, tp + fp, tp, tp + fn), truePositives: tp, falsePositives: fp, falseNegatives: fn },
    event: { ...scores(correct, ranges, found, events), events, found, ranges, correct },
  };
}

export function evaluateLabels(
  truth: readonly LabeledRange[],
  predicted: readonly LabeledRange[],
  files: readonly EvaluatedFile[],
  clip: number,
  labels: readonly string[],
  presentShare = COVERED_SHARE,
): Record<string, LabelEvaluation> {
  return Object.fromEntries(labels.map((label) => [label, evaluateLabel(truth, predicted, files, clip, label, presentShare)]));
}

const count = (flags: readonly boolean[]) => flags.reduce((n, f) => n + (f ? 1 : 0), 0);
