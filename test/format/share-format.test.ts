import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCount, formatSmallPercent } from '../../src/format/share-format.js';

test('the pool line says clip counts in a few characters, never "1000k", and small shares with a decimal', () => {
  assert.deepEqual([950, 36_000, 999_400, 999_600, 1_000_381, 36_000_000].map(formatCount), ['950', '36k', '999k', '1.0 M', '1.0 M', '36 M']);
  assert.deepEqual([0.0278, 0.28].map(formatSmallPercent), ['2.8%', '28%']);
});
