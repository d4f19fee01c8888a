import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { App } from '../../src/ui/app.js';
import { startSession, type SessionOptions } from '../../src/labeler/start-session.js';
import { openCollection, priorDecisions, recordWindows, type Collection } from '../../src/collection/open-collection.js';
import { createPlayer } from '../../src/audio/player/index.js';
import { labelDefs } from '../../src/commands/label.js';
import { LabelStore } from '../../src/store/label-store.js';
import { computeStats } from '../../src/store/stats.js';
import { demoCollection, tempDir } from '../helpers/fixtures.js';
import { waitForFrame } from '../helpers/wait-for-frame.js';

async function labeling(t: TestContext, collection: Collection, opts: Omit<SessionOptions, 'onExit'>) {
  t.after(() => collection.store.close());
  const ready = startSession(collection, await createPlayer('none'), { ...opts, onExit: () => {} });
  t.after(() => ready.close());
  const app = render(<App storePath={collection.store.dir} color={false} ready={ready} />);
  t.after(app.unmount);
  return app;
}

const decision = (file: string, start: number, label: string, annotator: string) => ({ file, start, duration: 1, label, kind: 'label' as const, annotator, how: 'random' });

test('--review disagreements shows first the clips annotators labeled differently, with who said what; the label given settles it and the originals still count for agreement', async (t) => {
  const { dir } = demoCollection({ files: 1, seconds: 10 });
  const store = join(tempDir(), 'store');
  const setup = await openCollection({ media: dir, store });
  const file = setup.files[0].path;
  await setup.store.setConfig({ labels: labelDefs(['A', 'B']) });
  await setup.store.addMany([decision(file, 2, 'A', 'alice'), decision(file, 2, 'B', 'bob'), decision(file, 5, 'A', 'alice'), decision(file, 5, 'A', 'bob')]);
  setup.store.close();
  const collection = await openCollection({ media: dir, store, annotator: 'carol' });
  const { lastFrame, stdin } = await labeling(t, collection, { seed: 1, review: 'disagreements' });
  await waitForFrame(lastFrame, /demo-01\.wav 0:00:02\.0 \+1\.0s · disagreement: alice A · bob B/);
  stdin.write('2');
  await waitForFrame(lastFrame, /session 1 /);
  const settled = collection.store.records.at(-1)!;
  assert.deepEqual([settled.annotator, settled.label, settled.how, settled.start], ['carol', 'B', 'adjudicated', 2]);
  const window = recordWindows(collection)(settled);
  assert.equal(priorDecisions(collection).find((d) => d.window === window)?.label, 'B', 'the model takes the settled label');
  const { agreement } = computeStats(collection.store.records, null);
  assert.equal(agreement.doubleCoded, 2, 'agreement is still measured on the original labels');
  assert.equal(agreement.pairs[0].observed, 0.5);
});

test("another annotator's labels reach the screen within 2 s: who is labeling now and how many labels each has", async (t) => {
  const { dir } = demoCollection({ files: 1, seconds: 20 });
  const store = join(tempDir(), 'store');
  const collection = await openCollection({ media: dir, store, annotator: 'alice' });
  await collection.store.setConfig({ labels: labelDefs(['A', 'B']) });
  const { lastFrame } = await labeling(t, collection, { seed: 1 });
  await waitForFrame(lastFrame, /demo-01\.wav 0:00:\d\d\.0/);
  const bob = await LabelStore.open(store, { annotator: 'bob' });
  t.after(() => bob.close());
  await waitForFrame(lastFrame, /you 0 · labeling now: bob 0/, 3000);
  await bob.addMany([decision(collection.files[0].path, 7, 'A', 'bob'), decision(collection.files[0].path, 8, 'B', 'bob')]);
  await waitForFrame(lastFrame, /you 0 · labeling now: bob 2/, 2000);
  assert.match(lastFrame()!, /total 2 /, "bob's labels count in the totals");
});
