import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../../src/domain/seeded-random.js';
import { discriminantCoordinates } from '../../src/ml/discriminant-space.js';
import { targetProbabilities } from '../../src/ml/knn-votes.js';
import { LearningSession, NEIGHBORS, RELEARN_FROM, spacingGap } from '../../src/ml/learning-session.js';
import { NeighborIndex } from '../../src/ml/neighbor-index.js';
import { ARMS, MIXED_SHARES, parseStrategy } from '../../src/ml/strategies.js';

/** 60 windows in 3 files of 20; every fifth window sits in a far cluster ("Tone"), the rest near the origin. */
const isTone = (w: number) => w % 5 === 0;
function clusters(): Float32Array {
  const rand = seededRandom(9);
  return Float32Array.from({ length: 120 }, (_, i) => (isTone(Math.floor(i / 2)) ? 5 : 0) + rand() - 0.5);
}

function session(strategy = 'mixed') {
  return new LearningSession({ offsets: Int32Array.from([0, 20, 40, 60]), clip: 1, strategy: parseStrategy(strategy), target: 'Tone', rand: seededRandom(5) });
}

test('before features exist every queued clip is a uniform random draw', () => {
  const s = session();
  const choices = s.next(4);
  assert.equal(choices.length, 4);
  for (const c of choices) {
    assert.equal(c.how, 'random');
    assert.equal(c.reason, 'random');
    assert.equal(c.modelVersion, 0);
    assert.equal(c.strategy, 'mixed');
  }
  assert.deepEqual(choices.map((c) => c.drawProbability), [1 / 60, 1 / 59, 1 / 58, 1 / 57]);
  assert.equal(new Set(choices.map((c) => c.window)).size, 4);
});

test('once labels show what the target sounds like, the likely arm queues more of it', () => {
  const s = session('likely');
  s.attachVectors(clusters(), 2);
  s.buildStep();
  s.addLabel(55, 'Tone', 'label');
  s.addLabel(3, 'Noise', 'label');
  s.addLabel(31, 'Noise', 'label');
  const choices = s.next(3, new Set([50]));
  assert.equal(choices.length, 3);
  for (const c of choices) {
    assert.ok(isTone(c.window) && c.window !== 55 && c.window !== 50, `window ${c.window}`);
    assert.equal(c.how, 'likely');
    assert.ok(c.score! > 0.5);
    assert.equal(c.reason, `likely Tone p=${c.score!.toFixed(2)}`);
    assert.equal(c.modelVersion, s.modelVersion);
    assert.ok(c.modelVersion > 0);
  }
});

test('on partial vectors the model ranks only the windows that have them, and takes the rest in when they come', () => {
  const s = session('likely');
  const vectors = clusters();
  const known = new Uint8Array(60).fill(1, 0, 20); // only the first file is extracted
  s.addLabel(45, 'Tone', 'label'); // a label in the third file waits for its vector
  s.attachVectors(vectors, 2, known);
  assert.ok(s.buildStep());
  const early = s.next(3);
  assert.ok(early.every((c) => c.how === 'explore' && c.window < 20), `no known example of the target yet: explore the known part, ${JSON.stringify(early)}`);
  s.addLabel(5, 'Tone', 'label');
  s.addLabel(3, 'Noise', 'label');
  const partial = s.next(2); // 10 and 15: the other tones of the first file are labeled or next to a label
  assert.ok(partial.every((c) => c.how === 'likely' && c.window < 20 && isTone(c.window)), JSON.stringify(partial));
  assert.equal(s.estimate(0.9)?.recall, undefined, 'no claim about model recall on part of the collection');
  assert.deepEqual(s.similar(50, 2), [], 'a window without a vector has no neighbours yet');
  s.attachVectors(vectors, 2);
  s.buildStep();
  const whole = s.next(6);
  assert.ok(whole.some((c) => c.window >= 20), 'the other files are ranked now');
  assert.ok(whole.every((c) => c.how === 'likely' && isTone(c.window)), JSON.stringify(whole));
});

test('mixed queues likely, random and uncertain clips at its shares', () => {
  const s = session();
  s.attachVectors(clusters(), 2);
  s.buildStep();
  s.addLabel(55, 'Tone', 'label');
  s.addLabel(3, 'Noise', 'label');
  const hows = s.next(10).map((c) => c.how);
  assert.deepEqual(
    ARMS.map((arm) => hows.filter((h) => h === arm).length),
    ARMS.map((arm) => Math.round(MIXED_SHARES[arm] * 10)),
  );
});

