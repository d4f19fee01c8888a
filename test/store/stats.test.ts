import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeStats, coveredSeconds, formatStats } from '../../src/store/stats.js';
import { NOT_SURE, SKIPPED, type LabelRecord } from '../../src/domain/labels.js';

let nextId = 0;
function rec(file: string, start: number, duration: number, label: string, annotator = 'ana'): LabelRecord {
  const kind = label === NOT_SURE ? 'unsure' : label === SKIPPED ? 'skip' : 'label';
  return { id: `id-${++nextId}`, file, start, duration, label, kind, annotator, time: '2024-05-01T10:00:00Z', how: 'random' };
}

const records = [
  rec('a.wav', 0, 1, 'Music'),
  rec('a.wav', 0.5, 1, 'Speech'), // overlaps the Music clip by half a second
  rec('a.wav', 10, 1, 'Music', 'ben'),
  rec('a.wav', 10, 1, 'Music', 'ben'), // the same clip answered twice
  rec('b.wav', 3600, 2, 'Speech'),
  rec('b.wav', 5, 1, NOT_SURE),
  rec('c.wav', 5, 1, SKIPPED, 'ben'),
];

test('labeled time counts each second of audio once, however often it was labeled', () => {
  assert.equal(coveredSeconds(records.slice(0, 4)), 2.5);
  assert.equal(coveredSeconds([]), 0);
});

test('stats count labels per label and per annotator, with not-sure and skips apart', () => {
  const stats = computeStats(records, 10);
  assert.equal(stats.labels, 5);
  assert.equal(stats.unsure, 1);
  assert.equal(stats.skips, 1);
  assert.equal(stats.labeledSeconds, 4.5);
  assert.equal(stats.recordingsLabeled, 2, 'a recording with only a skip or a not-sure is not labeled');
  assert.equal(stats.recordingsTotal, 10);
  assert.deepEqual(stats.perLabel, [
    { label: 'Music', clips: 3, seconds: 2 },
    { label: 'Speech', clips: 2, seconds: 3 },
  ]);
  assert.deepEqual(stats.perAnnotator, [
    { annotator: 'ana', labels: 3, unsure: 1, skips: 0 },
    { annotator: 'ben', labels: 2, unsure: 0, skips: 1 },
  ]);
});

test('the stats table reads as h:mm:ss and lines up its columns', () => {
  const text = formatStats(computeStats([...records, rec('d.wav', 0, 3600, 'Speech')], 10));
  const lines = text.split('\n');
  assert.equal(lines[0], 'Labels     6 clips, 1:00:05 of audio, in 3 of 10 recordings');
  assert.equal(lines[1], 'Not sure   1');
  assert.equal(lines[2], 'Skipped    1');
  assert.deepEqual(lines.slice(4, 7), ['Label    Clips      Time', 'Music        3   0:00:02', 'Speech       3   1:00:03']);
  assert.deepEqual(lines.slice(8, 11), [
    'Annotator   Labels   Not sure   Skipped',
    'ana              4          1         0',
    'ben              2          0         1',
  ]);
});

test('stats without the media folder leave the recording total out', () => {
  const text = formatStats(computeStats(records, null));
  assert.match(text, /in 2 recordings\n/);
});

test('an empty store shows zeros and no empty tables', () => {
  assert.equal(
    formatStats(computeStats([], null)),
    'Labels     0 clips, 0:00:00 of audio, in 0 recordings\nNot sure   0\nSkipped    0\n',
  );
});

test('stats report how far annotators agree on the clips both labeled, skips and settled disagreements left out', () => {
  // ana: x x y y, ben: x y y y on clips 0-3 (kappa 1/2 by hand, see test/ml/agreement.test.ts); ben skipped clip 4,
  // and carol's adjudication of clip 1 is not a coding of her own
  const both = [
    ...['x', 'x', 'y', 'y'].map((l, i) => rec('t.wav', i, 1, l, 'ana')),
    ...['x', 'y', 'y', 'y'].map((l, i) => rec('t.wav', i, 1, l, 'ben')),
    rec('t.wav', 4, 1, 'x', 'ana'),
    rec('t.wav', 4, 1, SKIPPED, 'ben'),
    { ...rec('t.wav', 1, 1, 'y', 'carol'), how: 'adjudicated' },
  ];
  const { agreement } = computeStats(both, null);
  assert.equal(agreement.doubleCoded, 4);
  assert.deepEqual(agreement.pairs.map((p) => [p.coders.join('-'), p.items, p.kappa]), [['ana-ben', 4, 0.5]]);
  assert.ok(Math.abs(agreement.alpha! - 16 / 30) < 1e-12);
  assert.match(formatStats(computeStats(both, null)), /Agreement  4 clips labeled by more than one annotator; Krippendorff's alpha 0\.53\n[\s\S]*ana \/ ben\s+4\s+75%\s+0\.50/);
});
