import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectionVectors } from '../src/audio/features/collection-vectors.js';
import { openCollection, type Collection } from '../src/collection/open-collection.js';
import { parseTruthCsv } from '../src/ml/truth.js';
import { windowTruth, type WindowTruth } from '../src/ml/window-truth.js';
import { featureCacheDir } from '../src/store/feature-cache.js';

/** A corpus with a truth.csv, ready to simulate labeling on: its collection (store in `storeDir`), vectors and truth. */
export async function simulationCorpus(corpus: string, storeDir: string) {
  const started = performance.now();
  const collection: Collection = await openCollection({ media: corpus, store: storeDir });
  const { files, grid } = collection;
  const { vectors, dims } = await collectionVectors(files, grid, { cacheDir: featureCacheDir(storeDir) });
  const extractionSeconds = (performance.now() - started) / 1000;
  const truth: WindowTruth = windowTruth(parseTruthCsv(readFileSync(join(corpus, 'truth.csv'), 'utf8')), files, grid);
  return { collection, grid, vectors, dims, truth, extractionSeconds };
}
