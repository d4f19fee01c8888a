import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../../src/domain/seeded-random.js';
import { discriminantCoordinates } from '../../src/ml/discriminant-space.js';
import { targetProbabilities } from '../../src/ml/knn-votes.js';
import { LearningSession, NEIGHBORS } from '../../src/ml/learning-session.js';
import { NeighborIndex } from '../../src/ml/neighbor-index.js';
import { parseStrategy } from '../../src/ml/strategies.js';

const WINDOWS = 3000;
const DIMS = 8;
const LABELS = 2000;
const isTone = (w: number) => w % 7 === 0;

/** A near-the-end session: WINDOWS quantized vectors (Tone a far cluster), LABELS of them labeled and built in. */
function nearTheEnd(how: (i: number) => string) {
  const rand = seededRandom(4);
  const vectors = Int8Array.from({ length: WINDOWS * DIMS }, (_, i) => Math.round((isTone(Math.floor(i / DIMS)) ? 20 : 0) + (rand() - 0.5) * 30));
  const s = new LearningSession({ offsets: Int32Array.from([0, WINDOWS / 2, WINDOWS]), clip: 1, strategy: parseStrategy('mixed'), target: 'Tone', rand: seededRandom(5), labelsWaitForBuild: true });
  s.attachVectors(vectors, DIMS);
  const labeled: [number, string][] = [];
  for (let i = 0; labeled.length < LABELS; i++) {
    const w = (i * 13) % WINDOWS;
    labeled.push([w, isTone(w) ? 'Tone' : 'Noise']);
    s.addLabel(w, labeled[labeled.length - 1][1], 'label', how(labeled.length));
  }
  while (!s.buildRows(1 << 16));
  return { s, vectors, labeled };
}

/** Each window's Tone probability from a model built afresh: the metric learned from `labeled`, then each added. */
function freshTone(vectors: Int8Array, labeled: [number, string][]): Float32Array {
  const classes = ['Tone', 'Noise'];
  const index = new NeighborIndex(vectors, DIMS, NEIGHBORS, discriminantCoordinates(vectors, DIMS, labeled.map(([w, name]) => ({ row: w, cls: classes.indexOf(name) }))));
  const classOf = new Int32Array(WINDOWS).fill(-1);
  for (const [w, name] of labeled) {
    index.add(w);
    classOf[w] = classes.indexOf(name);
  }
  return targetProbabilities(index, classOf, 0);
}

test('with thousands of labels the metric is learned in steps the learner runs between clip requests, not at once when a label makes it due', () => {
  const { s, vectors, labeled } = nearTheEnd(() => 'likely');
  const before = s.modelVersion;
  const ranked = Float32Array.from(s.probabilities()!);
  assert.equal(s.relearnIfDue(), true);
  // each buildRows(1) measures one window on the new metric once it is learned: more calls than windows means
  // learning it took steps of its own, each leaving the thread free to answer
  let calls = 0;
  while (s.modelVersion === before) {
    assert.equal(s.buildRows(1), false);
    calls++;
    if (calls % 500 === 0) {
      assert.deepEqual([...s.probabilities()!], [...ranked], 'the model from before ranks clips meanwhile');
      assert.equal(s.next(2).length, 2);
    }
  }
  assert.ok(calls > WINDOWS + 3, `the rebuild began after ${calls} steps, only as many as there are windows to measure: the metric was learned at once`);
  while (!s.buildRows(1 << 16));
  assert.deepEqual([...s.probabilities()!], [...freshTone(vectors, labeled)], 'rebuilt with the metric learned from every label');
});

test('the recall estimate on thousands of labels fits its model in steps, so a clip request never waits for the whole fit', () => {
  // a few random labels: their held-out votes take one step, so what else is split is the fit itself
  const { s } = nearTheEnd((i) => (i % 400 === 0 ? 'random' : 'likely'));
  const steps = s.estimateSteps(0.9);
  let count = 0;
  let estimate;
  for (;;) {
    const step = steps.next();
    count++;
    if (step.done) {
      estimate = step.value;
      break;
    }
  }
  assert.ok(count > 4, `the estimate came in ${count} steps: the model of ${LABELS} labels was fitted in one`);
  assert.deepEqual(estimate, s.estimate(0.9), 'the same figure as computed at once');
  assert.equal(estimate?.randomLabels, LABELS / 400);
});

test('a session resumed with thousands of labels ranks clips as soon as the unlabeled clips are placed, before the labeled ones', () => {
  const rand = seededRandom(6);
  const vectors = Int8Array.from({ length: WINDOWS * DIMS }, (_, i) => Math.round((isTone(Math.floor(i / DIMS)) ? 20 : 0) + (rand() - 0.5) * 30));
  const s = new LearningSession({ offsets: Int32Array.from([0, WINDOWS]), clip: 1, strategy: parseStrategy('likely'), target: 'Tone', rand: seededRandom(5), labelsWaitForBuild: true });
  const labeled: [number, string][] = [];
  // two clips in three labeled by an earlier session: a thousand left to label
  for (let w = 0; labeled.length < LABELS; w++) if (w % 3 !== 2) labeled.push([w, isTone(w) ? 'Tone' : 'Noise']);
  for (const [w, name] of labeled) s.addLabel(w, name, 'label');
  s.attachVectors(vectors, DIMS);
  let steps = 0;
  while (!s.ready) {
    assert.equal(s.buildRows(1 << 14), false);
    steps++;
  }
  const early = Float32Array.from(s.probabilities()!);
  assert.ok(s.next(3).every((c) => c.how === 'likely'), 'the model ranks the queue');
  let more = 0;
  while (!s.buildRows(1 << 14)) more++;
  assert.ok(more > steps, `ranking after ${steps} steps, then ${more} more for the labeled clips' own neighbours`);

  // the metric learned from the labels it resumed with, every label in: as a model built afresh
  const fresh = freshTone(vectors, labeled);
  assert.deepEqual([...s.probabilities()!], [...fresh]);
  const unlabeled = [...Array(WINDOWS).keys()].filter((w) => w % 3 === 2);
  assert.deepEqual(unlabeled.map((w) => early[w]), unlabeled.map((w) => fresh[w]), 'the clips to rank were ranked by the whole model from the start');
});
