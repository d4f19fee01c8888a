import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FeatureStats } from '../ml/z-score.js';
import { writeAtomically } from './atomic-write.js';
import { featureCacheFile, type FeatureKey } from './feature-cache.js';

/**
 * A large collection's pool vectors (standardised, quantized) kept beside the feature cache, so the labeler starts
 * from one read of them: gathering them from every recording's cache entry reads all of it (8.5 GB at 10,000 hours,
 * a pool row in every few kilobytes), twice. Valid for one pool and one set of cache entries (the fingerprint).
 */
export interface KeptPoolVectors {
  vectors: Int8Array;
  standard: FeatureStats;
  /** file index -> why its audio could not be decoded: its rows are zeros */
  failed: Map<number, string>;
}

const FILE = 'pool-vectors.bin';

/** What the kept pool vectors were made from: every recording's cache key and the pool's windows. */
export function poolFingerprint(keys: readonly FeatureKey[], poolWindows: Int32Array): string {
  const hash = createHash('sha1').update(JSON.stringify(keys));
  hash.update(new Uint8Array(poolWindows.buffer, poolWindows.byteOffset, poolWindows.byteLength));
  return hash.digest('hex');
}

interface Header {
  fingerprint: string;
  dims: number;
  rows: number;
  mean: number[];
  std: number[];
  failed: [number, string][];
}

/**
 * The kept pool vectors, if made from this fingerprint and every recording that decoded still has its cache entry
 * (a removed entry is extracted again, through the path that reads the cache).
 */
export async function readPoolVectors(cacheDir: string, fingerprint: string, keys: readonly FeatureKey[], rows: number, dims: number): Promise<KeptPoolVectors | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(join(cacheDir, FILE));
  } catch {
    return undefined;
  }
  const end = bytes.indexOf(10);
  let header: Header;
  try {
    header = JSON.parse(bytes.subarray(0, end).toString('utf8')) as Header;
  } catch {
    return undefined;
  }
  if (header.fingerprint !== fingerprint || header.rows !== rows || header.dims !== dims || bytes.length !== end + 1 + rows * dims) return undefined;
  const failed = new Map(header.failed);
  if (keys.some((key, f) => !failed.has(f) && !existsSync(featureCacheFile(cacheDir, key)))) return undefined;
  return {
    vectors: new Int8Array(bytes.buffer, bytes.byteOffset + end + 1, rows * dims),
    standard: { mean: Float64Array.from(header.mean), std: Float64Array.from(header.std) },
    failed,
  };
}

/** Keeps the pool vectors for later starts (writeAtomically); a failure only costs the next start time. */
export function writePoolVectors(cacheDir: string, fingerprint: string, kept: KeptPoolVectors, dims: number): void {
  const header: Header = {
    fingerprint,
    dims,
    rows: kept.vectors.length / dims,
    mean: Array.from(kept.standard.mean),
    std: Array.from(kept.standard.std),
    failed: [...kept.failed],
  };
  const bytes = Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), new Uint8Array(kept.vectors.buffer, kept.vectors.byteOffset, kept.vectors.byteLength)]);
  try {
    writeAtomically(join(cacheDir, FILE), bytes);
  } catch {
    // the next start gathers them from the cache again
  }
}
