import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { NewRecord } from '../../src/store/label-store.js';
import { hipstasName, parseHipstasTable } from '../../src/store/hipstas-import.js';
import { planImport } from '../../src/store/label-import.js';
import type { LabelRecord } from '../../src/domain/labels.js';

// Rows copied from a real HiPSTAS output_table.csv (The World, 2017): unquoted, no header, one row repeated.
const realTable = readFileSync(new URL('../fixtures/hipstas-output-table.csv', import.meta.url), 'utf8');

const stored = (r: NewRecord): LabelRecord => ({ ...r, id: 'x', time: '2024-01-01T00:00:00.000Z' });

test('a real HiPSTAS table reads completely, with its Not Sure rows', () => {
  const { rows, malformed } = parseHipstasTable(realTable);
  assert.equal(rows.length, 14);
  assert.deepEqual(malformed, []);
  assert.deepEqual(rows[0], { line: 1, name: '20170623full', start: 2769, duration: 1, label: 'Background Speaker' });
  assert.equal(rows.filter((r) => r.label === 'Not Sure').length, 2);
});

test('the quoted variant reads the same, including labels with commas and quotes', () => {
  const text = '\uFEFFtape_01,12,1,"Background Speaker"\r\ntape_01, 13.5 , 0.5 , "Song, ""Amazing Grace"""\r\n';
  const { rows, malformed } = parseHipstasTable(text);
  assert.deepEqual(malformed, []);
  assert.deepEqual(
    rows.map((r) => [r.name, r.start, r.duration, r.label]),
    [
      ['tape_01', 12, 1, 'Background Speaker'],
      ['tape_01', 13.5, 0.5, 'Song, "Amazing Grace"'],
    ],
  );
});

test('broken lines are reported by line number and do not swallow the lines after them', () => {
  const text = [
    'tape,1,1,Music', // 1
    '', // 2: blank, ignored
    'tape,2,1', // 3: too few fields
    'tape,abc,1,Music', // 4: start not a number
    'tape,5,0,Music', // 5: zero duration
    'tape,-1,1,Music', // 6: negative start
    'tape,7,1,"unclosed', // 7: stray quote
    'tape,8,1,Noise', // 8
    ',9,1,Noise', // 9: no name
    'tape,10,1,', // 10: no label
  ].join('\n');
  const { rows, malformed } = parseHipstasTable(text);
  assert.deepEqual(rows.map((r) => r.line), [1, 8]);
  assert.deepEqual(malformed, [3, 4, 5, 6, 7, 9, 10]);
});

test('a recording is known by its file name without folder or extension', () => {
  assert.equal(hipstasName('1970s/tapes/20170622full.mp3'), '20170622full');
  assert.equal(hipstasName('side.a.wav'), 'side.a');
});

const files = [
  { path: 'shows/20170622full.mp3', duration: 2800 },
  { path: 'shows/20170623full.wav', duration: 2800 },
  { path: '20170627full.flac', duration: 100 },
  { path: 'a/20170626full.wav', duration: 2800 },
  { path: 'b/20170626full.wav', duration: 2800 },
];

test('rows land on the recording with that name in any subfolder, Not Sure as unsure', () => {
  const { rows } = parseHipstasTable(realTable);
  const plan = planImport(rows, files, [], 'carol');
  assert.deepEqual(plan.records[0], {
    file: 'shows/20170623full.wav',
    start: 2769,
    duration: 1,
    label: 'Background Speaker',
    kind: 'label',
    annotator: 'carol',
    how: 'import',
  });
  const unsure = plan.records.filter((r) => r.kind === 'unsure');
  assert.deepEqual(unsure.map((r) => [r.file, r.label]), [['shows/20170623full.wav', 'Not Sure']]);
});

test('rows for recordings not in the collection, or in two folders, are reported and left out', () => {
  const { rows } = parseHipstasTable(realTable);
  const plan = planImport(rows, files, [], 'carol');
  assert.deepEqual(plan.unplaced, [
    { name: '20170628full', rows: 1, candidates: [] },
    { name: '20170629full_1', rows: 1, candidates: [] },
    { name: '20170626full', rows: 1, candidates: ['a/20170626full.wav', 'b/20170626full.wav'] },
  ]);
  // 20170627full is only 100 s long: its rows at 395 s and 1095 s cannot be on it, the one at 16 s can.
  assert.deepEqual(plan.pastEnd, [5, 9]);
  assert.equal(plan.records.length + plan.pastEnd.length + 3, rows.length);
});

test('importing the same table twice adds nothing the second time, but keeps a clip answered twice', () => {
  const { rows } = parseHipstasTable(realTable);
  const first = planImport(rows, files, [], 'carol');
  const repeated = first.records.filter((r) => r.start === 157);
  assert.equal(repeated.length, 2, 'the table has this row twice; both are real answers');
  const second = planImport(rows, files, first.records.map(stored), 'carol');
  assert.deepEqual(second.records, []);
  assert.equal(second.duplicates, first.records.length);
});

test('a row differing only in its label is a new decision, not a duplicate', () => {
  const [row] = parseHipstasTable('20170622full,157,1,Music\n').rows;
  const existing = planImport([{ ...row, label: 'Carol Hills' }], files, [], 'carol').records.map(stored);
  const plan = planImport([row], files, existing, 'carol');
  assert.equal(plan.records.length, 1);
  assert.equal(plan.duplicates, 0);
});
