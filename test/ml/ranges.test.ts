import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  averageWithOwn,
  bridgeGaps,
  detectRanges,
  hipstasRanges,
  mostLikelyLabel,
  movingAverage,
  runsAtOrAbove,
  smoothingWidth,
  type RangeOptions,
} from '../../src/ml/ranges.js';

const close = (actual: ArrayLike<number>, expected: number[]) => {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(actual[i] - expected[i]) < 1e-9, `[${i}] ${actual[i]} != ${expected[i]}`);
};

const opts = (patch: Partial<RangeOptions> = {}): RangeOptions => ({ threshold: 0.4, smooth: 3, mergeGap: 2, minDuration: 1, ...patch });

test('smoothing spreads a lone window over its neighbours instead of shifting it', () => {
  close(movingAverage([0, 0, 3, 0, 0], 3), [0, 1, 1, 1, 0]);
});

test('smoothing at the start of a file averages only what is there, so an opening test tone keeps its strength', () => {
  close(movingAverage([3, 0, 0], 3), [1.5, 1, 0]);
  close(movingAverage([1, 1, 0, 0], 3), [1, 2 / 3, 1 / 3, 0]);
});

test('an even smoothing width looks one window further ahead than behind', () => {
  const v = [0, 0, 0, 0, 1, 0, 0, 0];
  close(movingAverage(v, 4), [0, 0, 0.25, 0.25, 0.25, 0.25, 0, 0]);
});

test('a width of 1 leaves the probabilities as they are', () => {
  close(movingAverage([0.2, 0.9, 0.1], 1), [0.2, 0.9, 0.1]);
});

test('--smooth seconds become an odd, centred number of windows', () => {
  assert.equal(smoothingWidth(3, 1), 3);
  assert.equal(smoothingWidth(2, 1), 3);
  assert.equal(smoothingWidth(4, 1), 5);
  assert.equal(smoothingWidth(1, 1), 1);
  assert.equal(smoothingWidth(0, 1), 1);
  assert.equal(smoothingWidth(3, 0.5), 7);
});

test('a window exactly at the threshold counts, one just below does not', () => {
  assert.deepEqual(runsAtOrAbove([0.4, 0.39, 0.5, 0.5, 0], 0.4), [
    { from: 0, to: 1 },
    { from: 2, to: 4 },
  ]);
  assert.deepEqual(runsAtOrAbove([1, 1], 0.4), [{ from: 0, to: 2 }]);
  assert.deepEqual(runsAtOrAbove([], 0.4), []);
});

test('gaps shorter than --merge-gap are filled, a gap of exactly --merge-gap is not', () => {
  const runs = [
    { from: 0, to: 2 },
    { from: 3, to: 5 },
    { from: 7, to: 8 },
  ];
  assert.deepEqual(bridgeGaps(runs, 1, 2), [
    { from: 0, to: 5 },
    { from: 7, to: 8 },
  ]);
  assert.deepEqual(bridgeGaps(runs, 1, 2.5), [{ from: 0, to: 8 }]);
  assert.deepEqual(bridgeGaps(runs, 1, 0), runs);
});

test('a lone confident window is smoothed away rather than reported as a range', () => {
  assert.deepEqual(detectRanges([0, 0, 0, 0.9, 0, 0, 0], 1, 7, opts()), []);
});

test('a two-second event survives smoothing with its own boundaries and raw scores', () => {
  // smoothed: 0, .27, .57, .57, .3, 0 -> windows 2..3
  const ranges = detectRanges([0, 0, 0.8, 0.9, 0, 0], 1, 6, opts());
  assert.equal(ranges.length, 1);
  const [r] = ranges;
  assert.equal(r.start, 2);
  assert.equal(r.end, 4);
  assert.ok(Math.abs(r.meanScore - 0.85) < 1e-9);
  assert.ok(Math.abs(r.maxScore - 0.9) < 1e-9);
  assert.equal(r.peak, 3, 'the strongest window is the one to review');
});

