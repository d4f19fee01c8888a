import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createPlayer } from '../../src/audio/player/index.js';
import { openCollection, recordWindows } from '../../src/collection/open-collection.js';
import { labelDefs } from '../../src/commands/label.js';
import { startSession } from '../../src/labeler/start-session.js';
import { demoCollection, tempDir } from '../helpers/fixtures.js';

/** Polls `done` every 10 ms for up to `ms`, failing with `what` was awaited. */
async function waitFor(done: () => boolean, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('labeling every clip of a short file, with more like this on the way, shows each clip once, then says the queue is empty', async (t) => {
  const { dir, truth } = demoCollection({ files: 1, seconds: 8, seed: 3, weights: { Tone: 3 } });
  const collection = await openCollection({ media: dir, store: join(tempDir(), 'store') });
  t.after(() => collection.store.close());
  const names = ['Tone', 'Noise', 'Chirp', 'Music', 'Silence'];
  await collection.store.setConfig({ labels: labelDefs(names), target: 'Tone' });
  const ready = startSession(collection, await createPlayer('none'), { seed: 7, strategy: 'likely', onExit: () => {} });
  t.after(() => ready.close());
  const { controller } = ready;
  t.after(ready.modelStatus.subscribe(() => {}));
  controller.start();
  await waitFor(() => ready.modelStatus.get()?.ready === true, 'the model to be ready');
  // "more like this" on the first clip: what it queues is not already in the queue
  await waitFor(() => controller.getView().session.current !== undefined, 'the first clip');
  controller.dispatch({ type: 'command', command: { type: 'similar' } });
  await waitFor(() => /queued \d+ clips like this/.test(controller.getView().session.message?.text ?? ''), 'clips like the first one');
  const { current, queue } = controller.getView().session;
  const queued = [current!, ...queue].map((c) => c.window);
  assert.equal(new Set(queued).size, queued.length, `no clip queued twice: ${queued}`);
  const truthAt = (start: number) => truth.find((r) => r.start <= start && start < r.end)?.label ?? 'Noise';
  const windows = collection.grid.count;
  for (let presses = 0; presses < windows + 4; presses++) {
    await waitFor(() => {
      const s = controller.getView().session;
      return s.exhausted || (s.current !== undefined && !s.busy);
    }, `clip ${presses + 1} on screen or the queue's end`);
    const s = controller.getView().session;
    if (!s.current) break;
    controller.dispatch({ type: 'command', command: { type: 'label', index: names.indexOf(truthAt(s.current.start)) } });
    await waitFor(() => !controller.getView().session.busy, `label ${presses + 1} to be saved`);
  }
  const windowOf = recordWindows(collection);
  const labeled = collection.store.records.map(windowOf);
  assert.deepEqual([...labeled].sort((a, b) => a - b), [...Array(windows).keys()], `each of the ${windows} clips labeled once: ${labeled}`);
  assert.equal(controller.getView().session.exhausted, true);
});
