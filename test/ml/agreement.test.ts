import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agreement, disagreements, type Coding } from '../../src/ml/agreement.js';

const codings = (rows: string): Coding[] =>
  rows.trim().split(/\s+/).map((cell) => {
    const [item, coder, label] = cell.split(':');
    return { item, coder, label };
  });

test("two annotators' agreement is the kappa worked out by hand", () => {
  // A: x x y y, B: x y y y. Observed 3/4; chance (2/4)(1/4) + (2/4)(3/4) = 1/2; kappa (3/4 - 1/2) / (1 - 1/2) = 1/2.
  // Alpha: coincidences xx 2, xy 1, yx 1, yy 4; n_x 3, n_y 5, n 8; 1 - 7 * 2 / (2 * 3 * 5) = 16/30.
  const result = agreement(codings('1:A:x 1:B:x 2:A:x 2:B:y 3:A:y 3:B:y 4:A:y 4:B:y 5:A:x'));
  assert.equal(result.doubleCoded, 4, 'item 5 was labeled once');
  assert.equal(result.pairs.length, 1);
  assert.deepEqual(result.pairs[0].coders, ['A', 'B']);
  assert.equal(result.pairs[0].items, 4);
  assert.ok(Math.abs(result.pairs[0].observed - 0.75) < 1e-12);
  assert.ok(Math.abs(result.pairs[0].kappa! - 0.5) < 1e-12);
  assert.ok(Math.abs(result.alpha! - 16 / 30) < 1e-12);
});

test('three annotators: kappa per pair, one alpha over all, and which labels get confused, as worked out by hand', () => {
  // C labels items 1 and 2 as x. Units: xxx, xyx, yy, yy.
  // A-C: x x / x x: chance is 1, kappa undefined. B-C: x y / x x: observed 1/2, chance (1/2)(1) = 1/2, kappa 0.
  // Coincidences: xx 3 + 1, xy 1, yx 1, yy 4; n_x 5, n_y 5, n 10; alpha 1 - 9 * 2 / (2 * 5 * 5) = 0.64.
  const result = agreement(codings('1:A:x 1:B:x 2:A:x 2:B:y 3:A:y 3:B:y 4:A:y 4:B:y 1:C:x 2:C:x'));
  assert.deepEqual(result.pairs.map((p) => [p.coders.join('-'), p.items, p.kappa]), [['A-B', 4, 0.5], ['A-C', 2, null], ['B-C', 2, 0]]);
  assert.ok(Math.abs(result.alpha! - 0.64) < 1e-12);
  assert.deepEqual(result.confusion, { x: { x: 8, y: 2 }, y: { x: 2, y: 4 } });
});

test("an annotator's later label for a clip replaces their earlier one, and one label in use leaves alpha undefined", () => {
  const result = agreement(codings('1:A:y 1:A:x 1:B:x 2:A:x 2:B:x'));
  assert.equal(result.pairs[0].observed, 1);
  assert.equal(result.alpha, null);
});

test('the clips to adjudicate are those where annotators gave different labels, with who said what', () => {
  const found = disagreements(codings('1:A:x 1:B:x 2:A:x 2:B:y 3:A:y 3:C:x 4:A:y'));
  assert.deepEqual(found.map((d) => [d.item, Object.fromEntries(d.labels)]), [['2', { A: 'x', B: 'y' }], ['3', { A: 'y', C: 'x' }]]);
});
