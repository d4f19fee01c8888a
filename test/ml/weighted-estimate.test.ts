import { test } from 'node:test';
import assert from 'node:assert/strict';
import { studentT975, weightedEstimate } from '../../src/ml/weighted-estimate.js';

const close = (actual: number | undefined, expected: number, what: string) =>
  assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-5, `${what}: got ${actual}, expected ${expected}`);

// 10 windows. In the order labeled: a target the likely arm found (flagged), then three random draws:
//   a flagged target with chance 0.25, a non-target with chance 0.1, an unflagged target with chance 0.2.
// Each draw's z = (targets labeled before it) + y / q, its weight 1 + targets labeled before it:
//   total:    5, 2, 7   weights 2, 3, 3 (sum 8)  -> (10 + 6 + 21) / 8 = 4.625
//   flagged targets: 5, 2, 2                     -> (10 + 6 + 6) / 8  = 2.75  -> recall 2.75 / 4.625 = 0.594595
//   flagged:  5, 2, 2                            -> 2.75                      -> precision 1
// Recall's variance by the delta method: d = (zF - 2.75) - r (zT - 4.625) = 2.027027, 0.810811, -2.162162;
//   sum (w d)^2 = 64.426589, / 8^2 * 3/2 / 4.625^2 = 0.0705916: effective size 0.594595 * 0.405405 / 0.0705916 = 3.41,
//   more than the 1.83 draws of the target are worth (Kish, weights w / q = 8 and 15: 23^2 / 289), so Wilson at 1.83:
//   centre (0.594595 + 1.049349) / 3.098699 = 0.530527, half 1.959964 * sqrt(0.131693 + 0.286643) / 3.098699 = 0.409101.
// Precision: one flagged draw, all flagged ones targets: Wilson(1, 1) = [0.206549, 1].
test('the weighted estimate of the total, recall and precision matches a case computed by hand', () => {
  const e = weightedEstimate(
    [
      { positive: true, flagged: true, random: false },
      { positive: true, flagged: true, random: true, drawProbability: 0.25 },
      { positive: false, flagged: false, random: true, drawProbability: 0.1 },
      { positive: true, flagged: false, random: true, drawProbability: 0.2 },
    ],
    10,
  )!;
  assert.equal(e.draws, 3);
  assert.equal(e.positiveDraws, 2);
  close(e.total.value, 4.625, 'total');
  close(e.total.low, 3, 'total, low: never below the 3 targets labeled');
  close(e.total.high, 10, 'total, high: never above the collection');
  close(e.recall?.value, 0.594595, 'recall');
  close(e.recall?.low, 0.530527 - 0.409101, 'recall, low');
  close(e.recall?.high, 0.530527 + 0.409101, 'recall, high');
  close(e.precision?.value, 1, 'precision');
  close(e.precision?.low, 1 / (1 + 1.959964 ** 2), 'precision, low');
  close(e.precision?.high, 1, 'precision, high');
});

test('the weighted total moves by a target drawn at chance q by 1 / q, and its interval by Student t', () => {
  // four even draws of 1 in 100 over 100 windows, the third a target: z = 0, 0, 100, 1, weights 1, 1, 1, 2
  const e = weightedEstimate(
    [false, false, true, false].map((positive) => ({ positive, random: true, drawProbability: 0.01 })),
    100,
  )!;
  const z = [0, 0, 100, 1];
  const w = [1, 1, 1, 2];
  const mean = (0 + 0 + 100 + 2) / 5;
  const variance = (z.reduce((s, v, k) => s + (w[k] * (v - mean)) ** 2, 0) / 25) * (4 / 3);
  const t = studentT975(25 / 7 - 1);
  close(e.total.value, mean, 'total');
  close(e.total.high, mean + t * Math.sqrt(variance), 'total, high');
  close(e.total.low, Math.max(1, mean - t * Math.sqrt(variance)), 'total, low');
  assert.equal(e.recall, undefined, 'no model, no recall');
});

test("Student's t quantile matches the table from 2 degrees of freedom", () => {
  const table: [number, number][] = [[2, 4.303], [3, 3.182], [5, 2.571], [10, 2.228], [30, 2.042], [1000, 1.962]];
  for (const [df, t] of table) assert.ok(Math.abs(studentT975(df) - t) / t < 0.01, `df ${df}: ${studentT975(df)} vs ${t}`);
});

test('an even draw from a store older than weighted draws, without its chance, counts as one in the windows not yet labeled', () => {
  const stored = weightedEstimate([{ positive: true, random: false }, ...[true, false, false].map((positive) => ({ positive, random: true, drawProbability: 1 / 99 }))], 100);
  const implied = weightedEstimate([{ positive: true, random: false }, ...[true, false, false].map((positive) => ({ positive, random: true }))], 100);
  close(implied?.total.value, stored!.total.value, 'the target was drawn first, among the 99 windows not labeled yet');
});
