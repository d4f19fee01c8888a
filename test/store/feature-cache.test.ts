import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { featureCacheFile, pruneFeatureCache, readCachedFeatureRows, readCachedFeatures, writeCachedFeatures, type FeatureKey } from '../../src/store/feature-cache.js';

const key: FeatureKey = { path: 'a/ep1.mp3', size: 1234, mtimeMs: 1700000000000, clip: 1, windows: 3, dims: 2, version: 1 };
const vectors = Float32Array.from([1, 2, 3, 4, 5.5, -6]);

function withDir(fn: (dir: string) => Promise<void>) {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hark-fcache-'));
    try {
      await fn(join(dir, 'features'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test('cached vectors come back exactly as written', withDir(async (dir) => {
  await writeCachedFeatures(dir, key, vectors);
  assert.deepEqual(await readCachedFeatures(dir, key), vectors);
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temporary file is left');
}));

test('a changed file, clip length or extractor version misses the cache', withDir(async (dir) => {
  await writeCachedFeatures(dir, key, vectors);
  for (const change of [{ mtimeMs: key.mtimeMs + 1000 }, { size: 99 }, { clip: 2 }, { version: 2 }, { path: 'b.mp3' }]) {
    assert.equal(await readCachedFeatures(dir, { ...key, ...change }), undefined, JSON.stringify(change));
  }
}));

test('a half-written or damaged entry is not taken as complete', withDir(async (dir) => {
  await writeCachedFeatures(dir, key, vectors);
  const file = featureCacheFile(dir, key);
  truncateSync(file, 20);
  assert.equal(await readCachedFeatures(dir, key), undefined, 'truncated');
  writeFileSync(file, Buffer.alloc(48 + 24));
  assert.equal(await readCachedFeatures(dir, key), undefined, 'right length, no header');
  // a temporary file from a killed writer sits beside the entry but is never read
  writeFileSync(`${file}.999-0.tmp`, Buffer.alloc(48 + 24));
  assert.equal(await readCachedFeatures(dir, key), undefined);
  await writeCachedFeatures(dir, key, vectors);
  assert.deepEqual(await readCachedFeatures(dir, key), vectors, 'rewriting repairs it');
}));

test('vectors of the wrong shape are refused rather than cached', withDir(async (dir) => {
  await assert.rejects(writeCachedFeatures(dir, key, new Float32Array(5)), RangeError);
}));

test('new vectors for a changed recording replace its old entry, so the cache does not grow', withDir(async (dir) => {
  await writeCachedFeatures(dir, key, vectors);
  const changed = { ...key, mtimeMs: key.mtimeMs + 5000, version: 2 };
  await writeCachedFeatures(dir, changed, Float32Array.from([6, 5, 4, 3, 2, 1]));
  assert.equal(readdirSync(dir).length, 1);
  assert.equal(await readCachedFeatures(dir, key), undefined, 'the old vectors are gone');
  assert.deepEqual(await readCachedFeatures(dir, changed), Float32Array.from([6, 5, 4, 3, 2, 1]));
}));

test('pruning removes entries of the old format and abandoned temporary files, and keeps the rest', withDir(async (dir) => {
  await writeCachedFeatures(dir, key, vectors);
  const legacy = join(dir, '0123456789abcdef0123.f32');
  const abandoned = join(dir, 'x.vec.1-0.tmp');
  const inFlight = join(dir, 'y.vec.2-0.tmp');
  for (const f of [legacy, abandoned, inFlight]) writeFileSync(f, 'x');
  const hoursAgo = new Date(Date.now() - 2 * 3_600_000);
  utimesSync(abandoned, hoursAgo, hoursAgo);
  await pruneFeatureCache(dir);
  assert.deepEqual(readdirSync(dir).sort(), [basename(featureCacheFile(dir, key)), basename(inFlight)].sort());
  assert.deepEqual(await readCachedFeatures(dir, key), vectors);
  await pruneFeatureCache(join(dir, 'missing')); // no folder yet: nothing to do
}));

test('a pool reads only its rows of a recording, across read chunks, and a stale entry still misses', withDir(async (dir) => {
  // 40,000 rows of 8 values: more than one 1 MB chunk
  const big: FeatureKey = { ...key, windows: 40_000, dims: 8 };
  const values = Float32Array.from({ length: big.windows * big.dims }, (_, i) => i * 0.5);
  await writeCachedFeatures(dir, big, values);
  const rows = Int32Array.from([0, 1, 7, 32_767, 32_768, 39_999]);
  const read = await readCachedFeatureRows(dir, big, rows);
  assert.deepEqual([...read!], [...rows].flatMap((r) => [...values.subarray(r * 8, (r + 1) * 8)]));
  assert.equal(await readCachedFeatureRows(dir, { ...big, version: 2 }, rows), undefined);
}));
