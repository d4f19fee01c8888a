import { createHash } from 'node:crypto';
import { mkdir, open, rename, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';

/** What a file's cached vectors depend on: change any of these and the cache entry no longer applies. */
export interface FeatureKey {
  /** the file's path relative to the media root */
  path: string;
  size: number;
  mtimeMs: number;
  /** seconds per window */
  clip: number;
  windows: number;
  dims: number;
  /** the extractor's FEATURE_VERSION */
  version: number;
}

/**
 * A cache file: a 16-byte header (magic, windows, dims), then the float32 values in the host's byte order
 * (little-endian on every platform Node runs on in practice).
 */
const MAGIC = 'HARKF32\n';
const HEADER_BYTES = 16;

export function featureCacheDir(storeDir: string): string {
  return join(storeDir, 'features');
}

export function featureCacheFile(dir: string, key: FeatureKey): string {
  const id = [key.path, key.size, Math.round(key.mtimeMs), key.clip, key.windows, key.dims, key.version].join('|');
  return join(dir, `${createHash('sha1').update(id).digest('hex').slice(0, 20)}.f32`);
}

/**
 * A file's vectors (windows x dims float32) if a complete entry exists. A damaged or short file counts as missing:
 * the header must say the expected shape and the length must match it exactly.
 */
export async function readCachedFeatures(dir: string, key: FeatureKey, into?: Float32Array): Promise<Float32Array | undefined> {
  const values = key.windows * key.dims;
  let handle: FileHandle;
  try {
    handle = await open(featureCacheFile(dir, key), 'r');
  } catch {
    return undefined;
  }
  try {
    if ((await handle.stat()).size !== HEADER_BYTES + values * 4) return undefined;
    const header = Buffer.alloc(HEADER_BYTES);
    await handle.read(header, 0, HEADER_BYTES, 0);
    const complete = header.toString('latin1', 0, MAGIC.length) === MAGIC && header.readUInt32LE(8) === key.windows && header.readUInt32LE(12) === key.dims;
    if (!complete) return undefined;
    // read straight into the destination: a large collection's vectors are never held twice
    const out = into ?? new Float32Array(values);
    const bytes = new Uint8Array(out.buffer, out.byteOffset, values * 4);
    for (let at = 0; at < bytes.length; ) {
      const { bytesRead } = await handle.read(bytes, at, bytes.length - at, HEADER_BYTES + at);
      if (bytesRead === 0) return undefined;
      at += bytesRead;
    }
    return out;
  } finally {
    await handle.close();
  }
}

/** Writes to a temporary name and renames it into place, so a killed process never leaves a half entry behind. */
export async function writeCachedFeatures(dir: string, key: FeatureKey, vectors: Float32Array): Promise<void> {
  if (vectors.length !== key.windows * key.dims) throw new RangeError(`expected ${key.windows} x ${key.dims} values, got ${vectors.length}`);
  await mkdir(dir, { recursive: true });
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(MAGIC, 0, 'latin1');
  header.writeUInt32LE(key.windows, 8);
  header.writeUInt32LE(key.dims, 12);
  const body = Buffer.from(vectors.buffer, vectors.byteOffset, vectors.byteLength);
  const file = featureCacheFile(dir, key);
  const temp = `${file}.${process.pid}-${threadId}.tmp`;
  try {
    await writeFile(temp, Buffer.concat([header, body]));
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
