import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  evaluateLabel,
  evaluateLabels,
  matchedByHalfOverlap,
  scores,
  unionOf,
  windowsCovered,
  type LabeledRange,
} from '../../src/ml/evaluate.js';

const near = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} != ${expected}`);
const span = (start: number, end: number) => ({ start, end });
const row = (file: string, start: number, end: number, label: string): LabeledRange => ({ file, start, end, label });

test('overlapping truth rows of one label count once', () => {
  assert.deepEqual(unionOf([span(5, 6), span(0, 3), span(1, 2), span(3, 4), span(7, 7)]), [span(0, 4), span(5, 6)]);
});

test('a short tone inside a long predicted range is found; a range grazing an event across a boundary is not', () => {
  assert.deepEqual(matchedByHalfOverlap([span(3, 6)], [span(0, 10)]), [true]);
  assert.deepEqual(matchedByHalfOverlap([span(0, 10)], [span(8, 12)]), [true], 'overlap 2 = half of the 4 s range');
  assert.deepEqual(matchedByHalfOverlap([span(0, 10)], [span(9, 12)]), [false], 'overlap 1 < half of 3 s');
  assert.deepEqual(matchedByHalfOverlap([span(0, 1), span(2, 3), span(20, 30)], [span(0.2, 2.8)]), [true, true, false]);
});

test('a window counts as the label when at least half of it is covered', () => {
  assert.deepEqual(windowsCovered([span(0.5, 2.2)], 5, 1), [true, true, false, false, false]);
  assert.deepEqual(windowsCovered([span(0, 0.3), span(0.7, 1)], 2, 1), [true, false], 'two slivers add up to 0.6 s');
  assert.deepEqual(windowsCovered([span(0, 0.2), span(0.8, 1)], 2, 1), [false, false], 'two slivers add up to 0.4 s');
});

test('the last, shorter window of a short file is judged against its own length', () => {
  assert.deepEqual(windowsCovered([span(0, 0.3)], 0.5, 1), [true]);
});

test('precision and recall are undefined (null in JSON), not zero, when there is nothing to divide by', () => {
  const none = scores(0, 0, 0, 5);
  assert.ok(Number.isNaN(none.precision));
  assert.equal(none.recall, 0);
  assert.ok(Number.isNaN(none.f1));
  assert.equal(JSON.stringify(none), '{"precision":null,"recall":0,"f1":null}');
  assert.deepEqual(scores(0, 3, 0, 2), { precision: 0, recall: 0, f1: 0 });
});

const truth = [
  row('a.wav', 0, 3, 'tone'),
  row('a.wav', 1, 2, 'tone'),
  row('a.wav', 6, 8, 'tone'),
  row('a.wav', 3, 6, 'host'),
  row('a.wav', 8, 10, 'host'),
];
const files = [
  { path: 'a.wav', duration: 10 },
  { path: 'b.wav', duration: 10 },
];

test('window and event scores match a hand count', () => {
  const predicted = [row('a.wav', 0, 2, 'tone'), row('a.wav', 5, 9, 'tone'), row('a.wav', 9.6, 10, 'tone'), row('b.wav', 0, 10, 'tone')];
  const { window, event } = evaluateLabel(truth, predicted, files, 1, 'tone');
  // truth windows 0 1 2 6 7; predicted windows 0 1 5 6 7 8 (9 is only 0.4 covered); b.wav has no truth and is skipped
  assert.equal(window.truePositives, 4);
  assert.equal(window.falsePositives, 2);
  assert.equal(window.falseNegatives, 1);
  near(window.precision, 4 / 6);
  near(window.recall, 4 / 5);
  near(window.f1, 8 / 11);
  // events [0,3] [6,8] both found; ranges [0,2] [5,9] correct, [9.6,10] touches no tone
  assert.deepEqual([event.events, event.found, event.ranges, event.correct], [2, 2, 3, 2]);
  near(event.precision, 2 / 3);
  near(event.recall, 1);
  near(event.f1, 0.8);
});

test('a label never predicted has zero recall and no precision', () => {
  const result = evaluateLabels(truth, [row('a.wav', 0, 3, 'tone')], files, 1, ['tone', 'host']);
  assert.equal(result.tone.window.recall, 3 / 5);
  assert.equal(result.host.window.recall, 0);
  assert.ok(Number.isNaN(result.host.window.precision));
  assert.equal(result.host.event.events, 2);
  assert.equal(result.host.event.found, 0);
});

test('a perfect prediction scores 1 everywhere, whatever the window length', () => {
  for (const clip of [0.5, 1, 3]) {
    const result = evaluateLabel(truth, truth, files, clip, 'host');
    for (const grain of [result.window, result.event]) {
      near(grain.precision, 1);
      near(grain.recall, 1);
      near(grain.f1, 1);
    }
  }
});
