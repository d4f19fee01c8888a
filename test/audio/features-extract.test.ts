import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDemoCollection } from '../../src/audio/demo-collection.js';
import { collectionVectors } from '../../src/audio/features/collection-vectors.js';
import { extractFeatures, type ExtractProgress } from '../../src/audio/features/extract-pool.js';
import { FEATURE_DIMS } from '../../src/audio/features/window-features.js';
import { scanMedia } from '../../src/audio/scan.js';
import { buildWindowGrid } from '../../src/domain/window-grid.js';

async function runExtraction(media: string, cacheDir: string) {
  const { files } = await scanMedia(media);
  const grid = buildWindowGrid(files.map((f) => f.duration), 1);
  const vectors = new Map<number, Float32Array>();
  const failed: string[] = [];
  const progress: ExtractProgress[] = [];
  const run = extractFeatures(files, grid, {
    cacheDir,
    workers: 2,
    onFile: (f, v) => vectors.set(f, v),
    onFailed: (f, reason) => failed.push(`${files[f].path}: ${reason}`),
    onProgress: (p) => progress.push(p),
  });
  await run.done;
  return { files, grid, vectors, failed, progress };
}

/** A generated collection in a temporary folder, scanned and cut into 1 s windows; the folder goes after the test. */
async function scannedDemo(t: TestContext, opts: { files: number; seconds: number; seed: number }) {
  const root = mkdtempSync(join(tmpdir(), 'hark-extract-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  writeDemoCollection(join(root, 'media'), opts);
  const { files } = await scanMedia(join(root, 'media'));
  return { root, files, grid: buildWindowGrid(files.map((f) => f.duration), 1) };
}

test('extraction in worker threads covers every window, caches it, and a second run reads the cache', async () => {
  const root = mkdtempSync(join(tmpdir(), 'hark-extract-'));
  const media = join(root, 'media');
  const cacheDir = join(root, 'store', 'features');
  try {
    writeDemoCollection(media, { files: 3, seconds: 12, seed: 3 });
    const first = await runExtraction(media, cacheDir);
    assert.deepEqual(first.failed, []);
    assert.equal(first.vectors.size, 3);
    first.files.forEach((_, f) => {
      const v = first.vectors.get(f)!;
      assert.equal(v.length, (first.grid.offsets[f + 1] - first.grid.offsets[f]) * FEATURE_DIMS);
      assert.ok(v.every(Number.isFinite));
    });
    const last = first.progress[first.progress.length - 1];
    assert.deepEqual([last.filesDone, last.filesTotal, last.failed], [3, 3, 0]);
    assert.ok(Math.abs(last.secondsDone - 36) < 0.1 && last.secondsDone === last.secondsTotal);
    assert.equal(readdirSync(cacheDir).filter((f) => f.endsWith('.vec')).length, 3);

    // the media are gone, yet the second run succeeds: everything comes from the cache
    renameSync(media, `${media}-moved`);
    const again = await runExtraction(`${media}-moved`, cacheDir);
    assert.deepEqual(again.failed, []);
    first.vectors.forEach((v, f) => assert.deepEqual(again.vectors.get(f), v));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a recording that cannot be decoded is reported and its windows are left neutral, the rest carry on', async () => {
  const root = mkdtempSync(join(tmpdir(), 'hark-extract-'));
  try {
    writeDemoCollection(join(root, 'media'), { files: 1, seconds: 5, seed: 5 });
    const { files } = await scanMedia(join(root, 'media'));
    const broken = { ...files[0], path: 'gone.wav', abs: join(root, 'media', 'gone.wav') };
    const all = [broken, ...files];
    const grid = buildWindowGrid(all.map((f) => f.duration), 1);
    const { vectors, dims, failed } = await collectionVectors(all, grid, { cacheDir: join(root, 'features'), workers: 1 });
    assert.deepEqual([...failed.keys()], [0]);
    assert.ok(failed.get(0)!.length > 0);
    assert.ok(vectors.subarray(0, grid.offsets[1] * dims).every((v) => v === 0), 'standardised to the mean');
    assert.ok(vectors.subarray(grid.offsets[1] * dims).some((v) => v !== 0));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a feature cache that cannot be written costs nothing but time: the vectors are the same as with one', async (t) => {
  const { root, files, grid } = await scannedDemo(t, { files: 2, seconds: 6, seed: 9 });
  writeFileSync(join(root, 'not-a-folder'), '');
  const unwritable = await collectionVectors(files, grid, { cacheDir: join(root, 'not-a-folder', 'features'), workers: 1 });
  const cached = await collectionVectors(files, grid, { cacheDir: join(root, 'features'), workers: 1 });
  const again = await collectionVectors(files, grid, { cacheDir: join(root, 'features'), workers: 1 });
  assert.equal(unwritable.failed.size, 0);
  assert.ok(unwritable.vectors.some((v) => v !== 0));
  assert.deepEqual(unwritable.vectors, cached.vectors);
  assert.deepEqual(again.vectors, cached.vectors, 'read back from the cache');
});

test('a long extraction hands out the vectors of the files done so far, and the final ones do not depend on it', async (t) => {
  const { root, files, grid } = await scannedDemo(t, { files: 4, seconds: 5, seed: 12 });
  const partials: { share: number; known: number[] }[] = [];
  const withPartials = await collectionVectors(files, grid, {
    cacheDir: join(root, 'a'),
    workers: 1,
    partialAfterMs: 0,
    onPartial: ({ vectors, known, share }) => {
      assert.equal(vectors.length, grid.count * FEATURE_DIMS);
      partials.push({ share, known: [...known] });
    },
  });
  assert.ok(partials.length >= 1 && partials.length <= 3, `${partials.length} partial models`);
  for (const { share, known } of partials) {
    assert.ok(share >= 0.25 && share < 1);
    const knownFiles = files.filter((_, f) => known.slice(grid.offsets[f], grid.offsets[f + 1]).every((k) => k === 1)).length;
    assert.ok(known.every((k, w) => k === 0 || known[grid.offsets[grid.fileOf(w)]] === 1), 'whole files are known or not');
    assert.equal(knownFiles, Math.round(share * files.length), `share ${share}`);
  }
  const plain = await collectionVectors(files, grid, { cacheDir: join(root, 'b'), workers: 1 });
  assert.deepEqual(withPartials.vectors, plain.vectors);
});
