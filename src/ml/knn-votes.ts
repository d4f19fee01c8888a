import { voteWeight, type NeighborIndex } from './neighbor-index.js';

/**
 * For every window, the distance-weighted share of its nearest labeled windows whose class is `target`
 * (0 for a window with no labeled neighbour yet). classOf[w] is the class id of labeled window w.
 */
export function targetProbabilities(index: NeighborIndex, classOf: Int32Array, target: number, out: Float32Array = new Float32Array(index.count)): Float32Array {
  const { neighbors, distances, k, count } = index;
  for (let w = 0, row = 0; w < count; w++, row += k) {
    let hit = 0;
    let total = 0;
    for (let j = row; j < row + k; j++) {
      const neighbor = neighbors[j];
      if (neighbor < 0) break;
      const weight = voteWeight(distances[j]);
      total += weight;
      if (classOf[neighbor] === target) hit += weight;
    }
    out[w] = total > 0 ? hit / total : 0;
  }
  return out;
}
