/** Squared Euclidean distance between rows a and b of a row-major matrix with `dims` columns. */
export function squaredDistance(vectors: Float32Array, dims: number, a: number, b: number): number {
  let d2 = 0;
  for (let d = 0, i = a * dims, j = b * dims; d < dims; d++, i++, j++) {
    const diff = vectors[i] - vectors[j];
    d2 += diff * diff;
  }
  return d2;
}
