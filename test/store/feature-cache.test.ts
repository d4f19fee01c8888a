import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { featureCacheFile, readCachedFeatures, writeCachedFeatures, type FeatureKey } from '../../src/store/feature-cache.js';

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
  writeFileSync(file, Buffer.alloc(16 + 24));
  assert.equal(await readCachedFeatures(dir, key), undefined, 'right length, no header');
  // a temporary file from a killed writer sits beside the entry but is never read
  writeFileSync(`${file}.999-0.tmp`, Buffer.alloc(16 + 24));
  assert.equal(await readCachedFeatures(dir, key), undefined);
  await writeCachedFeatures(dir, key, vectors);
  assert.deepEqual(await readCachedFeatures(dir, key), vectors, 'rewriting repairs it');
}));

test('vectors of the wrong shape are refused rather than cached', withDir(async (dir) => {
  await assert.rejects(writeCachedFeatures(dir, key, new Float32Array(5)), RangeError);
}));
