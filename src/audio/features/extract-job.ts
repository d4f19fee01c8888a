import type { FeatureKey } from '../../store/feature-cache.js';

/** A file for an extraction worker: decode it once, extract all its windows, cache the vectors. */
export interface ExtractJob {
  /** the file's index in the collection */
  file: number;
  abs: string;
  key: FeatureKey;
  cacheDir: string;
}

export type ExtractReply = { type: 'done'; file: number; vectors: Float32Array } | { type: 'failed'; file: number; reason: string };
