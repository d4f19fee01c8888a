import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../../src/domain/seeded-random.js';
import { LearningSession } from '../../src/ml/learning-session.js';
import type { LabelSet } from '../../src/ml/label-sets.js';
import { decodeModel, encodeModel } from '../../src/ml/model-codec.js';
import { exampleLabels, fitModel, heldOutEstimate, heldOutVotes, rowsAt, scoreWindows } from '../../src/ml/model.js';
import { quantize } from '../../src/ml/quantize.js';
import { parseStrategy } from '../../src/ml/strategies.js';

/**
 * 300 windows of three kinds of sound: speech alone, speech over a music bed, music alone (w % 3). A person labels
 * the first a Host, the second Host and Music, the third Music.
 */
function collection() {
  const rand = seededRandom(5);
  const dims = 4;
  const centre = [-2, 0, 2];
  const z = Float32Array.from({ length: 300 * dims }, (_, i) => centre[Math.floor(i / dims) % 3] * (i % dims < 2 ? 1 : 0.3) + (rand() - 0.5));
  const truth = (w: number): LabelSet => [['Host'], ['Host', 'Music'], ['Music']][w % 3];
  const windows = [...Array(300).keys()].filter((w) => w % 5 === 0);
  return { vectors: quantize(z), dims, windows, labels: windows.map(truth) };
}

test('a clip labeled Host and Music counts for both: apply finds speech over a music bed whether it hunts Host or Music', () => {
  const { vectors, dims, windows, labels } = collection();
  const fitted = fitModel({ vectors: rowsAt(vectors, dims, windows), dims, labels, windows });
  const scores = scoreWindows(fitted.model, vectors);
  const host = scores[fitted.model.classes.indexOf('Host')];
  const music = scores[fitted.model.classes.indexOf('Music')];
  const bed = [...Array(300).keys()].filter((w) => w % 3 === 1);
  assert.ok(bed.every((w) => host[w] > 0.9 && music[w] > 0.9), 'speech over music is both Host and Music');
  assert.ok([...Array(300).keys()].filter((w) => w % 3 === 0).every((w) => music[w] < 0.1), 'speech alone is not Music');
  const j = labels.findIndex((l) => l.length === 2);
  assert.deepEqual(exampleLabels(decodeModel(encodeModel(fitted.model)), j), ['Host', 'Music'], 'a saved model keeps both labels');
  assert.ok(heldOutVotes(fitted, 'Music')[j] > 0.9, "the estimate's held-out vote for Music on a Host+Music clip is high");
});

test('the recall estimate counts a randomly drawn clip with two labels as a find for each', () => {
  const examples = Array.from({ length: 40 }, (_, i) => ({ label: i < 10 ? ['Host', 'Music'] : 'Noise', random: true }));
  const music = heldOutEstimate(examples, 'Music', 400, 0.9);
  const host = heldOutEstimate(examples, 'Host', 400, 0.9);
  assert.ok(music.total && host.total, 'both have an estimate');
  assert.equal(music.total.value, 100, 'a quarter of the sample holds Music');
  assert.equal(host.total.value, 100, 'a quarter of the sample holds Host');
});

test('while labeling, the queue hunting Music ranks speech over a music bed as likely, from clips labeled Host and Music', () => {
  const { vectors, dims, windows, labels } = collection();
  const offsets = Int32Array.from([0, 300]);
  const session = new LearningSession({ offsets, clip: 1, strategy: parseStrategy('likely'), target: 'Music', rand: seededRandom(1) });
  session.attachVectors(vectors, dims);
  // only speech alone and speech over music are labeled: Music is known only as the second label of a clip
  windows.forEach((w, i) => {
    if (w % 3 !== 2) session.addLabel(w, labels[i], 'label', 'random');
  });
  session.buildStep();
  const p = session.probabilities()!;
  assert.ok(p, 'a clip labeled Host and Music is enough for a Music model');
  const bed = [...Array(300).keys()].filter((w) => w % 3 === 1);
  assert.ok(bed.every((w) => p[w] > 0.9), 'speech over music scores as Music');
  const picks = session.next(5);
  assert.ok(picks.every((c) => c.how === 'likely' && c.window % 3 !== 0), `likely Music picks no speech alone: ${picks.map((c) => c.window)}`);
  session.setTarget('Host');
  const host = session.probabilities()!;
  assert.ok(bed.every((w) => host[w] > 0.9), 'and as Host');
});

/**
 * 700 windows of seven kinds of sound, told by a voice, a music and a hiss value (and three of noise): music under
 * the host, under a guest, alone; noise (a voice-like hiss), silence; music under an announcer whose voice sounds
 * like the noise, never labeled; the host alone. A third of the windows are labeled, none of the announcer's.
 */
