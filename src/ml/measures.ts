import { squaredDistance, type Vectors } from './distance.js';

/** Measures turn the model's view of every window into a score; selectors take the highest scores. */

/** How likely each window is the target: the probability itself. */
export function likelihood(probabilities: Float32Array): Float32Array {
  return probabilities;
}

/** 1 where the model is split evenly (p = 0.5), 0 where it is sure either way: 1 - 2|p - 0.5|. */
export function uncertainty(probabilities: Float32Array, out: Float32Array = new Float32Array(probabilities.length)): Float32Array {
  for (let i = 0; i < probabilities.length; i++) out[i] = 1 - 2 * Math.abs(probabilities[i] - 0.5);
  return out;
}

/**
 * Closeness of every window to an example row, or to the nearest of several (the windows of an outside recording):
 * minus the squared distance, so nearer scores higher.
 */
export function similarity(vectors: Vectors, dims: number, example: number | readonly number[], out: Float32Array = new Float32Array(vectors.length / dims)): Float32Array {
  const rows = typeof example === 'number' ? [example] : example;
  for (let w = 0; w < out.length; w++) {
    let best = -Infinity;
    for (const row of rows) best = Math.max(best, -squaredDistance(vectors, dims, w, row));
    out[w] = best;
  }
  return out;
}
