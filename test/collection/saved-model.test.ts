import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openCollection, type Collection } from '../../src/collection/open-collection.js';
import { scoreCollection } from '../../src/collection/collection-scores.js';
import { fitSavedModel, loadSavedModel } from '../../src/collection/saved-model.js';
import { applyShard, joinShards } from '../../src/collection/apply-shards.js';
import type { CollectionScores } from '../../src/ml/model-scores.js';
import { tempDir } from '../helpers/fixtures.js';
import { labeledStore } from '../helpers/labeled-store.js';

const dir = tempDir('hark-model-');
let collection: Collection;
let whole: CollectionScores;

before(async () => {
  const { store } = await labeledStore(dir, { files: 4, seconds: 30 });
  collection = await openCollection({ store, readOnly: true });
  whole = await scoreCollection(collection, { workers: 1 });
});

test('the saved model, scored in two shards and joined, gives every window exactly the probability apply gives it in one run', async () => {
  await fitSavedModel(collection, { workers: 1 });
  const saved = loadSavedModel(collection);
  assert.deepEqual(saved.fitted.model.classes, whole.labels);
  assert.deepEqual(saved.labeled, whole.labeled);
  for (let index = 0; index < 2; index++) await applyShard(collection, saved, { index, count: 2 });
  const { scores } = joinShards(collection, saved);
  scores.probabilities.forEach((p, c) => {
    const differ = p.findIndex((v, w) => v !== whole.probabilities[c][w]);
    const f = differ < 0 ? -1 : collection.grid.fileOf(differ);
    assert.equal(differ, -1, `${collection.files[f]?.path}, ${whole.labels[c]}: window ${differ} scored ${p[differ]}, apply gives ${whole.probabilities[c][differ]}`);
  });
  saved.fitted.heldOut.forEach((votes, c) => assert.deepEqual([...votes], [...whole.heldOut[c]], `held-out votes of ${whole.labels[c]}`));
});

test('a saved model is refused once the recordings it was fitted on have changed', async () => {
  await fitSavedModel(collection, { workers: 1 });
  const changed = { ...collection, files: collection.files.map((f, i) => (i === 0 ? { ...f, size: f.size + 1 } : f)) };
  assert.throws(() => loadSavedModel(changed), /fitted on other recordings .* --fit first/);
});
