import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { runSimulate, type SimulateOptions, type SimulateReport } from '../../src/commands/simulate.js';
import { runStats } from '../../src/commands/stats.js';
import { LabelStore } from '../../src/store/label-store.js';
import { inRandomSample } from '../../src/domain/labels.js';
import { captureIO } from '../helpers/capture-io.js';
import { exitCode } from '../helpers/run-hark.js';
import { demoCollection, tempDir } from '../helpers/fixtures.js';

// a rare target: Tone is about 6% of the audio
const media = demoCollection({ files: 8, seconds: 60, seed: 11 }).dir;
const root = tempDir();
const firstStore = join(root, 'first');
let stores = 0;

async function simulate(opts: Partial<SimulateOptions>): Promise<{ code: number; out: string; err: string }> {
  const { io, text } = captureIO();
  const store = join(root, `store-${stores++}`);
  // every run after the first reuses the first run's feature cache
  if (stores > 1) cpSync(join(firstStore, 'features'), join(store, 'features'), { recursive: true });
  const code = await exitCode(
    runSimulate(
      { media, truth: join(media, 'truth.csv'), target: 'Tone', budget: 40, json: true, workers: 1, store: stores === 1 ? firstStore : store, ...opts },
      io,
    ),
    io,
  );
  return { code, ...text };
}

test('simulate labels with an oracle, reports what it found, and leaves the oracle labels in the store', async () => {
  const { code, out, err } = await simulate({ strategy: 'mixed', seed: 1 });
  assert.equal(code, 0, err);
  const report = JSON.parse(out) as SimulateReport;
  assert.equal(report.target, 'Tone');
  assert.equal(report.strategy, 'mixed');
  assert.equal(report.labels, 40);
  assert.ok(report.positives_total > 0);
  assert.deepEqual(Object.keys(report.found_at), ['40']);
  assert.ok(report.true_recall >= 0 && report.true_recall <= 1);
  assert.ok('estimate' in report && 'labels_for_recall' in report);

  const store = await LabelStore.open(firstStore, { readOnly: true });
  assert.equal(store.records.length, 40);
  assert.ok(store.records.every((r) => r.annotator === 'oracle' && r.strategy === 'mixed'));
  const hows = new Set(store.records.map((r) => r.how));
  assert.ok(hows.has('random') && hows.has('likely'), [...hows].join());
  assert.ok(store.records.filter((r) => r.how === 'random').every((r) => r.drawProbability! > 0));
  store.close();
});

test('hark stats on the simulated store gives the estimate the simulation ended with: the random sample survives', async () => {
  const { code, out, err } = await simulate({ strategy: 'mixed', seed: 3, budget: 100 });
  assert.equal(code, 0, err);
  const report = JSON.parse(out) as SimulateReport;
  assert.ok(report.estimate && report.estimate_total, 'enough random labels for an estimate');
  const { io, text } = captureIO();
  assert.equal(await runStats({ store: join(root, `store-${stores - 1}`), json: true }, io), 0, text.err);
  const stats = JSON.parse(text.out);
  assert.equal(stats.target, 'Tone', 'the simulated target is the store target');
  assert.deepEqual(stats.estimate.recall, report.estimate);
  assert.deepEqual(stats.estimate.total, report.estimate_total);
});

test('with the same number of labels, mixed finds more of a rare target than random', async () => {
  const totals = { mixed: { found: 0, recall: 0 }, random: { found: 0, recall: 0 } };
  // by 40 labels random has met enough of the generated tones for the model to find nearly all of them too
  for (const seed of [1, 2, 3]) {
    for (const strategy of ['mixed', 'random'] as const) {
      const { code, out, err } = await simulate({ strategy, seed, budget: 25 });
      assert.equal(code, 0, err);
      const report = JSON.parse(out) as SimulateReport;
      totals[strategy].found += report.found_at['25'];
      totals[strategy].recall += report.true_recall;
    }
  }
  const { mixed, random } = totals;
  assert.ok(mixed.found > 1.5 * random.found, `targets labeled: mixed ${mixed.found}, random ${random.found}`);
  assert.ok(mixed.recall > random.recall, `recall summed over seeds: mixed ${mixed.recall}, random ${random.recall}`);
});

test('simulate --examples gives the oracle target clips first: saved as examples, never random, and the first clip comes sooner', async () => {
  const runs = [];
  for (const examples of [0, 2]) {
    const { code, out, err } = await simulate({ strategy: 'mixed', seed: 4, budget: 20, examples });
    assert.equal(code, 0, err);
    runs.push(JSON.parse(out) as SimulateReport);
  }
  const [without, withTwo] = runs;
  assert.equal(without.examples, 0);
  assert.equal(withTwo.examples, 2);
  assert.equal(withTwo.labels, 20, 'examples are not answers: the budget is spent on labels');
  assert.ok(Number.isInteger(without.labels_to_first) && Number.isInteger(withTwo.labels_to_first), JSON.stringify(runs.map((r) => r.labels_to_first)));
  assert.ok(withTwo.labels_to_first! < without.labels_to_first!, `labels to the first tone: ${without.labels_to_first} without, ${withTwo.labels_to_first} with examples`);

  const store = await LabelStore.open(join(root, `store-${stores - 1}`), { readOnly: true });
  const examples = store.records.filter((r) => r.how === 'example');
  assert.equal(examples.length, 2);
  assert.ok(examples.every((r) => r.label === 'Tone' && r.kind === 'label' && !inRandomSample(r)));
  assert.equal(store.records.length, 22);
  store.close();
});

test('simulate takes the target in any case, as evaluate and label do', async () => {
  const { code, out, err } = await simulate({ target: 'tone', budget: 5 });
  assert.equal(code, 0, err);
  assert.equal((JSON.parse(out) as SimulateReport).target, 'Tone');
});

test('mistakes in the command line end in one clear line and exit code 1', async () => {
  const cases: [Partial<SimulateOptions>, RegExp][] = [
    [{ target: 'Applause' }, /--target Applause is not one of the truth's labels for these recordings: /],
    [{ budget: 0 }, /--budget must be a positive whole number/],
    [{ examples: -1 }, /--examples must be a whole number of at least 0/],
    [{ strategy: 'likley' }, /Unknown strategy "likley"/],
    [{ truth: join(root, 'nope.csv') }, /Cannot read the truth table .*no such file/],
    [{ store: firstStore }, /already has 40 decision\(s\)/],
  ];
  for (const [opts, message] of cases) {
    const { code, out, err } = await simulate(opts);
    assert.equal(code, 1, JSON.stringify(opts));
    assert.equal(out, '');
    assert.match(err, message);
    assert.equal(err.trim().split('\n').length, 1, err);
  }
});
