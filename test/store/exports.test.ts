import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import {
  formatAudacity,
  formatCsv,
  formatHipstas,
  formatJsonl,
  formatRaven,
  labelFilesPerRecording,
  labelsOnly,
  RAVEN_HEADER,
  sharedHipstasNames,
} from '../../src/store/exports.js';
import { parseHipstasTable } from '../../src/store/hipstas-import.js';
import { NOT_SURE, SKIPPED, type LabelRecord } from '../../src/domain/labels.js';

let nextId = 0;
function rec(file: string, start: number, label: string, extra: Partial<LabelRecord> = {}): LabelRecord {
  return {
    id: `id-${++nextId}`,
    file,
    start,
    duration: 1,
    label,
    kind: 'label',
    annotator: 'ana',
    time: '2024-05-01T10:00:00.000Z',
    how: 'random',
    ...extra,
  };
}

const records: LabelRecord[] = [
  rec('tapes/side-a.wav', 12, 'Music'),
  rec('tapes/side-a.wav', 3, 'Speech, "host"', { strategy: 'mix', score: 0.75, modelVersion: 2, drawProbability: 0.01 }),
  rec('side-b.mp3', 0.1 + 0.2, NOT_SURE, { kind: 'unsure' }),
  rec('side-b.mp3', 5, SKIPPED, { kind: 'skip' }),
];

test('skips are not exported as labels; not-sure answers are', () => {
  assert.deepEqual(labelsOnly(records).map((r) => r.label), ['Music', 'Speech, "host"', NOT_SURE]);
});

test('the HiPSTAS table has no header, quotes the label, and reads back as the same rows', () => {
  const text = formatHipstas(labelsOnly(records));
  assert.equal(text.split('\n')[0], 'side-a,12,1,"Music"');
  assert.equal(text.split('\n')[2], 'side-b,0.3,1,"Not Sure"', 'times carry no float noise');
  assert.deepEqual(
    parseHipstasTable(text).rows.map((r) => [r.name, r.start, r.duration, r.label]),
    [
      ['side-a', 12, 1, 'Music'],
      ['side-a', 3, 1, 'Speech, "host"'],
      ['side-b', 0.3, 1, NOT_SURE],
    ],
  );
});

test('the CSV has a header with every record field and keeps commas and quotes in labels', () => {
  const text = formatCsv(records);
  const header = text.split('\n')[0];
  assert.equal(header, 'id,file,start,duration,label,kind,annotator,time,how,strategy,score,modelVersion,drawProbability,weighted,sampled');
  const rows = parse(text, { columns: true }) as Record<string, string>[];
  assert.equal(rows.length, records.length);
  assert.equal(rows[1].label, 'Speech, "host"');
  assert.equal(Number(rows[1].drawProbability), 0.01);
  assert.equal(rows[0].strategy, '', 'a missing optional field is an empty cell');
  assert.equal(rows[3].kind, 'skip');
});

test('JSON Lines gives back every record exactly', () => {
  const lines = formatJsonl(records).trimEnd().split('\n');
  assert.deepEqual(lines.map((l) => JSON.parse(l)), records);
  assert.equal(formatJsonl([]), '');
});

test('an Audacity label track has start, end and label per line, in time order, 6 decimals', () => {
  const lines = formatAudacity([...records.slice(0, 2), rec('tapes/side-a.wav', 7, 'tab\there')]).trimEnd().split('\n');
  assert.deepEqual(lines, ['3.000000\t4.000000\tSpeech, "host"', '7.000000\t8.000000\ttab here', '12.000000\t13.000000\tMusic']);
  for (const line of lines) {
    const [start, end] = line.split('\t').map(Number);
    assert.ok(start < end);
  }
});

test('a Raven selection table has the exact Raven header and numbered boxes from 0 Hz to the given top', () => {
  const lines = formatRaven(records.slice(0, 2), 11025).trimEnd().split('\n');
  assert.equal(lines[0], 'Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)\tAnnotation');
  assert.equal(lines[0], RAVEN_HEADER);
  assert.deepEqual(lines[1].split('\t'), ['1', 'Spectrogram 1', '1', '3.000000', '4.000000', '0', '11025', 'Speech, "host"']);
  assert.deepEqual(lines[2].split('\t'), ['2', 'Spectrogram 1', '1', '12.000000', '13.000000', '0', '11025', 'Music']);
});

test('one label file per recording, named after its path, never two with the same name', () => {
  const clash = [
    rec('a/b.wav', 1, 'Music'),
    rec('a__b.wav', 1, 'Music'),
    rec('A__b.wav', 2, 'Music'),
    rec('x:y?.wav', 1, 'Noise'),
    rec('a/b.wav', 5, 'Noise'),
  ];
  const files = labelFilesPerRecording(clash, 'audacity', () => 8000);
  assert.deepEqual(
    files.map((f) => [f.recording, f.name, f.labels]),
    [
      ['A__b.wav', 'A__b.wav.txt', 1],
      ['a/b.wav', 'a__b.wav (2).txt', 2],
      ['a__b.wav', 'a__b.wav (3).txt', 1],
      ['x:y?.wav', 'x_y_.wav.txt', 1],
    ],
  );
  assert.equal(files[1].text, '1.000000\t2.000000\tMusic\n5.000000\t6.000000\tNoise\n');
});

test('Raven tables are named the way Raven names them and use each recording\'s own top frequency', () => {
  const files = labelFilesPerRecording(labelsOnly(records), 'raven', (r) => (r === 'side-b.mp3' ? 22050 : 8000));
  assert.deepEqual(files.map((f) => f.name), ['side-b.mp3.Table.1.selections.txt', 'tapes__side-a.wav.Table.1.selections.txt']);
  assert.equal(files[0].text.split('\n')[1].split('\t')[6], '22050');
});

test('recordings that share a HiPSTAS name are found so the user can be warned', () => {
  assert.deepEqual(sharedHipstasNames([rec('a/x.wav', 1, 'M'), rec('b/x.mp3', 1, 'M'), rec('a/x.wav', 2, 'M')]), ['x']);
  assert.deepEqual(sharedHipstasNames(records), []);
});
