import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runStats } from '../../src/commands/stats.js';
import { LabelStore } from '../../src/store/label-store.js';
import { captureIO } from '../helpers/capture-io.js';
import { demoCollection, tempDir } from '../helpers/fixtures.js';

test('stats estimates how many target clips the collection holds from the randomly chosen labels alone', async () => {
  const { dir } = demoCollection({ files: 1, seconds: 60 });
  const storeDir = join(tempDir(), 'store');
  const store = await LabelStore.open(storeDir);
  await store.setConfig({ mediaRoot: dir, target: 'Tone' });
  const rec = (i: number, label: string, how: string) => ({ file: 'demo-01.wav', start: i, duration: 1, label, kind: 'label' as const, annotator: 't', how });
  // 40 random labels, 10 of them Tone: 1/4 of 60 windows -> about 15 Tone clips; 5 more Tone found by the model's picks.
  // The first 3 were the model's picks that a random draw landed on later: they count in the sample.
  await store.addMany([
    ...Array.from({ length: 40 }, (_, i) => ({ ...rec(i, i % 4 === 0 ? 'Tone' : 'Noise', i < 3 ? 'likely' : 'random'), sampled: i < 3 })),
    ...Array.from({ length: 5 }, (_, i) => rec(40 + i, 'Tone', 'likely')),
  ]);
  store.close();
  const { io, text } = captureIO();
  assert.equal(await runStats({ store: storeDir, json: true, model: false }, io), 0, text.err);
  const report = JSON.parse(text.out);
  assert.equal(report.target, 'Tone');
  assert.equal(report.estimate.found, 15);
  assert.equal(report.estimate.randomLabels, 40);
  assert.ok(Math.abs(report.estimate.total.value - 15) < 1e-9);
  assert.ok(report.estimate.total.low < 15 && report.estimate.total.high > 15);
  assert.equal(report.estimate.recall, undefined, 'no model, no claim about its recall');

  const plain = captureIO();
  await runStats({ store: storeDir, model: false }, plain.io);
  assert.match(plain.text.out, /Target Tone: 15 found of an estimated 15 \(\d+–\d+, 95%\) in the collection, from 40 randomly chosen labels/);
});

test("stats add the model's recall and precision on the random sample, as the labeling screen shows them", async () => {
  const { dir, truth } = demoCollection({ files: 1, seconds: 90, seed: 2, weights: { Tone: 3 } });
  const storeDir = join(tempDir(), 'store');
  const store = await LabelStore.open(storeDir);
  await store.setConfig({ mediaRoot: dir, target: 'Tone' });
  // every other window that one segment covers whole, labeled with its truth as if drawn at random
  const windows = Array.from({ length: 45 }, (_, i) => 2 * i).filter((start) => truth.some((t) => t.start <= start && start + 1 <= t.end));
  const labelOf = (start: number) => truth.find((t) => t.start <= start && start + 1 <= t.end)!.label;
  await store.addMany(windows.map((start) => ({ file: 'demo-01.wav', start, duration: 1, label: labelOf(start), kind: 'label' as const, annotator: 't', how: 'random' })));
  store.close();
  const tones = windows.filter((w) => labelOf(w) === 'Tone').length;
  assert.ok(windows.length >= 30 && tones >= 3, `${windows.length} random labels, ${tones} of them Tone`);

  const { io, text } = captureIO();
  assert.equal(await runStats({ store: storeDir, json: true }, io), 0, text.err);
  const { estimate } = JSON.parse(text.out);
  assert.equal(estimate.found, tones);
  assert.equal(estimate.recall.value, 1, 'each random Tone clip has other Tone clips for neighbours');
  assert.ok(estimate.precision.value >= 0.8, `precision ${estimate.precision.value}`);
  assert.match(text.err, /features: 1\/1 recordings/, 'the features it needed were extracted, with progress');

  const plain = captureIO();
  await runStats({ store: storeDir }, plain.io);
  assert.match(plain.text.out, /\nThe model flags 100% \(\d+%–100%\) of them; \d+% \(\d+%–\d+%\) of what it flags is Tone\./);
});
