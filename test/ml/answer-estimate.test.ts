import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildWindowGrid } from '../../src/domain/window-grid.js';
import { estimateAnswer } from '../../src/ml/answer-estimate.js';
import type { CollectionScores } from '../../src/ml/model-scores.js';
import { DEFAULT_RANGE_OPTIONS } from '../../src/ml/ranges.js';

/**
 * Two recordings of 20 one-second clips, every clip labeled at random: clips 0-9 are A, the rest B. Without their
 * own labels, the model would give A 0.9 on clips 0-7, 0.2 on clips 8-9, 0.7 on clips 10-11 and 0.1 elsewhere.
 */
function scores(heldOutA: (w: number) => number): CollectionScores {
  const windows = 40;
  const labeled = Array.from({ length: windows }, (_, w) => ({ window: w, label: w < 10 ? 'A' : 'B', random: true }));
  const heldOut = Float32Array.from(labeled, (d) => heldOutA(d.window));
  // what apply scores: a labeled A clip is A for certain, every other clip keeps its vote
  const probabilities = Float32Array.from(labeled, (d, j) => (d.label === 'A' ? 1 : heldOut[j]));
  return { labels: ['A'], probabilities: [probabilities], failed: new Map(), labeled, heldOut: [heldOut] };
}
const vote = (w: number) => (w < 8 ? 0.9 : w < 10 ? 0.2 : w < 12 ? 0.7 : 0.1);
const grid = buildWindowGrid([20, 20], 1);

test('each random clip counts as found only by the vote it gets without its own label', () => {
  const e = estimateAnswer(grid, scores(vote), 'A', { ...DEFAULT_RANGE_OPTIONS, smooth: 0, threshold: 0.5 });
  assert.equal(e.randomLabels, 40);
  assert.equal(e.recall?.value, 8 / 10, 'clips 8 and 9 are missed');
  assert.equal(e.precision?.value, 8 / 10, 'clips 10 and 11 are wrongly found');
  assert.ok(e.recall!.low < 0.8 && e.recall!.high > 0.8);
});

test('a clip is judged by its smoothed score, its labeled neighbours by their held-out votes too, as if nobody had labeled around it', () => {
  // smoothing over 3 clips, every clip labeled: clip 7 averages 0.9, 0.9 and 0.2 = 0.67; clip 8: 0.9, 0.2, 0.2 = 0.43;
  // clip 9: 0.2, 0.2, 0.7 = 0.37; clip 10: 0.2, 0.7, 0.7 = 0.53; clip 11: 0.7, 0.7, 0.1 = 0.5. With labeled A
  // neighbours at 1 (as apply scores them), clips 8 to 10 would reach 0.55 and claim recall 1, precision 10/11.
  const e = estimateAnswer(grid, scores(vote), 'A', { ...DEFAULT_RANGE_OPTIONS, smooth: 3, threshold: 0.55 });
  assert.equal(e.recall?.value, 8 / 10);
  assert.equal(e.precision?.value, 1);
});

test('no figures before 30 random labels', () => {
  const few = scores(vote);
  few.labeled = few.labeled.map((d) => ({ ...d, random: d.window < 29 }));
  const e = estimateAnswer(grid, few, 'A', DEFAULT_RANGE_OPTIONS);
  assert.equal(e.randomLabels, 29);
  assert.equal(e.recall, null);
  assert.equal(e.precision, null);
});
