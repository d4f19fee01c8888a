import type { WindowGrid } from '../domain/window-grid.js';
import { averageWithOwn, reaches, smoothingWidth, type RangeOptions } from './ranges.js';
import { DEFAULT_RECALL_GOAL, estimateFromLabels, type Interval, type LabeledWindow } from './recall-estimate.js';
import type { CollectionScores } from './model-scores.js';

/** How good apply's answer for one label looks, from the labels alone (no ground truth needed). */
export interface AnswerEstimate {
  /** labeled clips drawn uniformly at random: the sample the figures come from */
  randomLabels: number;
  /** below this many random labels there are no figures */
  minRandomLabels: number;
  /** share of the label's clips that apply marks; null while the sample holds none of the label */
  recall: Interval | null;
  /** share of the clips apply marks that are the label; null while it marks none of the sample */
  precision: Interval | null;
}

/**
 * Each randomly drawn labeled clip is marked or not as apply would mark it if nobody had labeled it: its smoothed
 * score with its own vote taken from the other labels (leave-one-out). Filling gaps and dropping short ranges are
 * left out, so the figures describe the smoothed, thresholded clips. The metric the model votes in was learned
 * with these labels too, which flatters the figures a little.
 */
export function estimateAnswer(grid: WindowGrid, scores: CollectionScores, label: string, opts: RangeOptions): AnswerEstimate {
  const i = scores.labels.indexOf(label);
  const p = scores.probabilities[i];
  const windows = scores.labeled.map((d, j) => {
    const f = grid.fileOf(d.window);
    const file = p.subarray(grid.offsets[f], grid.offsets[f + 1]);
    return { positive: d.label === label, random: d.random, flagged: flaggedUnlabeled(file, d.window - grid.offsets[f], scores.heldOut[i][j], grid.clip, opts) };
  });
  return answerEstimate(windows, grid.count);
}

/** Whether apply would mark window `local` of a file (probabilities `file`) with its own vote replaced by `heldOut`. */
export function flaggedUnlabeled(file: Float32Array, local: number, heldOut: number, clip: number, opts: RangeOptions): boolean {
  return reaches(averageWithOwn(file, smoothingWidth(opts.smooth, clip), local, heldOut), opts.threshold);
}

/** The estimate from each labeled window's label, whether it was drawn at random, and whether apply marks it. */
export function answerEstimate(windows: readonly LabeledWindow[], windowCount: number): AnswerEstimate {
  const e = estimateFromLabels(windows, windowCount, DEFAULT_RECALL_GOAL);
  return { randomLabels: e.randomLabels, minRandomLabels: e.minRandomLabels, recall: e.recall ?? null, precision: e.precision ?? null };
}