test('a random draw of a clip other arms labeled joins the random sample with its answer instead of being shown again', () => {
  const sampled: number[] = [];
  const options = { offsets: Int32Array.from([0, 6]), clip: 1, strategy: parseStrategy('random'), target: 'Noise' };
  const s = new LearningSession({ ...options, rand: seededRandom(2), onSampled: (w) => sampled.push(w) });
  for (let w = 0; w < 4; w++) s.addLabel(w, 'Noise', 'label', 'likely');
  s.addLabel(4, 'Noise', 'label', 'random');
  assert.equal(s.estimate(0.9)?.randomLabels, 1);
  const drawn = s.next(6).map((c) => c.window);
  assert.deepEqual(drawn, [5], 'only the undecided window is shown');
  assert.equal(s.estimate(0.9)?.randomLabels, 5, 'the four labeled windows the random arm drew count as random labels');
  assert.deepEqual(s.next(6, new Set([5])), [], 'every other window has been drawn once');
  assert.deepEqual(sampled.sort(), [0, 1, 2, 3], 'each joined window is reported once, to be saved');
  // restored from the store after a restart, the sample is the same size
  const restored = new LearningSession({ ...options, rand: seededRandom(3) });
  for (let w = 0; w < 4; w++) restored.addLabel(w, 'Noise', 'label', 'likely', sampled.includes(w));
  restored.addLabel(4, 'Noise', 'label', 'random');
  assert.equal(restored.estimate(0.9)?.randomLabels, 5);
});

test('a decision remembers how its clip was chosen, and undo forgets it', () => {
  const s = session('random');
  const [c] = s.next(1);
  s.addLabel(c.window, 'Noise', 'label');
  assert.equal(s.estimate(0.9)?.randomLabels, 1);
  const version = s.modelVersion;
  s.removeLabel(c.window);
  assert.equal(s.estimate(0.9)?.randomLabels, 0);
  assert.equal(s.modelVersion, version, 'no model yet: version stays 0');
  s.attachVectors(clusters(), 2);
  s.buildStep();
  s.addLabel(c.window, 'Noise', 'label');
  const before = s.modelVersion;
  s.removeLabel(c.window);
  assert.ok(s.modelVersion > before);
});

test('similar offers the undecided windows nearest the example', () => {
  const s = session();
  assert.deepEqual(s.similar(20, 3), [], 'nothing before there are features');
  s.attachVectors(clusters(), 2);
  s.buildStep();
  s.addLabel(25, 'Tone', 'label');
  const choices = s.similar(20, 4);
  assert.equal(choices.length, 4);
  for (const c of choices) {
    assert.ok(isTone(c.window) && c.window !== 20 && c.window !== 25, `window ${c.window}`);
    assert.equal(c.how, 'similar');
    assert.match(c.reason, /^similar d=\d+\.\d\d$/);
  }
});

test('the estimate counts only random-arm labels as the sample, and every labeled target as found', () => {
  const s = session('random');
  s.attachVectors(clusters(), 2);
  s.buildStep();
  for (let w = 0; w < 60; w += 2) s.addLabel(w, isTone(w) ? 'Tone' : 'Noise', 'label', 'random');
  s.addLabel(55, 'Tone', 'label', 'likely');
  s.addLabel(1, 'Noise', 'skip', 'random');
  const e = s.estimate(0.9)!;
  assert.equal(e.randomLabels, 30);
  assert.equal(e.found, 7);
  assert.ok(e.total && Math.abs(e.total.value - 12) < 1e-9, 'prevalence 6/30 of 60 windows');
  assert.ok(e.recall && e.recall.value === 1, 'every random Tone has Tone neighbours');
});

test('labels made before the features are ready reach the model in slices, and the queue stays random meanwhile', () => {
  const s = session();
  s.addLabel(5, 'Tone', 'label');
  s.addLabel(6, 'Noise', 'label');
  s.addLabel(10, 'Tone', 'label');
  s.removeLabel(10);
  s.attachVectors(clusters(), 2);
  assert.equal(s.ready, false);
  assert.ok(s.next(3).every((c) => c.how === 'random' && c.modelVersion === 0));
  assert.equal(s.buildStep(1), false);
  assert.equal(s.buildStep(5), true);
  assert.ok(s.modelVersion > 0);
  assert.ok(s.next(3).some((c) => c.how === 'likely'));
  assert.ok(s.probabilities()![10] > 0.5, 'the undone label 10 is not in the model, and window 10 sits with the Tones');
});

