import type { Vectors } from './distance.js';
import { NeighborIndex, voteWeight, type Coordinates } from './neighbor-index.js';

/** Rows of k nearest labeled windows, nearest first (-1: an empty slot), as NeighborIndex keeps them. */
export interface NeighborRows {
  neighbors: Int32Array;
  distances: Float32Array;
  k: number;
  count: number;
}

/**
 * The classes that vote for the target: one class id, or a mask over class ids (1 for each class whose label set
 * holds the target label, when clips may carry several labels).
 */
export type TargetClasses = number | Uint8Array;

/** The mask of a single class id: 1 at `target`, and every other id (including higher ones) reads as 0. */
function targetMask(target: TargetClasses): Uint8Array {
  if (typeof target !== 'number') return target;
  const mask = new Uint8Array(target + 1);
  mask[target] = 1;
  return mask;
}

/**
 * For every window, the distance-weighted share of its nearest labeled windows whose class is `target`
 * (0 for a window with no labeled neighbour yet). classOf[w] is the class id of labeled window w.
 */
export function targetProbabilities(index: NeighborRows, classOf: Int32Array, target: TargetClasses, out: Float32Array = new Float32Array(index.count)): Float32Array {
  const { neighbors, distances, k, count } = index;
  const mask = targetMask(target);
  for (let w = 0, row = 0; w < count; w++, row += k) out[w] = rowVote(neighbors, distances, row, k, classOf, mask);
  return out;
}

/** The distance-weighted share of one row's neighbours whose class is in the `target` mask; 0 for a row with none. */
export function rowVote(neighbors: Int32Array, distances: Float32Array, row: number, k: number, classOf: Int32Array, target: Uint8Array): number {
  let hit = 0;
  let total = 0;
  for (let j = row; j < row + k; j++) {
    const neighbor = neighbors[j];
    if (neighbor < 0) break;
    const weight = voteWeight(distances[j]);
    total += weight;
    if (target[classOf[neighbor]] === 1) hit += weight;
  }
  return total > 0 ? hit / total : 0;
}

/**
 * The leave-one-out target probability of each labeled window, from the other labeled windows alone: what a
 * NeighborIndex over the whole collection gives those rows, at labels x labels x dims instead of windows x labels x
 * dims. Rows of `vectors` (and of `extra`) are the labeled windows in the order they were labeled (earlier labels
 * win ties).
 */
export function labeledProbabilities(vectors: Vectors, dims: number, classOf: Int32Array, target: TargetClasses, k: number, extra?: Coordinates): Float32Array {
  const index = new NeighborIndex(vectors, dims, k, extra);
  for (let row = 0; row < index.count; row++) index.add(row);
  return targetProbabilities(index, classOf, target);
}
