import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDemoCollection, type TruthRow } from '../../src/audio/demo-collection.js';
import { collectionVectors } from '../../src/audio/features/collection-vectors.js';
import { featureCacheDir, featureCacheFile } from '../../src/store/feature-cache.js';
import { labelingPool } from '../../src/collection/labeling-pool.js';
import { openCollection, recordWindows, type Collection } from '../../src/collection/open-collection.js';
import { scoreCollection } from '../../src/collection/collection-scores.js';
import { createLearner, type LearnerStatus } from '../../src/labeler/learner.js';
import { saveSampled } from '../../src/labeler/save-sampled.js';
import { wilson } from '../../src/ml/recall-estimate.js';
import { modelStatusLine } from '../../src/ui/model-status.js';
import { waitUntil } from '../helpers/wait.js';

const FILES = 4;
const SECONDS = 60;
/** the pool setting: a quarter of the 240 one-second clips */
const POOL = 60;

/** A demo collection of 240 clips in a temporary folder, removed (store closed first) when the test ends. */
async function demoCollection(t: TestContext): Promise<{ root: string; truth: TruthRow[]; open: () => Promise<Collection> }> {
  const root = mkdtempSync(join(tmpdir(), 'hark-pool-'));
  const truth = writeDemoCollection(join(root, 'media'), { files: FILES, seconds: SECONDS, seed: 5, weights: { Tone: 2 } });
  const opened: Collection[] = [];
  t.after(() => {
    opened.forEach((c) => c.store.close());
    rmSync(root, { recursive: true, force: true });
  });
  const open = async () => {
    opened.forEach((c) => c.store.close());
    opened.length = 0;
    const collection = await openCollection({ media: join(root, 'media'), store: join(root, 'store') });
    opened.push(collection);
    return collection;
  };
  return { root, truth, open };
}

const truthAt = (truth: TruthRow[], file: string, start: number) => truth.find((r) => r.file === file && r.start <= start + 0.5 && start + 0.5 < r.end)!.label;

test('above the pool setting the labeler draws a random pool once, keeps it in the store, and a resumed session ranks the same clips', async (t) => {
  const { open } = await demoCollection(t);
  const first = await open();
  assert.equal(await labelingPool(first), undefined, 'a collection under the default pool size is ranked whole');
  const pool = (await labelingPool(first, POOL))!;
  assert.ok(pool, 'a collection over --pool-windows gets a pool');
  assert.ok(pool.windows.length > POOL / 2 && pool.windows.length < POOL * 2, `about ${POOL} clips in the pool, got ${pool.windows.length}`);
  assert.ok(pool.windows.every((w, i) => w >= 0 && w < first.grid.count && (i === 0 || w > pool.windows[i - 1])));
  const files = new Set([...pool.windows].map((w) => first.grid.fileOf(w)));
  assert.equal(files.size, FILES, 'the pool is spread over every recording');
  assert.equal(first.store.config.poolWindows, POOL, 'the setting is saved for later runs');

  const resumed = await open();
  const again = (await labelingPool(resumed))!;
  assert.deepEqual([...again.windows], [...pool.windows], 'the resumed session ranks the same pool');
  const bigger = (await labelingPool(resumed, POOL * 2))!;
  assert.ok(bigger.windows.length > pool.windows.length, 'a larger setting draws a larger pool');
});

test('a large collection starts from its pool vectors kept beside the cache, gathered again when a cache entry goes', async (t) => {
  const { open } = await demoCollection(t);
  const collection = await open();
  const pool = (await labelingPool(collection, POOL))!;
  const { files, grid } = collection;
  const cacheDir = featureCacheDir(collection.store.dir);
  const first = await collectionVectors(files, grid, { cacheDir, pool });
  assert.ok(existsSync(join(cacheDir, 'pool-vectors.bin')), 'the pool vectors are kept');
  // every entry's values zeroed, headers intact: a start that read the entries would see silence
  const entries = files.map((_, f) => featureCacheFile(cacheDir, { path: files[f].path }));
  for (const entry of entries) {
    const bytes = readFileSync(entry);
    bytes.fill(0, 48);
    writeFileSync(entry, bytes);
  }
  const again = await collectionVectors(files, grid, { cacheDir, pool });
  assert.deepEqual(again.vectors, first.vectors, 'the next start reads the kept pool vectors, not the cache entries');
  assert.deepEqual(again.standard, first.standard);
  entries.forEach((entry) => rmSync(entry));
  const rebuilt = await collectionVectors(files, grid, { cacheDir, pool });
  assert.ok(entries.every((entry) => existsSync(entry)), 'without its cache entries the collection is extracted again');
  assert.deepEqual(rebuilt.vectors, first.vectors, 'and the pool vectors made again are the same');
});

