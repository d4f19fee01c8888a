import { Z95, type Interval } from './interval.js';
import { wilson } from './wilson.js';

/** A labeled window, in the order the labels were made, as the weighted estimate reads it. */
export interface DecidedWindow {
  positive: boolean;
  /** flagged by the model without its own label; undefined without a model */
  flagged?: boolean;
  /** the random arm drew it */
  random: boolean;
  /** the chance its draw had; absent: an even chance among the windows not labeled before it */
  drawProbability?: number;
}

export interface WeightedEstimate {
  /** random draws that were labeled */
  draws: number;
  /** of those, the target */
  positiveDraws: number;
  /** target windows in the collection */
  total: Interval;
  /** share of the target windows the model flags; absent without a model or a target */
  recall?: Interval;
  /** share of the flagged windows that are the target; absent without a model or a flagged window */
  precision?: Interval;
}

/** What each draw says of three totals: the target, the target flagged by the model, the flagged windows. */
type Totals = [number, number, number];

/**
 * The target's total and the model's recall and precision from random draws made with known, unequal chances
 * (more often where the model scored the target high), by Des Raj's estimator with the labeled windows known:
 * draw k gives  z_k = (sum of y over windows labeled before it) + y_k / q_k,  whose expectation given everything
 * before the draw is the sum of y over the collection, whatever chances the model set, as long as every unlabeled
 * window had one (weighted-draw.ts keeps a share for each). y is "is the target" for the total, "is the target and
 * flagged" for recall's numerator, "is flagged" for precision's denominator. The z_k are averaged with a weight
 * fixed before the draw, 1 + targets labeled by then: an early draw, with a model that knew no target, has chances
 * that fit the target badly and a z that can miss by thousands. The interval is Student's t on that mean, with
 * the ratios by the delta method. Undefined below two draws.
 */
export function weightedEstimate(decided: Iterable<DecidedWindow>, population: number): WeightedEstimate | undefined {
  const known: Totals = [0, 0, 0];
  const z: Totals[] = [];
  const weights: number[] = [];
  let labeled = 0;
  let modelled = true;
  let positiveDraws = 0;
  /** what each draw of the target, and each flagged draw, weighs in the estimate: by these recall and precision vary */
  const positiveWeights: number[] = [];
  const flaggedWeights: number[] = [];
  for (const d of decided) {
    if (d.flagged === undefined) modelled = false;
    const y: Totals = [d.positive ? 1 : 0, d.positive && d.flagged ? 1 : 0, d.flagged ? 1 : 0];
    if (d.random) {
      const q = d.drawProbability! > 0 ? d.drawProbability! : 1 / Math.max(1, population - labeled);
      z.push([known[0] + y[0] / q, known[1] + y[1] / q, known[2] + y[2] / q]);
      weights.push(1 + known[0]);
      positiveDraws += y[0];
      if (y[0]) positiveWeights.push((1 + known[0]) / q);
      if (y[2]) flaggedWeights.push((1 + known[0]) / q);
    }
    for (let i = 0; i < 3; i++) known[i] += y[i];
    labeled++;
  }
  if (z.length < 2) return undefined;
  const mean = weightedMean(z, weights);
  const t = studentT975(effectiveCount(weights) - 1);
  const variance = (c: Totals) => weightedVariance(z, weights, mean, c);
  const [total, hits, flagged] = mean;
  const totalHalf = t * Math.sqrt(variance([1, 0, 0]));
  const estimate: WeightedEstimate = {
    draws: z.length,
    positiveDraws,
    total: { value: Math.max(total, known[0]), low: Math.max(known[0], total - totalHalf), high: Math.min(population, Math.max(known[0], total + totalHalf)) },
  };
  if (modelled && total > 0) {
    const r = Math.min(1, hits / total);
    estimate.recall = shareInterval(r, variance([-r, 1, 0]) / total ** 2, effectiveCount(positiveWeights));
  }
  if (modelled && flagged > 0) {
    const r = Math.min(1, hits / flagged);
    estimate.precision = shareInterval(r, variance([0, 1, -r]) / flagged ** 2, effectiveCount(flaggedWeights));
  }
  return estimate;
}

/**
 * A share's interval from a weighted sample, after Korn & Graubard (1998): Wilson's interval at the sample size
 * that gives the share's variance (its effective size), no larger than the effective number of draws it is a share
 * of. When every draw agrees (share 0 or 1) the variance says nothing, and the draws' number is used: 20 draws of the
 * target, all flagged, give recall [0.84, 1], not [1, 1].
 */
function shareInterval(share: number, variance: number, draws: number): Interval {
  const size = share > 0 && share < 1 && variance > 0 ? Math.min(draws, (share * (1 - share)) / variance) : draws;
  return { ...wilson(share * size, size), value: share };
}

function weightedMean(z: Totals[], weights: number[]): Totals {
  const sum = weights.reduce((s, w) => s + w, 0);
  const mean: Totals = [0, 0, 0];
  z.forEach((zk, k) => zk.forEach((v, i) => (mean[i] += (weights[k] * v) / sum)));
  return mean;
}

/** Variance of c . (weighted mean of z): the sum of squared weighted deviations, with n / (n - 1) for the mean taken out. */
function weightedVariance(z: Totals[], weights: number[], mean: Totals, c: Totals): number {
  const sum = weights.reduce((s, w) => s + w, 0);
  let v = 0;
  z.forEach((zk, k) => {
    const dev = c[0] * (zk[0] - mean[0]) + c[1] * (zk[1] - mean[1]) + c[2] * (zk[2] - mean[2]);
    v += (weights[k] * dev) ** 2;
  });
  return ((v / (sum * sum)) * z.length) / (z.length - 1);
}

/** Kish's effective sample size of a weighted mean; 0 for no weights. */
function effectiveCount(weights: number[]): number {
  const sum = weights.reduce((s, w) => s + w, 0);
  return sum > 0 ? (sum * sum) / weights.reduce((s, w) => s + w * w, 0) : 0;
}

/** Student's t 97.5% quantile for `df` degrees of freedom (Cornish–Fisher series; within 1% from df = 2). */
export function studentT975(df: number): number {
  const v = Math.max(1, df);
  const z = Z95;
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  const z9 = z ** 9;
  return (
    z +
    (z3 + z) / (4 * v) +
    (5 * z5 + 16 * z3 + 3 * z) / (96 * v ** 2) +
    (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * v ** 3) +
    (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / (92160 * v ** 4)
  );
}
