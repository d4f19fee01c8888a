import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recallEstimate, STOP_MARGIN, wilson, type Interval } from '../../src/ml/recall-estimate.js';

function near(actual: Interval | undefined, expected: [number, number, number], what: string): void {
  assert.ok(actual, `${what} missing`);
  const got = [actual.value, actual.low, actual.high];
  got.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-3, `${what}: got ${got.join(', ')}, expected ${expected.join(', ')}`));
}

// 1000 windows; 60 random labels of which 6 are the target; the model (leave-one-out) flags 8 random clips, 5 of
// them targets; 40 targets labeled in all. Wilson 95% by hand (z = 1.96):
//   6/60 -> 0.1 [0.04664, 0.20149] -> total 100 [46.64, 201.49]
//   5/6  -> 0.8333 [0.43650, 0.96995];  5/8 -> 0.625 [0.30574, 0.86316]
const sample = { population: 1000, labeled: 60, positives: 6, positivesFlagged: 5, flagged: 8, found: 40, goal: 0.9, modelled: true };

test('the estimate of how many targets exist, and how many are found, matches a hand computation', () => {
  const e = recallEstimate(sample);
  assert.equal(e.enough, true);
  near(e.total, [100, 46.643, 201.495], 'total');
  near(e.labeledShare, [0.4, 40 / 201.495, 40 / 46.643], 'labeled share');
  near(e.recall, [0.8333, 0.4365, 0.96995], 'model recall');
  near(e.precision, [0.625, 0.30574, 0.86316], 'model precision');
  assert.equal(e.stop, false, 'six random targets are too few to trust 83% recall, and 40 found is far from the total');
});

test('until enough random clips are labeled the estimate says so instead of guessing', () => {
  const e = recallEstimate({ ...sample, labeled: 29, positives: 3, positivesFlagged: 2, flagged: 3 });
  assert.equal(e.enough, false);
  assert.equal(e.total, undefined);
  assert.equal(e.stop, false);
  assert.equal(e.found, 40);
});

test('before there is a model the estimate says nothing of its recall or precision, only of the collection', () => {
  const e = recallEstimate({ ...sample, positivesFlagged: 0, flagged: 0, modelled: false });
  near(e.total, [100, 46.643, 201.495], 'total');
  assert.equal(e.recall, undefined);
  assert.equal(e.precision, undefined);
});

test('the stop hint comes when the labels cover the goal even at the top of the interval', () => {
  assert.equal(recallEstimate({ ...sample, found: 180 }).stop, false);
  assert.equal(recallEstimate({ ...sample, found: 182 }).stop, true);
});

test('the stop hint comes when the model finds the goal share of enough random targets, its interval close to the goal', () => {
  // 29/30 flagged: 0.967 [0.833, 0.994] (Wilson); 27/30: 0.9 [0.744, 0.965]
  const many = { population: 1000, labeled: 200, positives: 30, flagged: 32, found: 30, goal: 0.9, modelled: true };
  assert.equal(recallEstimate({ ...many, positivesFlagged: 29 }).stop, true);
  assert.ok(recallEstimate({ ...many, positivesFlagged: 29 }).recall!.low >= 0.9 - STOP_MARGIN);
  assert.equal(recallEstimate({ ...many, positivesFlagged: 26 }).stop, false);
});

test('the stop hint waits while the recall interval reaches far below the goal, though its point estimate meets it', () => {
  // 18 of 20 random targets flagged: 0.9, but the interval [0.699, 0.972] holds recalls of 0.7-0.8, where the hint
  // fired in about one run in six
  const few = { population: 1000, labeled: 200, positives: 20, flagged: 22, found: 30, goal: 0.9, modelled: true };
  const e = recallEstimate({ ...few, positivesFlagged: 18 });
  assert.ok(e.recall!.value >= 0.9 && e.recall!.low < 0.9 - STOP_MARGIN, `recall ${JSON.stringify(e.recall)}`);
  assert.equal(e.stop, false);
  assert.equal(recallEstimate({ ...few, positivesFlagged: 20 }).stop, true, 'all 20 flagged: [0.839, 1]');
});

test('a Wilson interval stays inside 0..1 at the extremes', () => {
  const none = wilson(0, 50);
  assert.equal(none.value, 0);
  assert.equal(none.low, 0);
  assert.ok(none.high > 0.05 && none.high < 0.08);
  const all = wilson(50, 50);
  assert.equal(all.high, 1);
  assert.ok(all.low > 0.92 && all.low < 0.95);
});