function unheardVoice() {
  const rand = seededRandom(3);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const dims = 6;
  const kinds: { values: number[]; labels: LabelSet }[] = [
    { values: [-1, 0.5, 0], labels: ['Host', 'Music'] },
    { values: [1, 0.5, 0], labels: ['Guest', 'Music'] },
    { values: [0, 0.5, 0], labels: 'Music' },
    { values: [2, 0, 1], labels: 'Noise' },
    { values: [0, 0, -1], labels: 'Silence' },
    { values: [2, 0.5, 0], labels: ['Announcer', 'Music'] },
    { values: [-1, 0, 0], labels: 'Host' },
  ];
  const kindOf = (w: number) => w % kinds.length;
  const z = Float32Array.from({ length: 700 * dims }, (_, i) => {
    const d = i % dims;
    return d < 3 ? kinds[kindOf(Math.floor(i / dims))].values[d] + 0.2 * gaussian() : 0.5 * gaussian();
  });
  const windows = [...Array(700).keys()].filter((w) => w % 3 === 0 && kindOf(w) !== 5);
  const ofKind = (k: number) => [...Array(700).keys()].filter((w) => kindOf(w) === k);
  return { vectors: quantize(z), dims, windows, labels: windows.map((w) => kinds[kindOf(w)].labels), announcer: ofKind(5), host: ofKind(6) };
}

const shareAbove = (p: Float32Array, windows: number[]) => windows.filter((w) => p[w] >= 0.5).length / windows.length;

test('apply finds music under a voice no label has heard: the Music vote is measured by what tells music present, not which voice is over it', () => {
  const { vectors, dims, windows, labels, announcer, host } = unheardVoice();
  const fitted = fitModel({ vectors: rowsAt(vectors, dims, windows), dims, labels, windows });
  const music = scoreWindows(fitted.model, vectors)[fitted.model.classes.indexOf('Music')];
  // with one metric for every label set (each voice over music its own class) about a quarter of it is found
  assert.ok(shareAbove(music, announcer) > 0.8, `music under the announcer found: ${shareAbove(music, announcer)}`);
  assert.ok(shareAbove(music, host) < 0.3, `the host alone is not Music: ${shareAbove(music, host)}`);
  const copy = decodeModel(encodeModel(fitted.model));
  assert.deepEqual([...scoreWindows(copy, vectors)[copy.classes.indexOf('Music')]], [...music], 'a saved model scores Music with its own metric');
  // the labeler's estimate fits a model for its target alone: the same votes for it
  const forMusic = fitModel({ vectors: rowsAt(vectors, dims, windows), dims, labels, windows, target: 'Music' });
  assert.deepEqual([...heldOutVotes(forMusic, 'Music')], [...heldOutVotes(fitted, 'Music')], 'a model fitted for Music votes as the full one');
  // a model saved before labels had their own metric still loads, and scores every label with the shared one
  const { labelDiscriminants, ...before } = fitted.model;
  assert.ok(labelDiscriminants?.[fitted.model.classes.indexOf('Music')], 'Music has a metric of its own');
  const shared = scoreWindows(decodeModel(encodeModel(before)), vectors)[fitted.model.classes.indexOf('Music')];
  assert.ok(shareAbove(shared, announcer) < 0.5, `with the shared metric, less of it is found: ${shareAbove(shared, announcer)}`);
});

test('the labeler ranks with the metric of the label it hunts, as apply scores it, and learns it again for another target', () => {
  const { vectors, dims, windows, labels, announcer } = unheardVoice();
  const { model } = fitModel({ vectors: rowsAt(vectors, dims, windows), dims, labels, windows });
  const scores = scoreWindows(model, vectors);
  const session = new LearningSession({ offsets: Int32Array.from([0, 700]), clip: 1, strategy: parseStrategy('likely'), target: 'Music', rand: seededRandom(1) });
  session.attachVectors(vectors, dims);
  windows.forEach((w, i) => session.addLabel(w, labels[i], 'label', 'random'));
  assert.ok(session.relearn(), 'the metric is learned');
  session.buildStep();
  const music = session.probabilities()!;
  assert.deepEqual([...music], [...scores[model.classes.indexOf('Music')]], 'the labeler’s Music probabilities are apply’s');
  assert.ok(shareAbove(music, announcer) > 0.8, 'the labeler ranks music under the announcer as Music');
  assert.ok(session.setTarget('Host'), 'hunting Host learns the metric again');
  session.buildStep();
  assert.deepEqual([...session.probabilities()!], [...scores[model.classes.indexOf('Host')]], 'and its Host probabilities are apply’s');
  assert.ok(session.setTarget('Noise'), 'hunting Noise, which shares no clip, learns the metric every label shares');
  session.buildStep();
  assert.deepEqual([...session.probabilities()!], [...scores[model.classes.indexOf('Noise')]], 'and its Noise probabilities are apply’s');
});
