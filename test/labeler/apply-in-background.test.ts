import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { join } from 'node:path';
import { openCollection } from '../../src/collection/open-collection.js';
import { applyRoot, latestRun, readRunRanges, readRunSummary } from '../../src/store/apply-output.js';
import { applyInBackground } from '../../src/labeler/apply-in-background.js';
import { runApply } from '../../src/commands/apply.js';
import { demoCollection, tempDir } from '../helpers/fixtures.js';
import { captureIO } from '../helpers/capture-io.js';
import { waitUntil } from '../helpers/wait.js';

async function labeledStore(labels = 6) {
  const { dir, truth } = demoCollection({ files: 2, seconds: 20, seed: 3 });
  const store = join(tempDir(), 'store');
  const collection = await openCollection({ media: dir, store });
  await collection.store.addMany(truth.slice(0, labels).map((r) => ({ file: r.file, start: Math.floor(r.start), duration: 1, label: r.label, kind: 'label' as const, annotator: 't', how: 'random' })));
  collection.store.close();
  return { store, truth };
}

/** The pids of this process's children (Linux). */
function childPids(): number[] {
  return readdirSync('/proc/self/task').flatMap((task) => readFileSync(`/proc/self/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
}

test('quitting the labeler stops an apply still running in the background, leaving no process behind', async () => {
  const { store, truth } = await labeledStore();
  const apply = applyInBackground(store);
  const running = apply.run(truth[0].label);
  apply.stop();
  await assert.rejects(running, /apply failed/);
  assert.equal(latestRun(store), undefined, 'it did not finish');
});

test('a in the labeler writes a run of its own: the CLI apply for every label before it keeps its ranges, and the latest run is easy to find', async () => {
  const { store } = await labeledStore(12);
  const { io, text } = captureIO();
  assert.equal(await runApply({ store }, io), 0, text.err);
  const everyLabel = latestRun(store)!;
  const labels = Object.keys(readRunSummary(everyLabel)!.labels);
  assert.ok(labels.length >= 2, `labels: ${labels}`);
  const before = readFileSync(join(everyLabel, 'ranges.csv'), 'utf8');

  const message = await applyInBackground(store, { durations: new Map(), width: () => 60 }).run(labels[0]);
  const targetOnly = latestRun(store)!;
  assert.notEqual(targetOnly, everyLabel);
  assert.ok(message.includes(targetOnly), message);
  const [, legend, ...rows] = message.split('\n');
  assert.match(legend, new RegExp(`^\\S ${labels[0]}$`), `the timeline's legend names the target: ${message}`);
  const recordings = new Set(readRunRanges(targetOnly).map((r) => r.file));
  assert.ok(rows.length >= 2 && rows.slice(0, -1).every((row) => [...recordings].some((f) => row.startsWith(f.slice(0, 10)))), `a line per recording where it was found: ${message}`);
  assert.ok(rows.every((row) => row.length <= 60), 'the timeline fits the width it was given');
  assert.equal(readFileSync(join(everyLabel, 'ranges.csv'), 'utf8'), before, 'the earlier run is untouched');
  assert.deepEqual(Object.keys(readRunSummary(targetOnly)!.labels), [labels[0]]);
  assert.ok(readRunRanges(targetOnly).every((r) => r.label === labels[0]));
  assert.equal(readFileSync(join(applyRoot(store), 'latest'), 'utf8').trim(), join('runs', targetOnly.split('/').pop()!));
  assert.equal(latestRun(store, [labels[1]]), everyLabel, 'the newest run for another label is still the CLI one');
});

test('a background apply runs below the labeler\'s priority', { skip: process.platform !== 'linux' }, async () => {
  const { store, truth } = await labeledStore();
  const before = new Set(childPids());
  const apply = applyInBackground(store);
  const running = apply.run(truth[0].label).catch(() => {});
  const pid = await waitUntil(() => childPids().find((p) => !before.has(p)), 'the apply child process to start');
  assert.ok(getPriority(pid) > getPriority(), `apply's nice ${getPriority(pid)}, the labeler's ${getPriority()}`);
  apply.stop();
  await running;
});
