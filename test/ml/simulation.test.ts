import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../../src/domain/seeded-random.js';
import { LearningSession } from '../../src/ml/learning-session.js';
import { answersToReach, simulateLabeling, type SimulationTrace } from '../../src/ml/simulation.js';
import { parseStrategy } from '../../src/ml/strategies.js';

test('labels needed for a recall level count from when recall stayed there, not a lucky early spike', () => {
  const trace = { recall: [1, 0.2, 0.5, 0.85, 0.8, 0.95, 0.92] } as SimulationTrace;
  assert.equal(answersToReach(trace, 0.8), 4);
  assert.equal(answersToReach(trace, 0.9), 6);
  assert.equal(answersToReach(trace, 0.5), 3);
  assert.equal(answersToReach(trace, 0.95), undefined);
});

test('the oracle answers each queued clip from the truth and the trace follows what was found', () => {
  // 40 windows in one file; windows 10..13 and 30..33 are "Tone", far from the rest in feature space
  const isTone = (w: number) => (w >= 10 && w < 14) || (w >= 30 && w < 34);
  const vectors = Float32Array.from({ length: 40 }, (_, w) => (isTone(w) ? 10 : 0) + (w % 7) / 10);
  const main = Int32Array.from({ length: 40 }, (_, w) => (isTone(w) ? 1 : w === 39 ? -1 : 0));
  const session = new LearningSession({ offsets: Int32Array.from([0, 40]), clip: 1, strategy: parseStrategy('mixed'), target: 'Tone', rand: seededRandom(3) });
  session.attachVectors(vectors, 1);
  session.buildStep();
  const trace = simulateLabeling({ session, truth: { labels: ['Noise', 'Tone'], main }, target: 'Tone', budget: 20 });
  assert.equal(trace.answers.length, 20);
  assert.equal(trace.positivesTotal, 8);
  for (const { choice, label } of trace.answers) assert.equal(label, main[choice.window] < 0 ? undefined : ['Noise', 'Tone'][main[choice.window]]);
  const foundTones = new Set(trace.answers.filter((a) => a.label === 'Tone').map((a) => a.choice.window)).size;
  assert.equal(trace.found[19], foundTones);
  assert.equal(trace.recall[19], 1, 'both tone events are labeled or flagged by the end');
  assert.equal(trace.precision[19], 1);
});
