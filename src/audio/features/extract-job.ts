import type { FeatureKey } from '../../store/feature-cache.js';

/** A file for an extraction worker: decode it once, extract all its windows, cache the vectors. */
export interface ExtractJob {
  /** the file's index in the collection */
  file: number;
  abs: string;
  key: FeatureKey;
  cacheDir: string;
}

/** `saved`: the vectors are in the cache too (false when it could not be written) */
export type ExtractReply = { type: 'done'; file: number; vectors: Float32Array; saved: boolean } | { type: 'failed'; file: number; reason: string };
