import { seededRandom } from '../domain/seeded-random.js';
import { collectionVectors } from '../audio/features/collection-vectors.js';
import type { ExtractProgress } from '../audio/features/extract-pool.js';
import { LearningSession } from '../ml/learning-session.js';
import { featureCacheDir } from '../store/feature-cache.js';
import { inRandomSample } from '../domain/labels.js';
import type { CollectionScores } from '../ml/model-scores.js';
import { priorDecisions, type Collection } from './open-collection.js';

export interface ScoreOptions {
  onProgress?: (progress: ExtractProgress) => void;
  /** stops feature extraction; what finished is cached and the promise rejects with the signal's reason */
  signal?: AbortSignal;
  workers?: number;
}

/**
 * Scores every window with the labeler's kNN model, trained on every label in the store, its metric learned from all
 * of them (the labeler learns it again only as the labels grow). Missing feature vectors are extracted on the way
 * into the same cache the labeler uses, so an interrupted run resumes where it stopped.
 * A window a person labeled gets probability 1 for that label: their answer beats the neighbours' vote.
 */
export async function scoreCollection(collection: Collection, opts: ScoreOptions = {}): Promise<CollectionScores> {
  const { grid, files, store } = collection;
  opts.signal?.throwIfAborted(); // interrupted while the collection was being scanned
  const { vectors, dims, failed } = await collectionVectors(files, grid, { ...opts, cacheDir: featureCacheDir(store.dir) });
  const session = new LearningSession({ offsets: grid.offsets, clip: grid.clip, rand: seededRandom(0) });
  const decisions = priorDecisions(collection).filter((d) => !failed.has(grid.fileOf(d.window)));
  for (const d of decisions) session.addLabel(d.window, d.label, d.kind, d.how);
  const labeled = decisions.filter((d) => d.kind === 'label');
  const labels = [...new Set(labeled.map((d) => d.label))];
  session.attachVectors(vectors, dims);
  session.relearn();
  session.buildStep();
  const heldOut: Float32Array[] = [];
  const probabilities = labels.map((label) => {
    session.setTarget(label);
    const p = session.probabilities()!.slice();
    heldOut.push(Float32Array.from(labeled, (d) => p[d.window]));
    for (const d of labeled) if (d.label === label) p[d.window] = 1;
    return p;
  });
  return {
    labels,
    probabilities,
    failed,
    labeled: labeled.map((d) => ({ window: d.window, label: d.label, random: inRandomSample(d) })),
    heldOut,
  };
}
