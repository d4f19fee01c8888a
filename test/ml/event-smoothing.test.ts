import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeEvents, learnDurations } from '../../src/ml/event-smoothing.js';
import { detectRanges } from '../../src/ml/ranges.js';
import { SMOOTHING_METHODS } from '../../src/ml/smoothing-methods.js';

const opts = { threshold: 0.4 };

/** Probabilities from a pattern, one character per 1 s window: '#' a confident window, '+' a likely one, '.' an unlikely one. */
const windows = (pattern: string) => Array.from(pattern, (c) => (c === '#' ? 0.95 : c === '+' ? 0.6 : 0.05));
const spans = (runs: { from: number; to: number }[]) => runs.map((r) => [r.from, r.to]);

// a 30 s piece of music whose scores dip twice for 2 s, between minutes of speech; durations like those learned for
// music on the dev corpus (events of 17-21 s, gaps of 100-115 s)
const fragmented = `${'.'.repeat(60)}${'#'.repeat(10)}..${'#'.repeat(8)}..${'#'.repeat(8)}${'.'.repeat(60)}`;
const music = { event: 20, gap: 100 };

test('a long event whose scores dip for a few seconds becomes one range, where the moving average made three', () => {
  const p = windows(fragmented);
  assert.equal(detectRanges(p, 1, p.length).length, 3, 'the averaging method it replaces splits the piece');
  assert.deepEqual(spans(decodeEvents(p, music, opts)), [[60, 90]]);
});

test('a short event with clear scores stays a range of its own beside a long one', () => {
  const p = windows(`${'.'.repeat(40)}${'#'.repeat(25)}${'.'.repeat(12)}####${'.'.repeat(40)}`);
  assert.deepEqual(spans(decodeEvents(p, music, opts)), [
    [40, 65],
    [77, 81],
  ]);
});

test('a lone spike of one or two confident windows among unlikely ones is not offered as a range', () => {
  const p = windows(`${'.'.repeat(50)}#${'.'.repeat(50)}##${'.'.repeat(50)}`);
  assert.deepEqual(decodeEvents(p, music, opts), []);
  assert.equal(detectRanges(p, 1, p.length).length, 1, 'the averaging method keeps the two-window spike');
});

test('a label whose events are short and close together, like a host between guest turns, keeps them apart', () => {
  const p = windows('....#####..#####..#####....');
  assert.deepEqual(spans(decodeEvents(p, { event: 5, gap: 3 }, opts)), [
    [4, 9],
    [11, 16],
    [18, 23],
  ]);
  assert.deepEqual(spans(decodeEvents(p, { event: 30, gap: 60 }, opts)), [[4, 23]], 'with long events learned, the same dips are bridged');
});

test('an event at the very start or end of a recording is kept to the edge', () => {
  const p = windows(`######${'.'.repeat(30)}######`);
  assert.deepEqual(spans(decodeEvents(p, { event: 10, gap: 30 }, opts)), [
    [0, 6],
    [36, 42],
  ]);
});

test('a higher threshold asks more of the windows before they count', () => {
  const p = windows(`${'.'.repeat(30)}${'+'.repeat(10)}${'.'.repeat(30)}`);
  assert.deepEqual(spans(decodeEvents(p, { event: 10, gap: 30 }, { threshold: 0.4 })), [[30, 40]]);
  assert.deepEqual(decodeEvents(p, { event: 10, gap: 30 }, { threshold: 0.7 }), []);
});

test('event and gap lengths are learned from the scores of all recordings, and the dips inside events do not shorten them', () => {
  // three recordings, each with one 30 s event broken by dips into runs of 10 and 8 s, 60 s of nothing either side
  const d = learnDurations([windows(fragmented), windows(fragmented), windows(fragmented)], opts);
  assert.ok(Math.abs(d.event - 30) < 1e-9, `mean event ${d.event} s`);
  // the gaps: 3 x 120 windows off, left three times (the closing 60 s is cut off by the end, not left)
  assert.ok(Math.abs(d.gap - 120) < 1e-9, `mean gap ${d.gap} s`);
});

test('a recording with nothing of the label learns no event and finds none', () => {
  const p = windows('.'.repeat(100));
  const d = learnDurations([p], opts);
  assert.deepEqual(decodeEvents(p, d, opts), []);
  assert.deepEqual(decodeEvents([], d, opts), []);
});

test("apply's events method finds the fragmented piece as one range and marks a dip inside it as the label", () => {
  const p = windows(fragmented);
  const fitted = SMOOTHING_METHODS.events.fit([p, p], 1, { threshold: 0.4, smooth: 3, mergeGap: 2, minDuration: 1 });
  assert.deepEqual(spans(fitted.runs(p)), [[60, 90]]);
  assert.equal(fitted.marks(p, 71, 0.05), true, 'a dip window inside the piece');
  assert.equal(fitted.marks(p, 30, 0.95), false, 'a lone confident window in speech');
});
