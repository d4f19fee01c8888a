import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatRangesCsv, formatRangesJsonl, rangeLabelFiles, type PredictedRange } from '../../src/store/range-exports.js';

const ranges: PredictedRange[] = [
  { file: 'b.wav', start: 3, end: 7.5, label: 'Tone', meanScore: 0.81234567, maxScore: 1, peak: 5 },
  { file: 'a, b.wav', start: 10.1 + 0.2, end: 12, label: 'Host', meanScore: 0.5, maxScore: 0.75, peak: 11 },
  { file: 'b.wav', start: 0, end: 2, label: 'Music', meanScore: 0.4, maxScore: 0.6, peak: 1 },
];

test('the collection-wide CSV lists every range by file and time, with tidy numbers and quoted names', () => {
  assert.equal(
    formatRangesCsv(ranges),
    'file,start,end,label,mean_score,max_score,peak\n"a, b.wav",10.3,12,Host,0.5,0.75,11\nb.wav,0,2,Music,0.4,0.6,1\nb.wav,3,7.5,Tone,0.8123,1,5\n',
  );
});

test('JSON lines carry the same fields as the CSV', () => {
  const first = JSON.parse(formatRangesJsonl(ranges).split('\n')[0]) as Record<string, unknown>;
  assert.deepEqual(first, { file: 'a, b.wav', start: 10.3, end: 12, label: 'Host', mean_score: 0.5, max_score: 0.75, peak: 11 });
});

test('each recording gets its own Audacity label track with its ranges in time order', () => {
  const files = rangeLabelFiles(ranges, 'audacity', () => 8000);
  assert.deepEqual(
    files.map((f) => [f.recording, f.labels]),
    [
      ['a, b.wav', 1],
      ['b.wav', 2],
    ],
  );
  assert.equal(files[1].text, '0.000000\t2.000000\tMusic\n3.000000\t7.500000\tTone\n');
});

test('a Raven table spans each range from 0 Hz to the recording\'s Nyquist frequency', () => {
  const [table] = rangeLabelFiles([ranges[0]], 'raven', (recording) => (recording === 'b.wav' ? 22050 : 0));
  assert.match(table.text, /^Selection\t/);
  assert.match(table.text, /\n1\tSpectrogram 1\t1\t3.000000\t7.500000\t0\t22050\tTone\n$/);
});
