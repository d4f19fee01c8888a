import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { writeDemoCollection, type TruthRow } from '../../src/audio/demo-collection.js';
import { seededRandom } from '../../src/domain/seeded-random.js';
import { runApply } from '../../src/commands/apply.js';
import { latestRun, type ApplySummary } from '../../src/store/apply-output.js';
import { runEvaluate, type EvaluateReport } from '../../src/commands/evaluate.js';
import { evaluateLabel } from '../../src/ml/evaluate.js';
import { LabelStore, type NewRecord } from '../../src/store/label-store.js';
import { tempDir } from '../helpers/fixtures.js';
import { openCollection } from '../../src/collection/open-collection.js';
import { scoreCollection } from '../../src/collection/collection-scores.js';
import { DEFAULT_RANGE_OPTIONS, scoreRuns } from '../../src/ml/ranges.js';
import { SMOOTHING_METHODS, type SmoothingName } from '../../src/ml/smoothing-methods.js';
import { featureCacheDir } from '../../src/store/feature-cache.js';
import { Writable } from 'node:stream';
import { captureIO } from '../helpers/capture-io.js';
import { exitCode, runHark } from '../helpers/run-hark.js';

const FILES = 6;
const LABELED = 3;
const SECONDS = 40;
const dir = tempDir('hark-apply-');
const media = join(dir, 'media');
const store = join(dir, 'store');
let truth: TruthRow[];

/**
 * Labels one clip in the middle of each truth segment of the first three recordings, the way a person might after a
 * few minutes: recordings 4 to 6 have no labels at all, so what apply finds there it found by itself.
 */
before(async () => {
  truth = writeDemoCollection(media, { files: FILES, seconds: SECONDS, seed: 7, weights: { Tone: 1.5 } });
  const labelStore = await LabelStore.open(store);
  await labelStore.setConfig({ mediaRoot: media, labels: [] });
  const labeled = truth.filter((r) => r.file <= recording(LABELED));
  const records: NewRecord[] = labeled.map((r) => ({
    file: r.file,
    start: Math.floor((r.start + r.end) / 2),
    duration: 1,
    label: r.label,
    kind: 'label',
    annotator: 'test',
    how: 'oracle',
  }));
  await labelStore.addMany(records);
  labelStore.close();
});

const recording = (n: number) => `demo-${String(n).padStart(2, '0')}.wav`;
const unlabeledFiles = () =>
  Array.from({ length: FILES - LABELED }, (_, i) => ({ path: recording(LABELED + 1 + i), duration: SECONDS }));

