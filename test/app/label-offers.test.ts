import { test } from 'node:test';
import assert from 'node:assert/strict';
import { heldLabelNames, labelOffers } from '../../src/app/label-offers.js';
import { NOT_SURE, SKIPPED } from '../../src/domain/labels.js';

const records = (labels: string[]) => labels.map((label) => ({ label, kind: label === SKIPPED ? ('skip' as const) : label === NOT_SURE ? ('unsure' as const) : ('label' as const) }));

test('a store\'s own labels are offered most used first, ties by name, without skips and not-sure', () => {
  const held = heldLabelNames(records(['Music', 'Carol Hills', SKIPPED, 'Applause', 'Carol Hills', NOT_SURE, SKIPPED, SKIPPED, 'Music', 'Noise']));
  assert.deepEqual(held, ['Carol Hills', 'Music', 'Applause', 'Noise']);
  assert.deepEqual(heldLabelNames(records(['Noise', 'Applause', 'Music', 'Music', 'Carol Hills', 'Carol Hills']).reverse()), ['Carol Hills', 'Music', 'Applause', 'Noise'], 'the same order whatever order they were saved in');
});

test('a preset chosen on a store with labels keeps the store\'s labels it lacks, and a name in another case is one label', () => {
  const offers = labelOffers(['Carol Hills', 'music'], [{ name: 'HiPSTAS', labels: ['Music', 'Silence'] }]);
  assert.deepEqual(offers, [
    { name: "This store's labels", labels: ['Carol Hills', 'music'] },
    { name: "HiPSTAS + this store's", labels: ['Music', 'Silence', 'Carol Hills'] },
  ]);
  assert.deepEqual(labelOffers([], [{ name: 'HiPSTAS', labels: ['Music'] }]), [{ name: 'HiPSTAS', labels: ['Music'] }]);
});
