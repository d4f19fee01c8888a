import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDemoCollection, type DemoOptions } from '../../src/audio/demo-collection.js';
import { openCollection, priorDecisions, recordWindows, type Collection } from '../../src/collection/open-collection.js';
import { createLearner, type LearnerOptions, type LearnerStatus } from '../../src/labeler/learner.js';
import { saveSampled } from '../../src/labeler/save-sampled.js';
import { waitUntil, within } from '../helpers/wait.js';
import { modelStatusLine } from '../../src/ui/model-status.js';

/**
 * A learner on a demo collection in a temporary folder, after `prepare` has put decisions in its store; the learner
 * is closed, then the store, and the folder removed once the test ends.
 */
async function learnerOnDemo(
  t: TestContext,
  demo: DemoOptions,
  opts: Omit<LearnerOptions, 'collection' | 'onSampled'>,
  prepare: (collection: Collection) => Promise<unknown> = async () => {},
) {
  const root = mkdtempSync(join(tmpdir(), 'hark-learner-'));
  const truth = writeDemoCollection(join(root, 'media'), demo);
  const collection = await openCollection({ media: join(root, 'media'), store: join(root, 'store') });
  await prepare(collection);
  // as the labeling session wires it: the learner sends 'sampled', the store's owner saves it
  const learner = createLearner({ collection, ...opts, onSampled: saveSampled(collection.store, recordWindows(collection)) });
  t.after(async () => {
    await learner.close();
    collection.store.close();
    rmSync(root, { recursive: true, force: true });
  });
  return { root, truth, collection, learner };
}

test('the learner serves random clips at once, then model-ranked ones once features are extracted', async (t) => {
  // two decisions from an earlier session: the random one joins the estimate's sample
  const { learner } = await learnerOnDemo(t, { files: 2, seconds: 30, seed: 4, weights: { Tone: 2 } }, { seed: 1, target: 'Tone' }, ({ files, store }) =>
    store.addMany([
      { file: files[1].path, start: 4, duration: 1, label: 'Noise', kind: 'label', annotator: 'a', how: 'random' },
      { file: files[1].path, start: 9, duration: 1, label: 'Tone', kind: 'label', annotator: 'a', how: 'likely' },
    ]),
  );
  const statuses: LearnerStatus[] = [];
  const ready = new Promise<void>((resolve) =>
    learner.onUpdate((s) => {
      statuses.push(s);
      if (s.ready) resolve();
    }),
  );
  const early = await learner.next(3, new Set());
  assert.equal(early.length, 3);
  assert.ok(early.every((c) => c.how === 'random' && c.modelVersion === 0));
  learner.start();
  await within(ready, 'the model to be ready', 100_000);
  const progress = statuses.map((s) => s.extraction.filesDone);
  assert.equal(progress[progress.length - 1], 2);
  for (const c of early) learner.addLabel(c.window, c.window % 2 ? 'Tone' : 'Noise', 'label');
  const queued = await learner.next(5, new Set([early[0].window]));
  assert.equal(queued.length, 5);
  assert.ok(queued.some((c) => c.how === 'likely' && c.modelVersion > 0), JSON.stringify(queued));
  assert.ok(!queued.some((c) => c.window === early[0].window));
  const like = await learner.similar(early[1].window, 2);
  assert.equal(like.length, 2);
  // the estimate is computed in slices after the labels arrive, and published when it is done
  const last = await waitUntil(() => [...statuses].reverse().find((s) => s.estimate?.randomLabels === 4), 'the estimate from all 4 random labels', { timeoutMs: 60_000 }).catch(() => statuses[statuses.length - 1]);
  assert.ok(last.lastRetrain && last.lastRetrain.ms >= 0);
  assert.equal(last.estimate?.randomLabels, 4);
  assert.equal(last.estimate?.found, 1 + early.filter((c) => c.window % 2).length);

  await learner.close();
  const afterwards = await learner.next(2, new Set());
  assert.equal(afterwards.length, 2, 'with its thread gone the learner still deals random clips');
  assert.ok(afterwards.every((c) => c.how === 'random'));
});

test('random draws that land on clips labeled another way are saved as part of the random sample', async (t) => {
  const { root, collection, learner } = await learnerOnDemo(t, { files: 1, seconds: 10, seed: 6 }, { seed: 3, strategy: 'random' }, ({ files, store }) =>
    store.addMany(
      Array.from({ length: 8 }, (_, s) => ({ file: files[0].path, start: s, duration: 1, label: 'Noise', kind: 'label' as const, annotator: 'a', how: 'likely' })),
    ),
  );
  const shown = await learner.next(10, new Set());
  assert.deepEqual(shown.map((c) => c.window).sort(), [8, 9], 'decided clips are not shown again');
  await learner.close();
  await collection.store.settled(); // the owner's saves
  collection.store.close();
  const reopened = await openCollection({ media: join(root, 'media'), store: join(root, 'store') });
  assert.equal(reopened.store.records.filter((r) => r.sampled).length, 8, 'saved in the store');
  assert.ok(priorDecisions(reopened).every((d) => d.sampled));
  reopened.store.close();
});

