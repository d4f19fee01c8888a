import { test } from 'node:test';
import assert from 'node:assert/strict';
import { featureStats, zScore } from '../../src/ml/z-score.js';

test('each feature is scaled to mean 0 and std 1 over the collection, so no unit dominates distances', () => {
  // 3 rows x 2 dims: first dim 1, 2, 3 (mean 2, std sqrt(2/3)); second dim constant
  const rows = Float32Array.from([1, 7, 2, 7, 3, 7]);
  const stats = featureStats(rows, 2);
  assert.deepEqual([...stats.mean], [2, 7]);
  assert.ok(Math.abs(stats.std[0] - Math.sqrt(2 / 3)) < 1e-12);
  assert.equal(stats.std[1], 1, 'a constant feature keeps std 1 instead of dividing by 0');
  const z = zScore(rows, 2, stats);
  const s = Math.sqrt(3 / 2);
  [-s, 0, 0, 0, s, 0].forEach((v, i) => assert.ok(Math.abs(z[i] - v) < 1e-6, `value ${i}: ${z[i]}`));
  assert.equal(rows[0], 1, 'input untouched unless out is the input');
  zScore(rows, 2, stats, rows);
  assert.ok(Math.abs(rows[0] + s) < 1e-6);
});
