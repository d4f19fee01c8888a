import { collectionVectors } from '../audio/features/collection-vectors.js';
import type { ExtractProgress } from '../audio/features/extract-pool.js';
import { fitModel, heldApart, rowsAt, scoreWindows } from '../ml/model.js';
import { featureCacheDir } from '../store/feature-cache.js';
import type { CollectionScores } from '../ml/model-scores.js';
import { labeledExample, priorDecisions, type Collection } from './open-collection.js';

export interface ScoreOptions {
  onProgress?: (progress: ExtractProgress) => void;
  /** stops feature extraction; what finished is cached and the promise rejects with the signal's reason */
  signal?: AbortSignal;
  workers?: number;
}

/**
 * Scores every window with the kNN model fitted to every label in the store, its metric learned from all of them
 * (the labeler learns it again only as the labels grow). Missing feature vectors are extracted on the way into the
 * same cache the labeler uses, so an interrupted run resumes where it stopped.
 * A window a person labeled gets probability 1 for that label: their answer beats the neighbours' vote.
 */
export async function scoreCollection(collection: Collection, opts: ScoreOptions = {}): Promise<CollectionScores> {
  const { grid, files, store } = collection;
  opts.signal?.throwIfAborted(); // interrupted while the collection was being scanned
  const { vectors, dims, failed, standard } = await collectionVectors(files, grid, { ...opts, cacheDir: featureCacheDir(store.dir) });
  const labeled = priorDecisions(collection).filter((d) => d.kind === 'label' && !failed.has(grid.fileOf(d.window)));
  const windows = labeled.map((d) => d.window);
  const fitted = fitModel({ vectors: rowsAt(vectors, dims, windows), dims, labels: labeled.map((d) => d.labels), windows, standard, apart: heldApart(grid.offsets, grid.clip) });
  const labels = fitted.model.classes;
  const probabilities = scoreWindows(fitted.model, vectors);
  labels.forEach((label, c) => {
    for (const d of labeled) if (d.labels.includes(label)) probabilities[c][d.window] = 1;
  });
  return {
    labels,
    probabilities,
    failed,
    labeled: labeled.map(labeledExample),
    heldOut: fitted.heldOut,
  };
}