test('apply finds most of each label in recordings nobody labeled, and says what it found', async () => {
  const { io, text } = captureIO();
  const code = await runApply({ store, format: 'csv,audacity,raven,jsonl', json: true }, io);
  assert.equal(code, 0, text.err);
  const summary = JSON.parse(text.out) as ApplySummary;
  assert.equal(summary.recordings, FILES);
  assert.ok(Math.abs(summary.hours - (FILES * SECONDS) / 3600) < 1e-3);
  assert.ok(summary.examples > 10);
  const rows = parse(readFileSync(join(latestRun(store)!, 'ranges.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
  assert.deepEqual(Object.keys(rows[0]), ['file', 'start', 'end', 'label', 'mean_score', 'max_score', 'peak']);
  const predicted = rows.map((r) => ({ file: r.file, start: Number(r.start), end: Number(r.end), label: r.label }));
  const unseenTruth = truth.filter((r) => r.file > recording(LABELED));
  for (const label of new Set(truth.map((r) => r.label))) {
        const { window } = evaluateLabel(unseenTruth, predicted, unlabeledFiles(), 1, label);
    if (window.truePositives + window.falseNegatives === 0) continue;
    assert.ok(window.recall >= 0.7, `${label}: recall ${window.recall.toFixed(2)} on unlabeled recordings`);
    assert.equal(summary.labels[label].ranges, rows.filter((r) => r.label === label).length);
  }
  for (const r of rows) {
    assert.ok(Number(r.start) < Number(r.end) && Number(r.end) <= SECONDS);
    assert.ok(Number(r.mean_score) > 0 && Number(r.mean_score) <= Number(r.max_score) && Number(r.max_score) <= 1);
  }
  assert.equal(readdirSync(join(latestRun(store)!, 'audacity')).length, FILES);
  assert.equal(readdirSync(join(latestRun(store)!, 'raven')).length, FILES);
  assert.equal(readFileSync(join(latestRun(store)!, 'ranges.jsonl'), 'utf8').trim().split('\n').length, rows.length);
  assert.ok(existsSync(join(latestRun(store)!, 'summary.json')));
  assert.match(text.err, /features: 6\/6 recordings/, 'progress goes to stderr');
});

test('a second apply reads the features back from the cache and gives the same ranges', async () => {
  const first = readFileSync(join(latestRun(store)!, 'ranges.csv'), 'utf8');
  const { io, text } = captureIO();
  assert.equal(await runApply({ store }, io), 0, text.err);
  assert.equal(readFileSync(join(latestRun(store)!, 'ranges.csv'), 'utf8'), first);
  assert.match(text.out, /Applied the model \(\d+ labeled clips\) to 6 recordings/);
  assert.match(text.out, /Estimates need 30 randomly chosen labels \(0 so far\)/, 'no clip was drawn at random');
  assert.equal(readdirSync(join(store, 'features')).filter((f) => f.endsWith('.vec')).length, FILES);
});

test('from randomly drawn labels, apply estimates how much of each label it finds and how much of what it finds is right', async () => {
  const sampled = join(dir, 'random-store');
  const s = await LabelStore.open(sampled);
  await s.setConfig({ mediaRoot: media });
  const rand = seededRandom(3);
  const drawn = new Set<string>();
  while (drawn.size < 80) drawn.add(`${1 + Math.floor(rand() * FILES)}:${Math.floor(rand() * SECONDS)}`);
  await s.addMany(
    [...drawn].map((key) => {
      const [n, start] = key.split(':').map(Number);
      const at = truth.find((r) => r.file === recording(n) && r.start <= start + 0.5 && start + 0.5 < r.end)!;
      return { file: recording(n), start, duration: 1, label: at.label, kind: 'label', annotator: 'test', how: 'random' };
    }),
  );
  s.close();
  const applied = captureIO();
  assert.equal(await runApply({ store: sampled, json: true }, applied.io), 0, applied.text.err);
  const summary = JSON.parse(applied.text.out) as ApplySummary;
  const evaluated = captureIO();
  assert.equal(await runEvaluate({ store: sampled, truth: join(media, 'truth.csv'), json: true }, evaluated.io), 0, evaluated.text.err);
  const measured = (JSON.parse(evaluated.text.out) as EvaluateReport).labels;
  let estimated = 0;
  for (const [label, { estimate }] of Object.entries(summary.labels)) {
    assert.equal(estimate.randomLabels, 80);
    for (const key of ['recall', 'precision'] as const) {
      const interval = estimate[key];
      if (!interval) continue;
      estimated++;
      const truly = measured[label].window[key];
      assert.ok(interval.low <= truly && truly <= interval.high, `${label} ${key}: measured ${truly}, estimated ${JSON.stringify(interval)}`);
    }
  }
  assert.ok(estimated >= 6, `${estimated} estimates`);
  const text = captureIO();
  assert.equal(await runApply({ store: sampled }, text.io), 0);
  assert.match(text.text.out, /Found \(est\.\) +Correct \(est\.\)/);
  assert.match(text.text.out, /\d+% \(\d+%–\d+%\)/);
});

test('a stricter threshold finds no more than the default', async () => {
  const { io, text } = captureIO();
  const out = join(dir, 'strict');
  assert.equal(await runApply({ store, out, threshold: 0.9, json: true }, io), 0, text.err);
  const strict = JSON.parse(text.out) as ApplySummary;
  const loose = JSON.parse(readFileSync(join(latestRun(store)!, 'summary.json'), 'utf8')) as ApplySummary;
  for (const label of Object.keys(loose.labels)) assert.ok(strict.labels[label].hours <= loose.labels[label].hours + 1e-9, label);
});

test('apply smooths with the method --smoothing names (events by default) and says which in its summary', async () => {
  // labels from the first recording only: the model's scores are rough enough elsewhere for the methods to differ
  const rough = join(dir, 'rough-store');
  mkdirSync(rough);
  symlinkSync(featureCacheDir(store), featureCacheDir(rough)); // the same recordings: their features are extracted already
  const roughStore = await LabelStore.open(rough);
  await roughStore.setConfig({ mediaRoot: media, labels: [] });
  await roughStore.addMany(
    truth
      .filter((r) => r.file === recording(1))
      .map((r) => ({ file: r.file, start: Math.floor(r.start), duration: 1, label: r.label, kind: 'label', annotator: 'test', how: 'oracle' })),
  );
  roughStore.close();
  const collection = await openCollection({ store: rough, readOnly: true });
  const scores = await scoreCollection(collection);
  collection.store.close();
  const { files, grid } = collection;
  const rangesBy = async (smoothing?: string) => {
    const { io, text } = captureIO();
    const out = join(dir, `smoothing-${smoothing}`);
    assert.equal(await runApply({ store: rough, out, smoothing, json: true, format: 'csv' }, io), 0, text.err);
    const summary = JSON.parse(text.out) as ApplySummary;
    const rows = parse(readFileSync(join(out, 'ranges.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    return { method: summary.options.smoothing, ranges: rows.map((r) => `${r.label} ${r.file} ${Number(r.start)}-${Number(r.end)}`).sort() };
  };
  const expected = (method: SmoothingName) =>
    scores.labels
      .flatMap((label, i) => {
        const recordings = files.map((_, f) => scores.probabilities[i].subarray(grid.offsets[f], grid.offsets[f + 1]));
        const fitted = SMOOTHING_METHODS[method].fit(recordings, grid.clip, { ...DEFAULT_RANGE_OPTIONS });
        return recordings.flatMap((p, f) =>
          scoreRuns(p, fitted.runs(p), grid.clip, files[f].duration, DEFAULT_RANGE_OPTIONS.minDuration).map((r) => `${label} ${files[f].path} ${r.start}-${r.end}`),
        );
      })
      .sort();
  const byDefault = await rangesBy(undefined);
  const average = await rangesBy('average');
  assert.equal(byDefault.method, 'events');
  assert.deepEqual(byDefault.ranges, expected('events'));
  assert.equal(average.method, 'average');
  assert.deepEqual(average.ranges, expected('average'));
  assert.notDeepEqual(byDefault.ranges, average.ranges);
});

test('evaluate scores the apply output against the truth, beside the HiPSTAS-style pipeline', async () => {
  const { io, text } = captureIO();
  const code = await runEvaluate({ store, truth: join(media, 'truth.csv'), json: true }, io);
  assert.equal(code, 0, text.err);
  const report = JSON.parse(text.out) as EvaluateReport;
  const labels = Object.keys(report.labels);
  assert.ok(labels.length >= 3);
  assert.deepEqual(Object.keys(report.hipstas), labels);
  for (const label of labels) {
    for (const grain of ['window', 'event'] as const) {
      for (const key of ['precision', 'recall', 'f1'] as const) {
        const v = report.labels[label][grain][key];
        assert.ok(v === null || (v >= 0 && v <= 1), `${label} ${grain} ${key} = ${v}`);
      }
    }
    assert.ok(report.labels[label].window.recall >= 0.7, `${label} window recall`);
  }
});

test('labels may be named in another case, and a truth table that spells them otherwise still counts', async () => {
  const lowercase = join(dir, 'truth-lowercase.csv');
  writeFileSync(lowercase, readFileSync(join(media, 'truth.csv'), 'utf8').replace(/,Tone$/gm, ',tone'));
  const exact = captureIO();
  assert.equal(await runEvaluate({ store, truth: join(media, 'truth.csv'), label: ['Tone'], json: true }, exact.io), 0, exact.text.err);
  const other = captureIO();
  assert.equal(await runEvaluate({ store, truth: lowercase, label: ['TONE'], json: true }, other.io), 0, other.text.err);
  assert.deepEqual(JSON.parse(other.text.out), JSON.parse(exact.text.out));
  assert.ok(JSON.parse(exact.text.out).labels.Tone.window.recall > 0.5);

  const untold = captureIO();
  writeFileSync(lowercase, 'file,start,end,label\ndemo-01.wav,0,1,Applause\n');
  assert.equal(await runEvaluate({ store, truth: lowercase, label: ['Tone'] }, untold.io), 0, untold.text.err);
  assert.match(untold.text.err, /The truth table has no rows for Tone; its labels are: Applause\./);
});

test('evaluate prints a readable table without --json', async () => {
  const { io, text } = captureIO();
  assert.equal(await runEvaluate({ store, truth: join(media, 'truth.csv'), label: ['Tone'] }, io), 0, text.err);
  assert.match(text.out, /^hark apply\nLabel +Window P +R +F1 +Event P +R +F1\nTone /);
  assert.match(text.out, /HiPSTAS-style/);
});

test('mistakes on the command line get a one-line answer and exit code 1', async () => {
  const cases: [Parameters<typeof runApply>[0], RegExp][] = [
    [{ store, label: ['Applause'] }, /--label Applause is not one of the labels with clips: /],
    [{ store, threshold: 1.5 }, /--threshold must be a probability between 0 and 1/],
    [{ store, smoothing: 'hann' }, /Unknown --smoothing hann; use one of events, average\./],
    [{ store, smooth: -1 }, /--smooth must be a number of seconds/],
    [{ store, format: 'csv,praat' }, /Unknown --format praat/],
    [{ store: join(dir, 'nowhere') }, /No hark store in/],
  ];
  for (const [opts, message] of cases) {
    const { io, text } = captureIO();
    assert.equal(await exitCode(runApply(opts, io), io), 1);
    assert.match(text.err.trim().split('\n').at(-1)!, message, 'the last line of stderr says what is wrong');
  }
  const { io, text } = captureIO();
  assert.equal(await exitCode(runEvaluate({ store, truth: join(dir, 'missing.csv') }, io), io), 1);
  assert.match(text.err, /Cannot read the truth table .*missing\.csv: no such file/);
});

test('an apply interrupted with Ctrl-C keeps the features it extracted and the next run finishes the job', async () => {
  const fresh = join(dir, 'fresh-store');
  const s = await LabelStore.open(fresh);
  await s.setConfig({ mediaRoot: media });
  await s.addMany(truth.map((r) => ({ file: r.file, start: r.start, duration: 1, label: r.label, kind: 'label', annotator: 'test', how: 'oracle' })));
  s.close();
  const text = { err: '' };
  const err = new Writable({
    write(chunk, _encoding, done) {
      text.err += String(chunk);
      if (String(chunk).startsWith('features: 1/')) process.emit('SIGINT');
      done();
    },
  });
  assert.equal(await runHark(['apply', '--store', fresh, '--workers', '1'], { out: captureIO().io.out, err }), 130);
  assert.match(text.err, /hark: interrupted; the features extracted so far are kept: run the same command again and it resumes where it stopped\n/);
  const cached = () => readdirSync(join(fresh, 'features')).filter((f) => f.endsWith('.vec')).length;
  assert.ok(cached() >= 1 && cached() < FILES, `${cached()} files cached`);
  assert.ok(!existsSync(join(fresh, 'apply', 'ranges.csv')));
  const again = captureIO();
  assert.equal(await runApply({ store: fresh }, again.io), 0, again.text.err);
  assert.equal(cached(), FILES);
});

test('apply on a store without labels says to label first', async () => {
  const empty = join(dir, 'empty-store');
  const s = await LabelStore.open(empty);
  await s.setConfig({ mediaRoot: media });
  s.close();
  const { io, text } = captureIO();
  assert.equal(await exitCode(runApply({ store: empty }, io), io), 1);
  assert.match(text.err, /has no labels yet: label some clips first/);
});
