import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../../src/domain/seeded-random.js';
import { discriminantCoordinates } from '../../src/ml/discriminant-space.js';
import { targetProbabilities } from '../../src/ml/knn-votes.js';
import { decodeModel, encodeModel } from '../../src/ml/model-codec.js';
import { fitModel, fittedEstimate, heldApart, heldOutEstimate, heldOutVotes, NEIGHBORS, rowsAt, scoreWindows, type LabeledExample } from '../../src/ml/model.js';
import { LearningSession } from '../../src/ml/learning-session.js';
import { parseStrategy } from '../../src/ml/strategies.js';
import { NeighborIndex } from '../../src/ml/neighbor-index.js';
import { quantize } from '../../src/ml/quantize.js';

/** 400 windows of 6 quantized values in three kinds of sound; 60 of them labeled, in a shuffled order. */
function collection() {
  const rand = seededRandom(11);
  const dims = 6;
  const kind = (w: number) => ['Music', 'Speech', 'Tone'][w % 3];
  const z = Float32Array.from({ length: 400 * dims }, (_, i) => {
    const w = Math.floor(i / dims);
    const centre: number = ({ Music: 1, Speech: -1, Tone: 0 } as Record<string, number>)[kind(w)] * (i % dims < 2 ? 1.5 : 0.2);
    return centre + (rand() - 0.5) * 2;
  });
  const vectors = quantize(z);
  const windows = [...Array(400).keys()].sort(() => rand() - 0.5).slice(0, 60);
  return { vectors, dims, windows, labels: windows.map(kind) };
}

test('apply, stats and the labeler get the same probabilities: the fitted model scores as the labeler’s index does', () => {
  const { vectors, dims, windows, labels } = collection();
  const fitted = fitModel({ vectors: rowsAt(vectors, dims, windows), dims, labels, windows });
  const scores = scoreWindows(fitted.model, vectors);
  // the labeler's way: an index over every window, the labels added in the order made, the metric from all of them
  const classes = fitted.model.classes;
  const coordinates = discriminantCoordinates(vectors, dims, windows.map((w, i) => ({ row: w, cls: classes.indexOf(labels[i]) })));
  assert.ok(coordinates, 'three classes give a metric');
  const index = new NeighborIndex(vectors, dims, NEIGHBORS, coordinates);
  const classOf = new Int32Array(400).fill(-1);
  windows.forEach((w, i) => {
    classOf[w] = classes.indexOf(labels[i]);
    index.add(w);
  });
  classes.forEach((label, c) => {
    const expected = targetProbabilities(index, classOf, c);
    assert.deepEqual([...scores[c]], [...expected], `${label} over the collection`);
    assert.deepEqual([...fitted.heldOut[c]], windows.map((w) => expected[w]), `${label}: each example's vote without its own label`);
  });
  assert.ok(scores[classes.indexOf('Music')][windows[0]] < 1, 'a labeled window is not its own neighbour');
});

test('a model written out and read back on another machine scores any part of the collection the same', () => {
  const { vectors, dims, windows, labels } = collection();
  const { model } = fitModel({ vectors: rowsAt(vectors, dims, windows), dims, labels, windows, standard: { mean: Float64Array.of(0.1, 2, 3, 4, 5, 6), std: Float64Array.of(1, 2, 3, 4, 5, 0.7) } });
  const whole = scoreWindows(model, vectors);
  const copy = decodeModel(encodeModel(model));
  assert.deepEqual(copy, model);
  // a shard: windows 150..299 only, scored by the copy
  const shard = scoreWindows(copy, vectors.subarray(150 * dims, 300 * dims), 150);
  model.classes.forEach((label, c) => assert.deepEqual([...shard[c]], [...whole[c].subarray(150, 300)], label));
  assert.throws(() => decodeModel('{"format":"something else"}'), /hark-model/);
});

