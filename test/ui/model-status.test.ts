import { test } from 'node:test';
import assert from 'node:assert/strict';
import { modelStatusLine } from '../../src/ui/model-status.js';
import type { LearnerStatus } from '../../src/labeler/learner-protocol.js';
import { recallEstimate } from '../../src/ml/recall-estimate.js';

const base: LearnerStatus = {
  extraction: { filesDone: 2, filesTotal: 8, secondsDone: 600, secondsTotal: 2400, failed: 0 },
  failed: [],
  ready: false,
  modelVersion: 0,
};

test('while features are extracted the screen says how far along and that clips are random', () => {
  assert.equal(modelStatusLine(base, 0), 'features 25% (2/8 files) — random clips until ready · no target: press t to choose one');
});

test('a ready model shows its version, when it retrained, and the recall estimate for the target', () => {
  // 29 of 30 random targets flagged: recall 97% (83%-99%), within the stop hint's margin of the goal
  const estimate = recallEstimate({ population: 1000, labeled: 300, positives: 30, positivesFlagged: 29, flagged: 30, found: 40, goal: 0.9, modelled: true });
  const line = modelStatusLine(
    { ...base, extraction: { ...base.extraction, filesDone: 8, secondsDone: 2400 }, ready: true, modelVersion: 7, lastRetrain: { at: new Date(10_000).toISOString(), ms: 12 }, target: 'Tone', estimate },
    13_000,
  );
  assert.match(line, /^model v7 · retrained 3s ago · Tone: 40 of ~100 \(\d+–\d+\) found · model recall 97% \(\d+%–\d+%\)/);
  assert.match(line, /goal 90% met/);
});

test('a learner that failed says labeling goes on with random clips', () => {
  assert.match(modelStatusLine({ ...base, error: 'The learner stopped: boom' }, 0), /boom — random clips/);
});

test('figures that newer labels wait for say how old they are, once that is a while', () => {
  const estimate = recallEstimate({ population: 1000, labeled: 300, positives: 30, positivesFlagged: 29, flagged: 30, found: 40, goal: 0.9, modelled: true });
  const ready = { ...base, extraction: { ...base.extraction, filesDone: 8, secondsDone: 2400 }, ready: true, modelVersion: 7, target: 'Tone', estimate, estimatedAt: new Date(10_000).toISOString() };
  const staleSince = (ms: number) => new Date(ms).toISOString();
  assert.doesNotMatch(modelStatusLine({ ...ready, estimateStaleSince: staleSince(12_000) }, 15_000), /ago, updating/);
  assert.doesNotMatch(modelStatusLine(ready, 100_000), /ago, updating/);
  assert.match(modelStatusLine({ ...ready, estimateStaleSince: staleSince(12_000) }, 55_000), / · figures from 45s ago, updating$/);
  assert.match(modelStatusLine({ ...ready, estimateStaleSince: staleSince(12_000) }, 310_000), / · figures from 5 min ago, updating$/);
});

test('a label made after a long pause does not make the figures look old', () => {
  const estimate = recallEstimate({ population: 1000, labeled: 300, positives: 30, positivesFlagged: 29, flagged: 30, found: 40, goal: 0.9, modelled: true });
  const ready = { ...base, extraction: { ...base.extraction, filesDone: 8, secondsDone: 2400 }, ready: true, modelVersion: 7, target: 'Tone', estimate, estimatedAt: new Date(10_000).toISOString() };
  // the figures are 26 s old, but the label waiting for new ones was made 300 ms ago
  assert.doesNotMatch(modelStatusLine({ ...ready, estimateStaleSince: new Date(35_700).toISOString() }, 36_000), /ago, updating/);
});