test('model-chosen clips start at least 3 s from each other and from labeled clips, whatever the clip length', () => {
  assert.deepEqual([1, 0.5, 0.7, 0.3, 2, 3, 5].map(spacingGap), [2, 5, 4, 9, 1, 1, 1]);
  const s = session('likely');
  // the first file is all Tone, a little less like the labeled example at each step away from it
  s.attachVectors(Float32Array.from({ length: 120 }, (_, i) => (Math.floor(i / 2) < 20 ? 5 + 0.01 * Math.floor(i / 2) : 0)), 2);
  s.buildStep();
  s.addLabel(0, 'Tone', 'label');
  s.addLabel(30, 'Noise', 'label');
  const starts = [0, ...s.next(6).map((c) => c.window)].sort((a, b) => a - b);
  assert.deepEqual(starts, [0, 3, 6, 9, 12, 15, 18], 'packed 3 s apart, none closer');
});

/** A likely-arm session on clusters() with vectors attached, and a way to label windows by their true class. */
function labelingSession() {
  const s = session('likely');
  const vectors = clusters();
  s.attachVectors(vectors, 2);
  s.buildStep();
  const labeled: [number, string][] = [];
  const label = (w: number) => {
    const name = isTone(w) ? 'Tone' : 'Noise';
    s.addLabel(w, name, 'label');
    labeled.push([w, name]);
  };
  return { s, vectors, labeled, label };
}

test('from 20 labels on the metric is learned again as the labels grow, and clips stay ranked while the model is rebuilt', () => {
  const { s, vectors, labeled, label } = labelingSession();
  for (let w = 1; labeled.length < RELEARN_FROM - 1; w += 3) label(w);
  assert.equal(s.relearnIfDue(), false, `${labeled.length} labels`);
  label(0);
  const before = Float32Array.from(s.probabilities()!);
  assert.equal(s.relearnIfDue(), true, `${labeled.length} labels`);
  assert.deepEqual([...s.probabilities()!], [...before], 'the probabilities from before rank clips until the rebuild is done');
  assert.ok(s.next(2).every((c) => c.how === 'likely'));
  assert.equal(s.buildStep(5), false);
  assert.equal(s.buildStep(), true);

  const classes = ['Tone', 'Noise'];
  const coordinates = discriminantCoordinates(vectors, 2, labeled.map(([w, name]) => ({ row: w, cls: classes.indexOf(name) })))!;
  const index = new NeighborIndex(vectors, 2, NEIGHBORS, coordinates);
  const classOf = new Int32Array(60).fill(-1);
  for (const [w, name] of labeled) {
    index.add(w);
    classOf[w] = classes.indexOf(name);
  }
  assert.deepEqual([...s.probabilities()!], [...targetProbabilities(index, classOf, 0)], 'the rebuilt model is the one learned from every label');
  assert.equal(s.relearnIfDue(), false, 'not again until the labels have grown by half');
});

test('labels that wait for the build rank clips by the model from before, and once built in slices give the same ranking as labels taken in at once', () => {
  const vectors = clusters();
  const waiting = new LearningSession({ offsets: Int32Array.from([0, 20, 40, 60]), clip: 1, strategy: parseStrategy('likely'), target: 'Tone', rand: seededRandom(5), labelsWaitForBuild: true });
  const atOnce = session('likely');
  for (const s of [waiting, atOnce]) {
    s.attachVectors(vectors, 2);
    s.buildStep();
  }
  const both = (change: (s: LearningSession) => void) => [waiting, atOnce].forEach(change);
  both((s) => s.addLabel(10, 'Tone', 'label'));
  both((s) => s.addLabel(3, 'Noise', 'label'));
  assert.ok(waiting.buildRows(7) === false && waiting.ready, 'a label part way in: the model still ranks clips');
  const before = Float32Array.from(waiting.probabilities()!);
  both((s) => s.addLabel(24, 'Noise', 'label'));
  assert.deepEqual([...waiting.probabilities()!], [...before], 'until the build is done the ranking from before holds');
  assert.ok(waiting.next(2).every((c) => c.how === 'likely'), 'the queue is answered at once');
  waiting.buildRows(100); // 10 and 3 in, 24 part way
  both((s) => s.removeLabel(3)); // undo while a pass is half done
  both((s) => s.addLabel(24, 'Tone', 'label')); // and a relabel of the window part way in
  both((s) => s.addLabel(45, 'Tone', 'label'));
  while (!waiting.buildRows(9));
  assert.deepEqual([...waiting.probabilities()!], [...atOnce.probabilities()!]);
  const index = new NeighborIndex(vectors, 2, NEIGHBORS);
  const classOf = new Int32Array(60).fill(-1);
  for (const [w, cls] of [[10, 0], [24, 0], [45, 0]]) {
    index.add(w);
    classOf[w] = cls;
  }
  assert.deepEqual([...waiting.probabilities()!], [...targetProbabilities(index, classOf, 0)], 'the model of every label, scored afresh');
});