test('the recall figure comes from the examples drawn at random and their held-out votes', () => {
  const { vectors, dims, windows, labels } = collection();
  const fitted = fitModel({ vectors: rowsAt(vectors, dims, windows), dims, labels, windows });
  const votes = heldOutVotes(fitted, 'Tone');
  const examples = labels.map((label, i) => ({ label, random: i % 2 === 0, heldOut: votes[i] }));
  const e = heldOutEstimate(examples, 'Tone', 400, 0.9);
  const randomTones = examples.filter((x) => x.random && x.label === 'Tone');
  assert.equal(e.randomLabels, 30);
  assert.equal(e.found, labels.filter((l) => l === 'Tone').length);
  assert.equal(e.recall?.value, randomTones.filter((x) => x.heldOut >= 0.5).length / randomTones.length);
  assert.equal(heldOutEstimate(examples.map((x) => ({ ...x, heldOut: undefined })), 'Tone', 400, 0.9).recall, undefined, 'no model, no recall');
  assert.deepEqual([...heldOutVotes(fitted, 'Nope')], Array(60).fill(0));
});

test("the labeling screen's recall figure is hark stats', also before the labeler has learned its metric (as at start-up)", () => {
  // what tells the classes apart (value 0) is small beside the noise in the other seven: only a learned metric sees it
  const rand = seededRandom(3);
  const windows = 300;
  const dims = 8;
  const isMusic = (w: number) => w % 4 === 0;
  const vectors = quantize(Float32Array.from({ length: windows * dims }, (_, i) => (i % dims === 0 ? (isMusic(Math.floor(i / dims)) ? 0.6 : -0.6) + (rand() - 0.5) * 0.4 : (rand() - 0.5) * 6)));
  const session = new LearningSession({ offsets: Int32Array.of(0, windows), clip: 1, strategy: parseStrategy('random'), target: 'Music', rand: seededRandom(1) });
  session.attachVectors(vectors, dims);
  const labeled: LabeledExample[] = [];
  for (let i = 0; labeled.length < 90; i++) {
    const [c] = session.next(1);
    const label = isMusic(c.window) ? 'Music' : 'Speech';
    session.addLabel(c.window, label, 'label');
    labeled.push({ window: c.window, label, random: true });
  }
  const screen = session.estimate(0.9)!;
  const stats = fittedEstimate(vectors, dims, labeled, 'Music', heldApart(Int32Array.of(0, windows), 1), 0.9);
  assert.ok(stats.recall && stats.recall.value > 0.8, `a learned metric finds the Music: ${JSON.stringify(stats.recall)}`);
  assert.deepEqual(screen, stats);
});

test('a held-out vote leaves out the labels of the seconds around a clip in its recording: a run of labels does not vouch for itself', () => {
  // two recordings of 30 one-second windows. In the first, a person listened through seconds 10-15 and labeled them
  // Guest: six nearly identical vectors. Elsewhere: Host labels near them, and one more Guest far off.
  const dims = 2;
  const rand = seededRandom(5);
  const at = (x: number, y: number) => [x + (rand() - 0.5) * 0.01, y + (rand() - 0.5) * 0.01];
  const labeled: { window: number; label: string; v: number[] }[] = [];
  for (let w = 10; w <= 15; w++) labeled.push({ window: w, label: 'Guest', v: at(0, 0) });
  for (let i = 0; i < 10; i++) labeled.push({ window: 32 + 2 * i, label: 'Host', v: at(0.5 + (rand() - 0.5) * 0.2, 0.5) });
  labeled.push({ window: 2, label: 'Guest', v: at(3, 3) });
  const examples = { vectors: Float32Array.from(labeled.flatMap((d) => d.v)), dims, labels: labeled.map((d) => d.label), windows: labeled.map((d) => d.window) };
  const guest = (apart?: ReturnType<typeof heldApart>) => heldOutVotes(fitModel({ ...examples, apart }), 'Guest')[2];
  const offsets = Int32Array.of(0, 30, 60);
  assert.ok(guest() > 0.5, `its own label alone left out, second 12 is voted Guest by seconds 10-15: ${guest()}`);
  assert.ok(guest(heldApart(offsets, 1, 0)) > 0.5, 'the same with a gap of 0 s');
  assert.ok(guest(heldApart(offsets, 1)) < 0.5, `seconds 7-17 left out, the Host labels outvote it: ${guest(heldApart(offsets, 1))}`);
});