test('a one-window dip inside a long event does not split it into two ranges', () => {
  const p = [1, 1, 1, 1, 0, 1, 1, 1, 1];
  const spans = (patch: Partial<RangeOptions>) => detectRanges(p, 1, 9, opts(patch)).map((r) => [r.start, r.end]);
  assert.deepEqual(spans({ smooth: 1, mergeGap: 1 }), [
    [0, 4],
    [5, 9],
  ]);
  assert.deepEqual(spans({ smooth: 1, mergeGap: 2 }), [[0, 9]]);
  const [joined] = detectRanges(p, 1, 9, opts({ smooth: 1 }));
  assert.ok(Math.abs(joined.meanScore - 8 / 9) < 1e-9, 'the gap window counts in the mean');
  assert.equal(joined.maxScore, 1);
});

test('a two-window dip survives smoothing and the 2 s merge gap: two separate events stay two ranges', () => {
  // smoothed with 3 windows the dip is 1/3, 1/3: below 0.4, a gap of exactly 2 s
  assert.equal(detectRanges([1, 1, 1, 1, 0, 0, 1, 1, 1, 1], 1, 10, opts()).length, 2);
});

test('ranges shorter than --min-duration are dropped, ranges of exactly that length kept', () => {
  const p = [0, 1, 0, 0, 1, 1, 0];
  const at = (minDuration: number) =>
    detectRanges(p, 0.5, 3.5, opts({ smooth: 0, mergeGap: 0, minDuration })).map((r) => [r.start, r.end]);
  assert.deepEqual(at(0), [
    [0.5, 1],
    [2, 3],
  ]);
  assert.deepEqual(at(1), [[2, 3]]);
  assert.deepEqual(at(1.01), []);
});

test('the last range ends where the file ends, not at the end of its last clip', () => {
  const ranges = detectRanges([1], 1, 0.6, opts({ minDuration: 0 }));
  assert.deepEqual(
    ranges.map((r) => [r.start, r.end]),
    [[0, 0.6]],
  );
});

test('a lower --threshold finds more: recall only grows as the threshold falls', () => {
  const p = [0.1, 0.3, 0.45, 0.2, 0.6, 0.35, 0.1, 0.5, 0.5, 0.05];
  let covered = -1;
  for (const threshold of [0.9, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1]) {
    const total = detectRanges(p, 1, 10, opts({ threshold, minDuration: 0 })).reduce((s, r) => s + r.end - r.start, 0);
    assert.ok(total >= covered, `threshold ${threshold}`);
    covered = total;
  }
});

test('HiPSTAS-style smoothing keeps a run of five windows and drops a run of four', () => {
  const run = (from: number, to: number, n = 25) => Array.from({ length: n }, (_, i) => i >= from && i < to);
  assert.deepEqual(
    hipstasRanges(run(10, 15), 1, 25).map((r) => [r.start, r.end]),
    [[9, 15]],
  );
  assert.deepEqual(hipstasRanges(run(10, 14), 1, 25), []);
});

test('HiPSTAS-style smoothing bridges short interruptions in a long run', () => {
  const flags = Array.from({ length: 30 }, (_, i) => i < 20 && i !== 8 && i !== 9);
  assert.deepEqual(
    hipstasRanges(flags, 1, 30).map((r) => [r.start, r.end]),
    [[0, 20]],
  );
});

test('HiPSTAS-style decisions take each window\'s most likely label, and none where no label has support', () => {
  const probabilities = [Float32Array.from([0.2, 0.6, 0, 0.5]), Float32Array.from([0.7, 0.3, 0, 0.5])];
  assert.deepEqual(Array.from(mostLikelyLabel(probabilities, 4)), [1, 0, -1, 0]);
});

test('the average at one index with its own value replaced', () => {
  const values = [0, 1, 1, 0, 1];
  for (const width of [1, 3, 4, 5]) {
    const plain = movingAverage(values, width);
    values.forEach((v, i) => assert.ok(Math.abs(averageWithOwn(values, width, i, v) - plain[i]) < 1e-12, `width ${width} at ${i}`));
  }
  assert.equal(averageWithOwn(values, 3, 2, 0), 1 / 3, '(1 + 0 + 0) / 3');
  assert.equal(averageWithOwn(values, 3, 0, 1), 1, 'the first index averages what exists: (1 + 1) / 2');
});
