import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectionVectors } from '../src/audio/features/collection-vectors.js';
import { openCollection } from '../src/collection/open-collection.js';
import type { Interval } from '../src/ml/interval.js';
import { parseTruthCsv } from '../src/ml/truth.js';
import { windowTruth } from '../src/ml/window-truth.js';
import { featureCacheDir } from '../src/store/feature-cache.js';

export const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
export const round = (x: number | null, digits = 3) => (x === null ? null : Number(x.toFixed(digits)));
export const holds = (i: Interval | undefined, truth: number) => !!i && truth >= i.low - 1e-9 && truth <= i.high + 1e-9;

/**
 * A corpus with a truth.csv, opened in a temporary store: its grid, feature vectors (from `cacheDir` when given, so
 * runs after the first skip extraction) and window truth. `close` removes the store.
 */
export async function openCorpusWithTruth(corpus: string, cacheDir?: string) {
  const storeDir = mkdtempSync(join(tmpdir(), 'hark-bench-'));
  const collection = await openCollection({ media: corpus, store: storeDir });
  const { files, grid } = collection;
  const { vectors, dims } = await collectionVectors(files, grid, { cacheDir: cacheDir ?? featureCacheDir(storeDir) });
  const truth = windowTruth(parseTruthCsv(readFileSync(join(corpus, 'truth.csv'), 'utf8')), files, grid);
  const close = () => {
    collection.store.close();
    rmSync(storeDir, { recursive: true, force: true });
  };
  return { grid, vectors, dims, truth, close };
}