test('after each of many labels, undos and relabels, the re-ranked clips are those of the model scored afresh', () => {
  const windows = 400;
  const rand = seededRandom(3);
  const vectors = Float32Array.from({ length: windows * 2 }, (_, i) => (isTone(Math.floor(i / 2)) ? 5 : 0) + rand() * 4 - 2);
  const s = new LearningSession({ offsets: Int32Array.from([0, windows]), clip: 1, target: 'Tone', rand: seededRandom(5) });
  s.attachVectors(vectors, 2);
  s.buildStep();
  const labels = new Map<number, string>();
  const check = (what: string) => {
    const index = new NeighborIndex(vectors, 2, NEIGHBORS);
    const classOf = new Int32Array(windows).fill(-1);
    for (const [w, name] of labels) {
      index.add(w);
      classOf[w] = name === 'Tone' ? 0 : 1;
    }
    assert.deepEqual([...s.probabilities()!], [...targetProbabilities(index, classOf, 0)], what);
  };
  for (let i = 0; i < 19; i++) {
    const w = (i * 37) % windows;
    const name = i === 0 || isTone(w) ? 'Tone' : 'Noise';
    s.addLabel(w, name, 'label');
    labels.set(w, name);
    check(`after label ${i + 1}`);
  }
  const [undone] = [...labels.keys()].slice(7);
  s.removeLabel(undone);
  labels.delete(undone);
  check('after an undo');
  const [relabeled] = [...labels.keys()].slice(3);
  s.addLabel(relabeled, 'Tone', 'label');
  labels.delete(relabeled);
  labels.set(relabeled, 'Tone');
  check('after a relabel');
});

test('until the target has a positive, the model\'s share explores where no label has been, and the random share stays', () => {
  const s = session();
  s.attachVectors(clusters(), 2);
  s.buildStep();
  for (const w of [1, 2, 3, 21, 22, 41, 42]) s.addLabel(w, 'Noise', 'label');
  const choices = s.next(10);
  const hows = choices.map((c) => c.how);
  assert.equal(hows.filter((h) => h === 'random').length, Math.round(MIXED_SHARES.random * 10), hows.join());
  const explored = choices.filter((c) => c.how === 'explore');
  assert.equal(explored.length, 10 - Math.round(MIXED_SHARES.random * 10));
  assert.ok(explored.every((c) => c.reason === 'explore'));
  assert.ok(isTone(explored[0].window), `the first explored clip is from the cluster no label reached: ${explored[0].window}`);
  s.addLabel(explored[0].window, 'Tone', 'label');
  assert.ok(s.next(10).every((c) => c.how !== 'explore'), 'once the target has a positive, the arms rank as before');
});

test('while a newly learned metric is measured in slices, the model from before keeps taking in labels, and then is rebuilt with it', () => {
  const { s, vectors, labeled, label } = labelingSession();
  for (let w = 1; labeled.length < RELEARN_FROM; w += 3) label(w);
  label(0);
  assert.equal(s.relearnIfDue(), true);
  assert.equal(s.buildRows(10), false, 'a sixth of the windows measured');
  const before = Float32Array.from(s.probabilities()!);
  label(35);
  assert.ok(s.ready);
  assert.notDeepEqual([...s.probabilities()!], [...before], 'the label counts at once, with the metric from before');
  while (!s.buildRows(10));
  const classes = ['Noise', 'Tone'];
  const coordinates = discriminantCoordinates(vectors, 2, labeled.slice(0, -1).map(([w, name]) => ({ row: w, cls: classes.indexOf(name) })))!;
  const index = new NeighborIndex(vectors, 2, NEIGHBORS, coordinates);
  const classOf = new Int32Array(60).fill(-1);
  for (const [w, name] of labeled) {
    index.add(w);
    classOf[w] = classes.indexOf(name);
  }
  assert.deepEqual([...s.probabilities()!], [...targetProbabilities(index, classOf, 1)], 'rebuilt with the metric learned from the labels when it was due');
});

test('once the model is sure of every clip left, its picks say the hunt has run dry', () => {
  const s = session('mixed');
  s.attachVectors(clusters(), 2);
  s.buildStep();
  assert.ok(s.next(6).every((c) => !/left/.test(c.reason)), 'not before');
  for (let w = 0; w < 60; w += 5) s.addLabel(w, 'Tone', 'label'); // every Tone window
  for (let w = 1; w < 60; w += 5) s.addLabel(w, 'Noise', 'label');
  assert.ok([...s.probabilities()!].every((p, w) => isTone(w) || p === 0), 'every clip left is one the model is sure of');
  const reasons = s.next(6).map((c) => c.reason);
  assert.ok(reasons.includes('no likely Tone left p=0.00'), reasons.join(', '));
  assert.ok(reasons.includes('no uncertain clip left p=0.00'), reasons.join(', '));
});
