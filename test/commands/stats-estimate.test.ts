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
  assert.equal(await runStats({ store: storeDir, json: true }, io), 0, text.err);
  const report = JSON.parse(text.out);
  assert.equal(report.target, 'Tone');
  assert.equal(report.estimate.found, 15);
  assert.equal(report.estimate.randomLabels, 40);
  assert.ok(Math.abs(report.estimate.total.value - 15) < 1e-9);
  assert.ok(report.estimate.total.low < 15 && report.estimate.total.high > 15);
  assert.equal(report.estimate.recall, undefined, 'no model, no claim about its recall');

  const plain = captureIO();
  await runStats({ store: storeDir }, plain.io);
  assert.match(plain.text.out, /Target Tone: 15 found of an estimated 15 \(\d+–\d+, 95%\) in the collection, from 40 randomly chosen labels/);
});
