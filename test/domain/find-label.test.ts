import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findLabel } from '../../src/domain/labels.js';

test('a label named in another case is found, unless two labels differ in case alone', () => {
  assert.equal(findLabel(['Host', 'Music'], 'Music'), 'Music');
  assert.equal(findLabel(['Host', 'Music'], 'music'), 'Music');
  assert.equal(findLabel(['Host', 'Music'], 'Applause'), undefined);
  assert.equal(findLabel(['music', 'Music'], 'MUSIC'), undefined);
  assert.equal(findLabel(['music', 'Music'], 'music'), 'music');
});
