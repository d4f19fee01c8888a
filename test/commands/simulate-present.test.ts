import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runSimulate, type SimulateOptions, type SimulateReport } from '../../src/commands/simulate.js';
import { runApply } from '../../src/commands/apply.js';
import { runEvaluate, type EvaluateReport } from '../../src/commands/evaluate.js';
import { LabelStore } from '../../src/store/label-store.js';
import { labelsOf } from '../../src/domain/labels.js';
import { captureIO } from '../helpers/capture-io.js';
import { exitCode } from '../helpers/run-hark.js';
import { demoCollection, tempDir } from '../helpers/fixtures.js';

// Music heavy, and over the first 60% of every Music segment a voice speaks (a truth row of its own): overlaps as
// one row per label, the way truth.csv holds music under speech.
const { dir: media, truth } = demoCollection({ files: 3, seconds: 40, seed: 5, weights: { Music: 4 } });
const voice = truth.filter((r) => r.label === 'Music').map((r) => ({ ...r, end: r.start + 0.6 * (r.end - r.start), label: 'Voice' }));
const truthFile = join(tempDir(), 'truth.csv');
writeFileSync(truthFile, ['file,start,end,label', ...[...truth, ...voice].map((r) => `${r.file},${r.start},${r.end},${r.label}`)].join('\n') + '\n');
const root = tempDir();
let stores = 0;

/** Seconds of window [k, k+1) of a file the Voice rows cover, worked out here from the rows themselves. */
const voiceIn = (file: string, k: number) => voice.filter((r) => r.file === file).reduce((s, r) => s + Math.max(0, Math.min(r.end, k + 1) - Math.max(r.start, k)), 0);
const files = [...new Set(truth.map((r) => r.file))];
const windowsWithVoice = (share: number) => files.reduce((n, f) => n + Array.from({ length: 40 }, (_, k) => voiceIn(f, k)).filter((s) => s >= share - 1e-6).length, 0);

async function simulate(opts: Partial<SimulateOptions>) {
  const { io, text } = captureIO();
  const store = join(root, `store-${stores++}`);
  const code = await exitCode(runSimulate({ media, truth: truthFile, target: 'Voice', budget: 60, json: true, workers: 1, seed: 2, strategy: 'random', store, ...opts }, io), io);
  assert.equal(code, 0, text.err);
  return { report: JSON.parse(text.out) as SimulateReport, store };
}

test('simulate --oracle present answers with every label covering 30% of a clip: a voice over music is labeled Voice and Music', async () => {
  const dominant = await simulate({});
  assert.equal(dominant.report.oracle, 'dominant');
  assert.equal(dominant.report.positives_total, 0, 'the music always covers as much of a clip as the voice over it, so the dominant oracle never says Voice');
  const present = await simulate({ oracle: 'present' });
  assert.equal(present.report.oracle, 'present');
  assert.equal(present.report.positives_total, windowsWithVoice(0.3), 'every clip the voice covers 30% of is a Voice clip');
  const strict = await simulate({ oracle: 'present', presentShare: 0.9 });
  assert.equal(strict.report.positives_total, windowsWithVoice(0.9), '--present-share 0.9');
  assert.ok(strict.report.positives_total < present.report.positives_total);

  const store = await LabelStore.open(present.store, { readOnly: true });
  const both = store.records.filter((r) => labelsOf(r).includes('Voice'));
  store.close();
  assert.ok(both.length > 0, 'the oracle met a voice');
  assert.ok(both.every((r) => labelsOf(r).join() === 'Music,Voice'), 'each with the music under it, the dominant label first');

  // evaluate counts a window for each label present: apply's Voice ranges are scored against the Voice rows
  const applied = captureIO();
  assert.equal(await runApply({ store: present.store, workers: 1 }, applied.io), 0, applied.text.err);
  const evaluated = captureIO();
  assert.equal(await runEvaluate({ store: present.store, truth: truthFile, json: true, workers: 1 }, evaluated.io), 0, evaluated.text.err);
  const report = JSON.parse(evaluated.text.out) as EvaluateReport;
  assert.ok(report.labels.Voice.window.truePositives > 0 && report.labels.Music.window.truePositives > 0, 'windows found as Voice and as Music');
});

test('--present-share without --oracle present is refused in one line', async () => {
  const { io, text } = captureIO();
  const code = await exitCode(runSimulate({ media, truth: truthFile, target: 'Voice', budget: 5, presentShare: 0.5, store: join(root, 'refused') }, io), io);
  assert.equal(code, 1);
  assert.match(text.err, /--present-share is for --oracle present/);
});

test('evaluate --present-share scores against every clip the truth covers that share of, as the present oracle labeled them', async () => {
  const { store } = await simulate({ oracle: 'present' });
  const applied = captureIO();
  assert.equal(await runApply({ store, workers: 1 }, applied.io), 0, applied.text.err);
  const voiceWindows = async (presentShare?: number) => {
    const { io, text } = captureIO();
    assert.equal(await runEvaluate({ store, truth: truthFile, json: true, workers: 1, presentShare }, io), 0, text.err);
    const { window } = (JSON.parse(text.out) as EvaluateReport).labels.Voice;
    return window.truePositives + window.falseNegatives;
  };
  assert.equal(await voiceWindows(), windowsWithVoice(0.5), 'by default a clip is Voice when the voice covers half of it');
  assert.equal(await voiceWindows(0.3), windowsWithVoice(0.3), '--present-share 0.3, the share simulate --oracle present labels from');
  assert.ok(windowsWithVoice(0.3) > windowsWithVoice(0.5), 'the two shares differ on these clips');
  const { io, text } = captureIO();
  assert.equal(await runEvaluate({ store, truth: truthFile, workers: 1, presentShare: 0.3 }, io), 0, text.err);
  assert.match(text.out, /clips where the label covers at least 30%/);
});
