import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EstimatePacer } from '../../src/labeler/estimate-pacer.js';
import { waitUntil } from '../helpers/wait.js';

/** An estimate that keeps the thread busy for `steps` steps of `ms` each (adding the time to `busy`), and answers which labels it was of. */
function* busyEstimate(labels: number, steps: number, ms: number, busy = { ms: 0 }): Generator<void, number> {
  for (let i = 0; i < steps; i++) {
    const started = performance.now();
    while (performance.now() - started < ms);
    busy.ms += performance.now() - started;
    yield;
  }
  return labels;
}

const timing = { sliceMs: 15, quietMs: 40, restFactor: 2 };

test('an estimate started runs to its end while labels keep coming, and takes at most a third of the thread', async () => {
  let labels = 0;
  const runs: { start: number; busy: { ms: number } }[] = [];
  const results: number[] = [];
  const pacer = new EstimatePacer(
    function* () {
      const run = { start: performance.now(), busy: { ms: 0 } };
      runs.push(run);
      return yield* busyEstimate(labels, 20, 10, run.busy);
    },
    (value) => results.push(value),
    timing,
  );
  // a label every 60 ms, for longer than an estimate takes: a pacer that restarted on each would never answer
  const started = performance.now();
  while (performance.now() - started < 2_000) {
    labels++;
    pacer.changed();
    await new Promise((resolve) => setTimeout(resolve, 60));
  }
  const whileLabeling = results.length;
  await waitUntil(() => results.at(-1) === labels && pacer.staleSince === undefined, 'an estimate of the last labels once they stopped', { timeoutMs: 30_000 });
  pacer.stop();
  assert.ok(whileLabeling >= 1, `an estimate answered while labels kept coming (${whileLabeling})`);
  assert.equal(results.length, runs.length, 'every estimate started ran to its end');
  // each estimate and the rest after it, up to the start of the last one (whose rest is still to come)
  assert.ok(runs.length >= 3, `${runs.length} estimates`);
  const span = runs.at(-1)!.start - runs[0].start;
  const busy = runs.slice(0, -1).reduce((s, r) => s + r.busy.ms, 0);
  assert.ok(busy / span <= 1 / 3, `estimates took ${Math.round((100 * busy) / span)}% of the thread`);
});

test('another question drops the running estimate: its answer never arrives', async () => {
  let target = 'Tone';
  const results: string[] = [];
  const started: string[] = [];
  const pacer = new EstimatePacer(
    function* () {
      const asked = target;
      started.push(asked);
      yield* busyEstimate(0, 30, 5);
      return asked;
    },
    (value) => results.push(value),
    timing,
  );
  pacer.changed();
  await waitUntil(() => started.length === 1, 'the first estimate started', { pollMs: 1 });
  target = 'Music';
  pacer.restart();
  await waitUntil(() => results.length > 0 && pacer.staleSince === undefined, 'the estimate for the new target');
  pacer.stop();
  assert.deepEqual(started, ['Tone', 'Music']);
  assert.deepEqual(results, ['Music']);
});

test('the labels waiting for figures are dated from the oldest not taken in', async () => {
  const results: number[] = [];
  let labels = 0;
  let started = 0;
  const pacer = new EstimatePacer(
    function* () {
      started++;
      return yield* busyEstimate(labels, 20, 10);
    },
    (value) => results.push(value),
    timing,
  );
  assert.equal(pacer.staleSince, undefined, 'nothing waits before any label');
  labels = 1;
  pacer.changed();
  const first = pacer.staleSince!;
  assert.ok(Math.abs(first - Date.now()) < 1_000, 'the first label waits from when it was made');
  await waitUntil(() => started === 1, 'the first estimate started', { pollMs: 1 });
  await new Promise((resolve) => setTimeout(resolve, 30));
  labels = 2;
  pacer.changed();
  const second = Date.now();
  assert.equal(pacer.staleSince, first, 'while the first estimate runs, its oldest label is the one waiting');
  await waitUntil(() => results.length === 1, 'the first estimate');
  assert.ok(pacer.staleSince! >= second - 5 && pacer.staleSince! > first, 'then the label made during it waits, from when it was made');
  await waitUntil(() => results.length === 2, 'the second estimate', { timeoutMs: 10_000 });
  assert.equal(pacer.staleSince, undefined, 'nothing waits once the last label is in the figures');
  assert.deepEqual(results, [1, 2]);
  pacer.stop();
});
