import { createHash } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
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
 * A cache file, one per recording (named after its path, so new vectors replace old ones and the cache never holds
 * stale entries): a 48-byte header (magic, windows, dims, version, then size, mtime and clip as float64) that must
 * match the key, then the float32 values in the host's byte order (little-endian wherever Node runs in practice).
 */
const MAGIC = 'HARKVEC1';
const HEADER_BYTES = 48;
const EXTENSION = '.vec';
/** Entries of the first format (one file per key, so they piled up): removed on sight. */
const LEGACY = /^[0-9a-f]{20}\.f32$/;
/** A temporary file older than this belongs to a writer that was killed. */
const ABANDONED_MS = 3_600_000;

export function featureCacheDir(storeDir: string): string {
  return join(storeDir, 'features');
}

export function featureCacheFile(dir: string, key: Pick<FeatureKey, 'path'>): string {
  return join(dir, `${createHash('sha1').update(key.path).digest('hex').slice(0, 20)}${EXTENSION}`);
}

/** The header a cache entry for `key` starts with. */
export function headerOf(key: FeatureKey): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(MAGIC, 0, 'latin1');
  header.writeUInt32LE(key.windows, 8);
  header.writeUInt32LE(key.dims, 12);
  header.writeUInt32LE(key.version, 16);
  header.writeDoubleLE(key.size, 24);
  header.writeDoubleLE(Math.round(key.mtimeMs), 32);
  header.writeDoubleLE(key.clip, 40);
  return header;
}

/** Deletes entries of the old format and temporary files of killed writers; what cannot be deleted stays. */
export async function pruneFeatureCache(dir: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  const now = Date.now();
  for (const name of names) {
    const file = join(dir, name);
    const abandoned = name.endsWith('.tmp') && now - (await stat(file).catch(() => ({ mtimeMs: now }))).mtimeMs > ABANDONED_MS;
    if (LEGACY.test(name) || abandoned) await rm(file, { force: true }).catch(() => {});
  }
}

/** The open entry for this key if it is complete: the header must match the key and the length the shape, exactly. */
async function openEntry(dir: string, key: FeatureKey): Promise<FileHandle | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(featureCacheFile(dir, key), 'r');
  } catch {
    return undefined;
  }
  const header = Buffer.alloc(HEADER_BYTES);
  if ((await handle.stat()).size === HEADER_BYTES + key.windows * key.dims * 4) await handle.read(header, 0, HEADER_BYTES, 0);
  if (header.equals(headerOf(key))) return handle;
  await handle.close();
  return undefined;
}

/** Reads rows [from, to) of an open entry into `out`; false when the file ended early. */
async function readRows(handle: FileHandle, dims: number, from: number, to: number, out: Float32Array): Promise<boolean> {
  const bytes = new Uint8Array(out.buffer, out.byteOffset, (to - from) * dims * 4);
  for (let at = 0; at < bytes.length; ) {
    const { bytesRead } = await handle.read(bytes, at, bytes.length - at, HEADER_BYTES + from * dims * 4 + at);
    if (bytesRead === 0) return false;
    at += bytesRead;
  }
  return true;
}

/**
 * A file's vectors (windows x dims float32) if a complete entry for this key exists. A damaged, short or stale
 * entry counts as missing.
 */
export async function readCachedFeatures(dir: string, key: FeatureKey, into?: Float32Array): Promise<Float32Array | undefined> {
  const handle = await openEntry(dir, key);
  if (!handle) return undefined;
  try {
    // read straight into the destination: a large collection's vectors are never held twice
    const out = into ?? new Float32Array(key.windows * key.dims);
    return (await readRows(handle, key.dims, 0, key.windows, out)) ? out : undefined;
  } finally {
    await handle.close();
  }
}

/** Rows read at once by readCachedFeatureRows: 1 MB of vectors. */
const CHUNK_BYTES = 1 << 20;

/**
 * Only some rows of a file's cached vectors (ascending row numbers within the file), as rows.length x dims, if a
 * complete entry exists. Read a chunk at a time, skipping chunks with no wanted row: a sparse pool's rows are spread
 * so thin that reading row by row would cost a read per row and save little of the disk's work.
 */
export async function readCachedFeatureRows(dir: string, key: FeatureKey, rows: Int32Array, into?: Float32Array): Promise<Float32Array | undefined> {
  const handle = await openEntry(dir, key);
  if (!handle) return undefined;
  try {
    const { dims } = key;
    const out = into ?? new Float32Array(rows.length * dims);
    const chunkRows = Math.max(1, Math.floor(CHUNK_BYTES / (dims * 4)));
    const chunk = new Float32Array(Math.min(chunkRows, key.windows) * dims);
    for (let i = 0; i < rows.length; ) {
      const from = rows[i];
      const to = Math.min(key.windows, from + chunkRows);
      if (!(await readRows(handle, dims, from, to, chunk))) return undefined;
      for (; i < rows.length && rows[i] < to; i++) out.set(chunk.subarray((rows[i] - from) * dims, (rows[i] - from + 1) * dims), i * dims);
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
  const header = headerOf(key);
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
