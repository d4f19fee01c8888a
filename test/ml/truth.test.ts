import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTruthCsv } from '../../src/ml/truth.js';

test('a truth CSV with overlapping rows, extra columns and any column order is read as is', () => {
  const rows = parseTruthCsv('\ufefflabel,file,start,end,source\nmusic,a.mp3,0,8.7,x\n\nhost,a.mp3,7.86,26.32,y\n');
  assert.deepEqual(rows, [
    { file: 'a.mp3', start: 0, end: 8.7, label: 'music' },
    { file: 'a.mp3', start: 7.86, end: 26.32, label: 'host' },
  ]);
});

test('the ranges apply wrote read back as truth-shaped rows', () => {
  const rows = parseTruthCsv('file,start,end,label,mean_score,max_score\n"dir/a b.wav",1,4,Tone,0.7,0.9\n');
  assert.deepEqual(rows, [{ file: 'dir/a b.wav', start: 1, end: 4, label: 'Tone' }]);
});

test('a broken row is reported with its line number', () => {
  assert.throws(() => parseTruthCsv('file,start,end,label\na,0,1,x\n\na,,2,x\n'), /line 4/);
  assert.throws(() => parseTruthCsv('file,start,end,label\na,3,1,x\n'), /line 2/);
  assert.throws(() => parseTruthCsv('name,start,duration,label\na,3,1,x\n'), /missing: file, end/);
});

test('an empty file has no rows', () => {
  assert.deepEqual(parseTruthCsv(''), []);
});
