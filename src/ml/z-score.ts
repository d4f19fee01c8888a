export interface FeatureStats {
  mean: Float64Array;
  std: Float64Array;
}

/** Per-dimension mean and standard deviation over all rows; a constant dimension gets std 1 so it maps to 0. */
export function featureStats(vectors: Float32Array, dims: number): FeatureStats {
  const rows = vectors.length / dims;
  const mean = new Float64Array(dims);
  const sq = new Float64Array(dims);
  for (let r = 0; r < rows; r++) {
    for (let d = 0; d < dims; d++) mean[d] += vectors[r * dims + d];
  }
  for (let d = 0; d < dims; d++) mean[d] /= Math.max(1, rows);
  for (let r = 0; r < rows; r++) {
    for (let d = 0; d < dims; d++) {
      const v = vectors[r * dims + d] - mean[d];
      sq[d] += v * v;
    }
  }
  const std = sq.map((s) => Math.sqrt(s / Math.max(1, rows)) || 1);
  return { mean, std };
}

/** (v - mean) / std per dimension; pass `out = vectors` to standardise in place. */
export function zScore(vectors: Float32Array, dims: number, stats = featureStats(vectors, dims), out: Float32Array = new Float32Array(vectors.length)): Float32Array {
  for (let i = 0; i < vectors.length; i++) {
    const d = i % dims;
    out[i] = (vectors[i] - stats.mean[d]) / stats.std[d];
  }
  return out;
}
