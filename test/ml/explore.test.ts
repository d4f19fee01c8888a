import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeDemoCollection } from '../../src/audio/demo-collection.js';
import { collectionVectors } from '../../src/audio/features/collection-vectors.js';
import { openCollection } from '../../src/collection/open-collection.js';
import { seededRandom } from '../../src/domain/seeded-random.js';
import { LearningSession } from '../../src/ml/learning-session.js';
import { labelsToFirst, simulateLabeling } from '../../src/ml/simulation.js';
import { parseStrategy } from '../../src/ml/strategies.js';
import { windowTruth } from '../../src/ml/window-truth.js';
import { featureCacheDir } from '../../src/store/feature-cache.js';
import { tempDir } from '../helpers/fixtures.js';

test('a rare, distinct sound is reached by exploring long before random clips would reach it', async () => {
  // four minutes of noise, chirps, music and silence with one tone of a few seconds in it
  const root = tempDir();
  const truthRows = writeDemoCollection(join(root, 'media'), { files: 4, seconds: 60, seed: 2, weights: { Tone: 0.2 } });
  const collection = await openCollection({ media: join(root, 'media'), store: join(root, 'store') });
  after(() => collection.store.close());
  const { files, grid } = collection;
  const { vectors, dims } = await collectionVectors(files, grid, { cacheDir: featureCacheDir(collection.store.dir), workers: 1 });
  const truth = windowTruth(truthRows, files, grid);
  const tones = truth.main.filter((l) => truth.labels[l] === 'Tone').length;
  assert.ok(tones > 0 && tones / grid.count < 0.05, `a rare target: ${tones} of ${grid.count} clips`);
  // uniform draws without replacement need (N + 1) / (K + 1) draws on average to reach one of K targets among N
  const randomDraws = (grid.count + 1) / (tones + 1);

  const firsts = [1, 2, 3, 4, 5].map((seed) => {
    const session = new LearningSession({ offsets: grid.offsets, clip: grid.clip, strategy: parseStrategy('mixed'), target: 'Tone', rand: seededRandom(seed) });
    session.attachVectors(vectors, dims);
    session.buildStep();
    const trace = simulateLabeling({ session, truth, target: 'Tone', budget: 60 });
    const first = labelsToFirst(trace);
    assert.equal(first === undefined ? undefined : trace.answers[first - 1].choice.how, 'explore', 'found by exploring');
    return first!;
  });
  const median = [...firsts].sort((a, b) => a - b)[2];
  assert.ok(median <= randomDraws / 4, `labels until the first tone: ${firsts.join(', ')}; random draws would need ${randomDraws.toFixed(1)} on average`);
});
