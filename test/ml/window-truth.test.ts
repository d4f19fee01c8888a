import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildWindowGrid } from '../../src/domain/window-grid.js';
import { windowTruth } from '../../src/ml/window-truth.js';

test('each window takes the truth label that covers most of it, overlapping rows included', () => {
  const files = [{ path: 'a.mp3' }, { path: 'b.mp3' }];
  const grid = buildWindowGrid([4, 2.5], 1);
  const truth = windowTruth(
    [
      { file: 'a.mp3', start: 0, end: 1.7, label: 'music' },
      { file: 'a.mp3', start: 1.6, end: 4, label: 'host' },
      // a music bed under the host in window 2: 0.5 s + 0.2 s of music against 1 s of host
      { file: 'a.mp3', start: 2.5, end: 3.2, label: 'music' },
      { file: 'b.mp3', start: 1, end: 2.5, label: 'tone' },
      { file: 'other.mp3', start: 0, end: 9, label: 'noise' },
    ],
    files,
    grid,
  );
  assert.deepEqual(truth.labels, ['music', 'host', 'tone', 'noise']);
  assert.deepEqual([...truth.main], [0, 0, 1, 1, -1, 2]);
});

test('a window covered equally by two labels goes to the one the truth names first', () => {
  const grid = buildWindowGrid([1], 1);
  const truth = windowTruth(
    [
      { file: 'a', start: 0.5, end: 1, label: 'x' },
      { file: 'a', start: 0, end: 0.5, label: 'y' },
    ],
    [{ path: 'a' }],
    grid,
  );
  assert.deepEqual([...truth.main], [0]);
});
