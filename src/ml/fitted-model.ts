import { learnProjection, projectRows, type Projection } from './discriminant-space.js';
import { targetProbabilities } from './knn-votes.js';
import { NEIGHBORS } from './learning-session.js';
import type { LabeledWindowOf } from './model-scores.js';
import { NeighborIndex } from './neighbor-index.js';
import type { FeatureStats } from './z-score.js';

/**
 * Everything apply's model needs to score any window of the collection, on any machine, with the result it gives
 * over the whole collection at once (scoreCollection): the standardisation statistics, the labeled windows'
 * quantized vectors and classes, and the learned projection. Plain data, so it can be saved and shared.
 */
export interface FittedModel {
  dims: number;
  stats: FeatureStats;
  /** labels in the order first labeled; a class id is an index into it */
  classes: string[];
  /** the labeled windows the model learned from, in the order they were labeled */
  labeled: LabeledWindowOf[];
  /** labeled.length x dims standardised, quantized vectors */
  rows: Int8Array;
  projection?: Projection;
}

export function fitModel(dims: number, stats: FeatureStats, labeled: LabeledWindowOf[], rows: Int8Array): FittedModel {
  const classes = [...new Set(labeled.map((d) => d.label))];
  const classOf = labeled.map((d, row) => ({ row, cls: classes.indexOf(d.label) }));
  return { dims, stats, classes, labeled, rows, projection: learnProjection(rows, dims, classOf) };
}

/**
 * probabilities[c][i]: how likely row i of `vectors` (quantized with the model's statistics) is classes[c], by its
 * nearest labeled windows. self[i] is the index in model.labeled of the window row i is, or -1: a labeled window is
 * not its own neighbour, and gets probability 1 for the label a person gave it.
 */
export function scoreRows(model: FittedModel, vectors: Int8Array, self: ArrayLike<number>): Float32Array[] {
  const labeledCount = model.labeled.length;
  const all = allProbabilities(model, vectors);
  return all.map((p, c) => {
    const out = new Float32Array(self.length);
    for (let i = 0; i < self.length; i++) {
      const j = self[i];
      out[i] = j < 0 ? p[labeledCount + i] : model.labeled[j].label === model.classes[c] ? 1 : p[j];
    }
    return out;
  });
}

/** heldOut[c][j]: how likely labeled window j is classes[c] by the other labeled windows' votes (leave-one-out). */
export function heldOutVotes(model: FittedModel): Float32Array[] {
  return allProbabilities(model, new Int8Array(0)).map((p) => p.slice(0, model.labeled.length));
}

/**
 * The labeled rows followed by `vectors` in one neighbour index with the labeled rows as members: each row's
 * neighbours are then exactly its nearest labeled windows over the whole collection, met in the order the
 * labeler's session meets them (label order with a learned projection; without one the session's backlog is
 * taken from its end, so the last label first), which decides ties the same way.
 */
function allProbabilities(model: FittedModel, vectors: Int8Array): Float32Array[] {
  const { dims, rows, projection, labeled, classes } = model;
  const combined = new Int8Array(rows.length + vectors.length);
  combined.set(rows);
  combined.set(vectors, rows.length);
  const index = new NeighborIndex(combined, dims, NEIGHBORS, projection && projectRows(projection, combined, dims));
  const order = [...labeled.keys()];
  for (const j of projection ? order : order.reverse()) index.add(j);
  const classOf = new Int32Array(index.count).fill(-1);
  labeled.forEach((d, j) => (classOf[j] = classes.indexOf(d.label)));
  return classes.map((_, c) => targetProbabilities(index, classOf, c));
}
