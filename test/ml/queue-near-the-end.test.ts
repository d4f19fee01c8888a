import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../../src/domain/seeded-random.js';
import { LearningSession } from '../../src/ml/learning-session.js';
import { parseStrategy } from '../../src/ml/strategies.js';

/** The size of the collection in issue 17: 16,740 one-second clips in 30 files, 16,000 of them decided. */
const WINDOWS = 16_740;
const DECIDED = 16_000;
const FILES = 30;

test('near the end of a large collection the queue offers only clips still to label, counts them down, and stops when none remain', () => {
  const rand = seededRandom(4);
  const offsets = Int32Array.from({ length: FILES + 1 }, (_, i) => Math.round((i * WINDOWS) / FILES));
  const vectors = Float32Array.from({ length: WINDOWS * 2 }, () => rand() * 10);
  const labelOf = (w: number) => (vectors[w * 2] > 5 ? 'Music' : 'Speech');
  const order = [...Array(WINDOWS).keys()].sort(() => rand() - 0.5);
  const joined: number[] = [];
  const session = new LearningSession({ offsets, clip: 1, strategy: parseStrategy('mixed'), target: 'Music', rand: seededRandom(5), onSampled: (w) => joined.push(w) });
  session.attachVectors(vectors, 2);
  const hows = ['likely', 'random', 'uncertain'];
  for (let i = 0; i < DECIDED; i++) session.addLabel(order[i], labelOf(order[i]), i % 7 === 0 ? 'skip' : 'label', hows[i % 3]);
  assert.ok(session.ready);
  assert.equal(session.remaining, WINDOWS - DECIDED);

  const decided = new Set(order.slice(0, DECIDED));
  const queued = new Set<number>();
  let sweeps = 0;
  for (;;) {
    const choices = session.next(6, queued);
    if (choices.length === 0) break;
    assert.ok(++sweeps <= WINDOWS, 'the queue ends');
    for (const c of choices) {
      assert.ok(!decided.has(c.window) && !queued.has(c.window), `window ${c.window} (${c.how}) offered again`);
      queued.add(c.window);
    }
    // the user labels the older half of the queue; the newer clips stay queued across the next request
    for (const w of [...queued].slice(0, 3)) {
      session.addLabel(w, labelOf(w), 'label');
      queued.delete(w);
      decided.add(w);
    }
    assert.equal(session.remaining, WINDOWS - decided.size);
  }
  assert.equal(queued.size, session.remaining, 'only the clips still queued are left');
  for (const w of queued) session.addLabel(w, labelOf(w), 'label');
  assert.equal(session.remaining, 0);
  const joinedBefore = joined.length;
  assert.deepEqual(session.next(6), [], 'none remain: the queue is exhausted');
  assert.equal(joined.length, joinedBefore, 'and asking again does no work: no draws sweep decided clips into the sample');
  assert.equal(new Set(joined).size, joined.length, 'each clip joined the random sample once');
});
