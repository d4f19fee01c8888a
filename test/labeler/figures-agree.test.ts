import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openCollection } from '../../src/collection/open-collection.js';
import { runStats } from '../../src/commands/stats.js';
import { createLearner, type LearnerStatus } from '../../src/labeler/learner.js';
import { captureIO } from '../helpers/capture-io.js';
import { demoCollection, tempDir } from '../helpers/fixtures.js';

test('on a store labeled by hand, the labeling screen and hark stats give the same recall figure', async (t) => {
  const { dir, truth } = demoCollection({ files: 1, seconds: 62, seed: 8, weights: { Music: 3 } });
  const storeDir = join(tempDir(), 'store');
  const collection = await openCollection({ media: dir, store: storeDir });
  t.after(() => collection.store.close());
  await collection.store.setConfig({ target: 'Music' });
  const truthAt = (file: string, start: number) => truth.find((r) => r.file.endsWith(file) && r.start <= start && start < r.end)?.label ?? 'Silence';
  // as a person labels: the clips the labeler drew at random, and whole stretches heard through, one after another
  const file = collection.files[0].path;
  const records = Array.from({ length: 62 }, (_, s) => s)
    .filter((s) => s % 2 === 0 || (s >= 20 && s < 34))
    .map((s) => ({ file, start: s, duration: 1, label: truthAt(file, s), kind: 'label' as const, annotator: 'ann', how: s % 2 === 0 ? 'random' : 'manual' }));
  await collection.store.addMany(records);
  const learner = createLearner({ collection, seed: 2, target: 'Music' });
  t.after(() => learner.close());
  const settled = new Promise<LearnerStatus>((resolve) =>
    learner.onUpdate((s) => {
      if (s.ready && s.estimate?.recall) resolve(s);
    }),
  );
  learner.start();
  const screen = (await Promise.race([settled, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out waiting for the learner to estimate recall')), 120_000))])).estimate!;
  const { io, text } = captureIO();
  assert.equal(await runStats({ store: storeDir, json: true }, io), 0, text.err);
  const stats = JSON.parse(text.out).estimate;
  assert.ok(screen.randomLabels >= 30, `${screen.randomLabels} random labels`);
  assert.deepEqual(screen.recall, stats.recall, 'model recall');
  assert.deepEqual(screen.precision, stats.precision, 'model precision');
  assert.deepEqual(screen, stats);
});
