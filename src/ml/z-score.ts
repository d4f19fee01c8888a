export interface FeatureStats {
  mean: Float64Array;
  std: Float64Array;
}

/**
 * Per-dimension mean and standard deviation over rows that arrive in batches, so a collection too large to hold
 * twice can be standardised from a stream. Sums are taken about the first row, which keeps sum-of-squares
 * cancellation away from features with large offsets (a centroid in Hz).
 */
export class RunningStats {
  private rows = 0;
  private readonly origin: Float64Array;
  private readonly sum: Float64Array;
  private readonly sumSq: Float64Array;

  constructor(readonly dims: number) {
    this.origin = new Float64Array(dims);
    this.sum = new Float64Array(dims);
    this.sumSq = new Float64Array(dims);
  }

  add(vectors: Float32Array): this {
    const { dims, origin, sum, sumSq } = this;
    const rows = vectors.length / dims;
    if (this.rows === 0 && rows > 0) origin.set(vectors.subarray(0, dims));
    for (let r = 0; r < rows; r++) {
      for (let d = 0; d < dims; d++) {
        const v = vectors[r * dims + d] - origin[d];
        sum[d] += v;
        sumSq[d] += v * v;
      }
    }
    this.rows += rows;
    return this;
  }

  /** A constant dimension gets std 1 so it maps to 0. */
  stats(): FeatureStats {
    const n = Math.max(1, this.rows);
    const mean = this.sum.map((s, d) => this.origin[d] + s / n);
    const std = this.sumSq.map((s, d) => Math.sqrt(Math.max(0, s / n - (this.sum[d] / n) ** 2)) || 1);
    return { mean, std };
  }
}

/** Per-dimension mean and standard deviation over all rows. */
export function featureStats(vectors: Float32Array, dims: number): FeatureStats {
  return new RunningStats(dims).add(vectors).stats();
}

/** (v - mean) / std per dimension; pass `out = vectors` to standardise in place. */
export function zScore(vectors: Float32Array, dims: number, stats = featureStats(vectors, dims), out: Float32Array = new Float32Array(vectors.length)): Float32Array {
  for (let i = 0; i < vectors.length; i++) {
    const d = i % dims;
    out[i] = (vectors[i] - stats.mean[d]) / stats.std[d];
  }
  return out;
}
