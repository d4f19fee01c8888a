import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openCollection, type Collection } from '../../src/collection/open-collection.js';
import { scoreCollection } from '../../src/collection/collection-scores.js';
import { fitSavedModel, loadSavedModel } from '../../src/collection/saved-model.js';
import { labeledWindows, scoreFile } from '../../src/collection/apply-shards.js';
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

test('the saved model scores each recording on its own exactly as apply scores it within the whole collection', async () => {
  await fitSavedModel(collection, { workers: 1 });
  const saved = loadSavedModel(collection);
  assert.deepEqual(saved.fitted.model.classes, whole.labels);
  assert.deepEqual(saved.labeled, whole.labeled);
  const { offsets } = collection.grid;
  const labeledAt = labeledWindows(saved);
  for (let f = 0; f < collection.files.length; f++) {
    const { probabilities } = await scoreFile(collection, saved, f, labeledAt);
    probabilities.forEach((p, c) => {
      const expected = whole.probabilities[c].subarray(offsets[f], offsets[f + 1]);
      const differ = p.findIndex((v, w) => v !== expected[w]);
      assert.equal(differ, -1, `${collection.files[f].path}, ${whole.labels[c]}: window ${differ} scored ${p[differ]}, apply gives ${expected[differ]}`);
    });
  }
  saved.fitted.heldOut.forEach((votes, c) => assert.deepEqual([...votes], [...whole.heldOut[c]], `held-out votes of ${whole.labels[c]}`));
});

test('a saved model is refused once the recordings it was fitted on have changed', async () => {
  await fitSavedModel(collection, { workers: 1 });
  const changed = { ...collection, files: collection.files.map((f, i) => (i === 0 ? { ...f, size: f.size + 1 } : f)) };
  assert.throws(() => loadSavedModel(changed), /fitted on other recordings .* --fit first/);
});