test('the learner ranks only its pool, says so on screen, and scales its recall estimate to the whole collection', async (t) => {
  const { truth, open } = await demoCollection(t);
  const collection = await open();
  const pool = (await labelingPool(collection, POOL))!;
  const inPool = new Set(pool.windows);
  const learner = createLearner({ collection, pool, seed: 3, target: 'Tone', strategy: 'random', onSampled: saveSampled(collection.store, recordWindows(collection)) });
  t.after(() => learner.close());
  let status: LearnerStatus | undefined;
  learner.onUpdate((s) => (status = s));
  learner.start();
  await waitUntil(() => status?.ready, 'the model to be ready', { timeoutMs: 100_000 });

  const { grid, files } = collection;
  const drawn = await learner.next(pool.windows.length, new Set());
  assert.ok(drawn.length >= 30);
  assert.ok(drawn.every((c) => inPool.has(c.window)), 'every clip offered is in the pool');
  let positives = 0;
  for (const c of drawn.slice(0, 40)) {
    const label = truthAt(truth, files[grid.fileOf(c.window)].path, grid.startOf(c.window));
    if (label === 'Tone') positives++;
    learner.addLabel(c.window, label, 'label');
  }
  const estimate = await waitUntil(() => status?.estimate?.randomLabels === 40 && status.estimate, 'the estimate from 40 random labels', { timeoutMs: 60_000 });
  assert.ok(estimate.enough && estimate.total);
  const expected = wilson(positives, 40).value * grid.count;
  assert.ok(Math.abs(estimate.total.value - expected) < 1e-6, `Tone clips in the collection: ${estimate.total.value}, expected ${expected} (the pool's count scaled by its share)`);

  const line = modelStatusLine(status!, Date.now());
  const share = `${Math.round((pool.windows.length / grid.count) * 100)}%`;
  assert.ok(line.includes(`ranking a pool of ${pool.windows.length} of ${grid.count} clips (${share})`), line);
});

test('clips labeled outside the pool (from a search, by another annotator) teach the labeler, which then finds their kind in the pool', async (t) => {
  const { truth, open } = await demoCollection(t);
  const collection = await open();
  const pool = (await labelingPool(collection, POOL))!;
  const { grid, files, store } = collection;
  const inPool = new Set(pool.windows);
  const labelAt = (w: number) => truthAt(truth, files[grid.fileOf(w)].path, grid.startOf(w));
  const outside = Array.from({ length: grid.count }, (_, w) => w).filter((w) => !inPool.has(w));
  const tone = outside.filter((w) => labelAt(w) === 'Tone').filter((_, i) => i % 2 === 0);
  const other = outside.filter((w) => labelAt(w) !== 'Tone').filter((_, i) => i % 4 === 0);
  assert.ok(tone.length >= 8, 'the collection has Tone clips outside the pool');
  await store.addMany([...tone, ...other].map((w) => ({ file: files[grid.fileOf(w)].path, start: grid.startOf(w), duration: 1, label: labelAt(w), kind: 'label' as const, annotator: 'colleague', how: 'search' })));

  const learner = createLearner({ collection: await open(), pool, seed: 3, target: 'Tone', strategy: 'likely' });
  t.after(() => learner.close());
  let status: LearnerStatus | undefined;
  learner.onUpdate((s) => (status = s));
  learner.start();
  await waitUntil(() => status?.ready && status.coverage === undefined, 'the model on every clip', { timeoutMs: 100_000 });
  const ranked = await learner.next(pool.windows.length, new Set());
  assert.ok(ranked.length > pool.windows.length / 2);
  assert.ok(ranked.every((c) => inPool.has(c.window)), 'it queues only clips of its pool');
  assert.equal(ranked[0].how, 'likely', 'the model has seen the target: it hunts it, not explores');
  // how often a Tone clip of the pool scores above another clip of it (1: always, 0.5: a coin)
  const score = (kind: boolean) => ranked.filter((c) => (labelAt(c.window) === 'Tone') === kind).map((c) => c.score ?? 0);
  const [tones, others] = [score(true), score(false)];
  const above = tones.flatMap((a) => others.map((b) => (a > b ? 1 : a === b ? 0.5 : 0))).reduce((x: number, y) => x + y, 0) / (tones.length * others.length);
  assert.ok(above > 0.9, `a Tone clip scores above another clip ${Math.round(above * 100)}% of the time`);
});

test('apply still scores every clip, inside the pool and out of it', async (t) => {
  const { truth, open } = await demoCollection(t);
  const collection = await open();
  const pool = (await labelingPool(collection, POOL))!;
  const { grid, files, store } = collection;
  const labeled = [...pool.windows].filter((_, i) => i % 3 === 0);
  await store.addMany(
    labeled.map((w) => ({ file: files[grid.fileOf(w)].path, start: grid.startOf(w), duration: 1, label: truthAt(truth, files[grid.fileOf(w)].path, grid.startOf(w)), kind: 'label' as const, annotator: 't', how: 'likely' })),
  );
  const scores = await scoreCollection(await open());
  const tone = scores.probabilities[scores.labels.indexOf('Tone')];
  assert.equal(tone.length, grid.count);
  const inPool = new Set(pool.windows);
  const outside = Array.from({ length: grid.count }, (_, w) => w).filter((w) => !inPool.has(w));
  const toneOutside = outside.filter((w) => truthAt(truth, files[grid.fileOf(w)].path, grid.startOf(w)) === 'Tone');
  assert.ok(toneOutside.length > 5);
  assert.ok(toneOutside.filter((w) => tone[w] >= 0.5).length > toneOutside.length / 2, 'most Tone clips outside the pool are found');
});
