import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openCollection } from '../../src/collection/open-collection.js';
import { defaultApplyDir, RANGES_FILE } from '../../src/store/apply-output.js';
import { applyInBackground } from '../../src/labeler/apply-in-background.js';
import { demoCollection, tempDir } from '../helpers/fixtures.js';

test('quitting the labeler stops an apply still running in the background, leaving no process behind', async () => {
  const { dir, truth } = demoCollection({ files: 2, seconds: 20, seed: 3 });
  const store = join(tempDir(), 'store');
  const collection = await openCollection({ media: dir, store });
  await collection.store.addMany(truth.slice(0, 6).map((r) => ({ file: r.file, start: Math.floor(r.start), duration: 1, label: r.label, kind: 'label' as const, annotator: 't', how: 'random' })));
  collection.store.close();
  const apply = applyInBackground(store);
  const running = apply.run(truth[0].label);
  apply.stop();
  await assert.rejects(running, /apply failed/);
  assert.ok(!existsSync(join(defaultApplyDir(store), RANGES_FILE)), 'it did not finish');
});
