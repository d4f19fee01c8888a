import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeDemoCollection } from '../../src/audio/demo-collection.js';
import { readExamples } from '../../src/collection/examples.js';
import { openCollection } from '../../src/collection/open-collection.js';
import { createLearner, type LearnerStatus } from '../../src/labeler/learner.js';
import { tempDir } from '../helpers/fixtures.js';
import { within } from '../helpers/wait.js';

test('the learner thread takes an outside recording as an example once features are extracted, and queues the clips most like it first', async (t) => {
  const root = tempDir();
  const truth = writeDemoCollection(join(root, 'media'), { files: 2, seconds: 40, seed: 11 });
  writeDemoCollection(join(root, 'elsewhere'), { files: 1, seconds: 3, seed: 2, weights: { Tone: 1, Noise: 0, Chirp: 0, Music: 0, Silence: 0 } });
  const collection = await openCollection({ media: join(root, 'media'), store: join(root, 'store') });
  const examples = await readExamples(collection, [join(root, 'elsewhere', 'demo-01.wav')]);
  const learner = createLearner({ collection, seed: 2, target: 'Tone', examples });
  t.after(async () => {
    await learner.close();
    collection.store.close();
  });
  const ready = new Promise<void>((resolve) =>
    learner.onUpdate((s: LearnerStatus) => {
      if (s.ready && s.coverage === undefined && s.extraction.filesDone === 2) resolve();
    }),
  );
  learner.start();
  await within(ready, 'features of both files and a model on them', 200_000);
  const queued = await learner.next(4, new Set());
  const first = queued.find((c) => c.how !== 'random')!;
  assert.equal(first?.reason, 'similar to example', JSON.stringify(queued));
  const { grid, files } = collection;
  const middle = grid.startOf(first.window) + 0.5;
  const label = truth.find((r) => r.file === files[grid.fileOf(first.window)].path && r.start <= middle && middle < r.end)?.label;
  assert.equal(label, 'Tone', 'the clip most like a tone recording is a tone');
});
