/**
 * A row-major matrix of window vectors: Float32 as extracted, Int8 once quantized (quantize.ts) to a quarter of
 * the memory, or Int16 for discriminant coordinates (discriminant-space.ts). Distances are only compared with each
 * other, so the quantization step never needs undoing.
 */
export type Vectors = Float32Array | Int8Array | Int16Array;

/** Squared Euclidean distance between rows a and b of a row-major matrix with `dims` columns. */
export function squaredDistance(vectors: Vectors, dims: number, a: number, b: number): number {
  return distanceBetween(vectors, a, vectors, b, dims);
}

/** squaredDistance between row a of `x` and row b of `y`, two matrices with `dims` columns. */
export function distanceBetween(x: Vectors, a: number, y: Vectors, b: number, dims: number): number {
  let d2 = 0;
  for (let d = 0, i = a * dims, j = b * dims; d < dims; d++, i++, j++) {
    const diff = x[i] - y[j];
    d2 += diff * diff;
  }
  return d2;
}

/**
 * squaredDistance, or any value at or above `bound` once the running sum reaches it: a row that cannot be nearer
 * than the farthest neighbour kept so far is dropped after a few dimensions (checked every 8, so the test costs
 * little where the sum stays below).
 */
export function squaredDistanceBelow(vectors: Vectors, dims: number, a: number, b: number, bound: number): number {
  return distanceBetweenBelow(vectors, a, vectors, b, dims, bound);
}

/** squaredDistanceBelow between row a of `x` and row b of `y`, two matrices with `dims` columns. */
export function distanceBetweenBelow(x: Vectors, a: number, y: Vectors, b: number, dims: number, bound: number): number {
  let d2 = 0;
  const end = a * dims + dims;
  for (let i = a * dims, j = b * dims; i < end; ) {
    const chunkEnd = Math.min(end, i + 8);
    for (; i < chunkEnd; i++, j++) {
      const diff = x[i] - y[j];
      d2 += diff * diff;
    }
    if (d2 >= bound) return d2;
  }
  return d2;
}
