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