test('the learner only reports sampled clips: the store is written by its one owner, never behind its back', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'hark-learner-'));
  writeDemoCollection(join(root, 'media'), { files: 1, seconds: 10, seed: 6 });
  const collection = await openCollection({ media: join(root, 'media'), store: join(root, 'store') });
  const { files, store } = collection;
  await store.addMany(Array.from({ length: 8 }, (_, s) => ({ file: files[0].path, start: s, duration: 1, label: 'Noise', kind: 'label' as const, annotator: 'a', how: 'likely' })));
  const reported: number[] = [];
  const learner = createLearner({ collection, seed: 3, strategy: 'random', onSampled: (w) => reported.push(w) });
  t.after(() => rmSync(root, { recursive: true, force: true }));
  await learner.next(10, new Set());
  await learner.close();
  await store.settled();
  assert.deepEqual(reported.sort(), [0, 1, 2, 3, 4, 5, 6, 7], 'every decided clip the random draw landed on is reported');
  assert.equal(store.records.filter((r) => r.sampled).length, 0, 'nothing marked without the owner');
  store.close();
});

test('while features are still extracted the model already ranks the files that are done', async (t) => {
  const demo = { files: 4, seconds: 20, seed: 8, weights: { Tone: 2 } };
  const { learner } = await learnerOnDemo(t, demo, { seed: 2, target: 'Tone', partialAfterMs: 0 }, ({ files, store }) =>
    store.addMany([0, 1, 2, 3, 4, 5].map((s) => ({ file: files[0].path, start: s, duration: 1, label: s % 2 ? 'Tone' : 'Noise', kind: 'label' as const, annotator: 'a', how: 'random' }))),
  );
  const statuses: LearnerStatus[] = [];
  const done = new Promise<void>((resolve) =>
    learner.onUpdate((s) => {
      statuses.push(s);
      if (s.ready && s.coverage === undefined) resolve();
    }),
  );
  learner.start();
  await within(done, 'a model on all of the audio', 100_000);
  const partial = statuses.find((s) => s.ready && s.coverage !== undefined);
  assert.ok(partial, 'a model on part of the audio came first');
  assert.ok(partial.coverage! >= 0.25 && partial.coverage! < 1 && partial.modelVersion > 0);
  assert.match(modelStatusLine(partial, Date.now()), /^model v\d+ on \d+% of the audio · features \d+% \(\d\/4 files\)/);
});

test('the learner thread learns the metric again at the 20th label and keeps ranking clips', async (t) => {
  const { truth, collection, learner } = await learnerOnDemo(t, { files: 2, seconds: 30, seed: 8, weights: { Tone: 2 } }, { seed: 2, target: 'Tone' });
  let latest: LearnerStatus | undefined;
  const ready = new Promise<void>((resolve) =>
    learner.onUpdate((s) => {
      latest = s;
      if (s.ready && s.coverage === undefined && s.extraction.filesDone === 2) resolve();
    }),
  );
  learner.start();
  await within(ready, 'features of both files and a model on them', 100_000);
  const { grid, files } = collection;
  const labelOf = (w: number) => {
    const f = grid.fileOf(w);
    const middle = grid.startOf(w) + 0.5;
    return truth.find((r) => r.file === files[f].path && r.start <= middle && middle < r.end)!.label;
  };
  const versions: number[] = [];
  for (let i = 0; i < 21; i++) {
    const w = (i * 7) % grid.count; // spread over both files
    const labeled = Date.now();
    learner.addLabel(w, labelOf(w), 'label');
    // the label is taken in, in slices between requests, once the thread says it retrained after it
    await waitUntil(() => latest?.lastRetrain && Date.parse(latest.lastRetrain.at) >= labeled, `label ${i + 1} taken in`, { timeoutMs: 30_000, pollMs: 5 });
    versions.push(latest!.modelVersion);
  }
  const steps = versions.slice(1).map((v, i) => v - versions[i]);
  assert.deepEqual(steps.slice(-3), [1, 2, 1], `one version per label, and one more for the metric at the 20th: ${versions}`);
  const queued = await learner.next(4, new Set());
  assert.ok(queued.some((c) => c.how === 'likely' && c.modelVersion === versions[20]), JSON.stringify(queued));
});
