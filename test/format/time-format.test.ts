import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatClock } from '../../src/format/time-format.js';

test('clock shows hours, minutes and seconds so an archivist can find the spot in a long tape', () => {
  assert.equal(formatClock(0), '0:00:00');
  assert.equal(formatClock(59), '0:00:59');
  assert.equal(formatClock(3723), '1:02:03');
  assert.equal(formatClock(100 * 3600), '100:00:00');
});

test('clock shows tenths when asked, without float noise', () => {
  assert.equal(formatClock(3661.3, 1), '1:01:01.3');
  assert.equal(formatClock(5.25, 2), '0:00:05.25');
  assert.equal(formatClock(0.05, 1), '0:00:00.1');
});

test('clock never shows 60 seconds after rounding', () => {
  assert.equal(formatClock(59.96, 1), '0:01:00.0');
  assert.equal(formatClock(3599.6), '1:00:00');
});

test('clock marks negative offsets but not a value that rounds to zero', () => {
  assert.equal(formatClock(-1.5, 1), '-0:00:01.5');
  assert.equal(formatClock(-0.01), '0:00:00');
});
