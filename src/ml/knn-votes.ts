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
 * For every window, the distance-weighted share of its nearest labeled windows whose class is `target`
 * (0 for a window with no labeled neighbour yet). classOf[w] is the class id of labeled window w.
 */
export function targetProbabilities(index: NeighborRows, classOf: Int32Array, target: number, out: Float32Array = new Float32Array(index.count)): Float32Array {
  const { neighbors, distances, k, count } = index;
  for (let w = 0, row = 0; w < count; w++, row += k) out[w] = rowVote(neighbors, distances, row, k, classOf, target);
  return out;
}

/** The distance-weighted share of one row's neighbours whose class is `target`; 0 for a row with none. */
export function rowVote(neighbors: Int32Array, distances: Float32Array, row: number, k: number, classOf: Int32Array, target: number): number {
  let hit = 0;
  let total = 0;
  for (let j = row; j < row + k; j++) {
    const neighbor = neighbors[j];
    if (neighbor < 0) break;
    const weight = voteWeight(distances[j]);
    total += weight;
    if (classOf[neighbor] === target) hit += weight;
  }
  return total > 0 ? hit / total : 0;
}

/**
 * The leave-one-out target probability of each labeled window, from the other labeled windows alone: what a
 * NeighborIndex over the whole collection gives those rows, at labels x labels x dims instead of windows x labels x
 * dims. Rows of `vectors` (and of `extra`) are the labeled windows in the order they were labeled (earlier labels
 * win ties).
 */
export function labeledProbabilities(vectors: Vectors, dims: number, classOf: Int32Array, target: number, k: number, extra?: Coordinates): Float32Array {
  const index = new NeighborIndex(vectors, dims, k, extra);
  for (let row = 0; row < index.count; row++) index.add(row);
  return targetProbabilities(index, classOf, target);
}
