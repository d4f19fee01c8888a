import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../../src/domain/seeded-random.js';
import { fileOfWindow } from '../../src/domain/window-grid.js';
import { likelihood, similarity, uncertainty } from '../../src/ml/measures.js';
import { drawUniform, selectTopK } from '../../src/ml/selectors.js';

const all = (n: number) => new Uint8Array(n).fill(1);
// two files of 10 windows each
const spacing = { offsets: Int32Array.from([0, 10, 20]), gap: 2 };

test('the highest scores come first', () => {
  const scores = Float32Array.from({ length: 20 }, (_, w) => w / 20);
  assert.deepEqual(selectTopK(scores, 3, all(20), { ...spacing, gap: 0 }, [], seededRandom(1)), [19, 18, 17]);
});

test('queued clips keep a few seconds apart from each other and from labeled clips', () => {
  const scores = Float32Array.from({ length: 20 }, (_, w) => w / 20);
  // 19 is labeled (not eligible, but close clips are crowded out); 17 and 18 lie within 2 windows of it
  const eligible = all(20);
  eligible[19] = 0;
  const chosen = selectTopK(scores, 4, eligible, spacing, [19], seededRandom(1));
  assert.deepEqual(chosen, [16, 13, 10, 9], '9 is in the other file, so 10 does not crowd it');
});

test('when every eligible clip is crowded the best crowded ones are still offered', () => {
  const scores = Float32Array.from({ length: 20 }, (_, w) => w);
  const eligible = new Uint8Array(20);
  eligible[5] = eligible[6] = 1;
  assert.deepEqual(selectTopK(scores, 3, eligible, spacing, [], seededRandom(1)), [6, 5]);
});

test('the clips queued from one pass over a large collection are the best spaced-out ones, as a pass per pick finds', () => {
  // one pick at a time over every window: the definition selectTopK must keep when it reads the scores once
  const pickByPick = (scores: Float32Array, k: number, eligible: Uint8Array, near: number[], gap: number, offsets: Int32Array) => {
    const open = Uint8Array.from(eligible);
    const crowded = new Uint8Array(scores.length);
    const crowd = (w: number) => {
      const file = fileOfWindow(offsets, w);
      for (let v = Math.max(offsets[file], w - gap); v <= Math.min(offsets[file + 1] - 1, w + gap); v++) crowded[v] = 1;
    };
    near.forEach(crowd);
    const chosen: number[] = [];
    while (chosen.length < k) {
      let best = -1;
      for (let w = 0; w < scores.length; w++) if (open[w] && !crowded[w] && (best < 0 || scores[w] > scores[best])) best = w;
      if (best < 0) for (let w = 0; w < scores.length; w++) if (open[w] && (best < 0 || scores[w] > scores[best])) best = w;
      if (best < 0) break;
      chosen.push(best);
      open[best] = 0;
      crowd(best);
    }
    return chosen;
  };
  const rand = seededRandom(7);
  for (let trial = 0; trial < 40; trial++) {
    const n = 500 + Math.floor(rand() * 3000);
    const offsets = Int32Array.from([0, Math.floor(n / 3), Math.floor(n / 2), n]);
    // distinct scores (no ties to break), highest in long runs as a sound's windows are, so picks crowd each other out
    const scores = Float32Array.from({ length: n }, (_, w) => (w % 400 < 150 ? 2 : 0) + rand());
    const eligible = Uint8Array.from({ length: n }, () => (rand() < 0.9 ? 1 : 0));
    const near = Array.from({ length: 5 }, () => Math.floor(rand() * n));
    const k = 1 + Math.floor(rand() * 40);
    const gap = Math.floor(rand() * 4);
    assert.deepEqual(selectTopK(scores, k, eligible, { offsets, gap }, near, rand), pickByPick(scores, k, eligible, near, gap, offsets), `trial ${trial}`);
  }
});

test('ties are broken at random, differently for different seeds, evenly over many draws', () => {
  const scores = new Float32Array(8);
  const first = new Map<number, number>();
  for (let seed = 1; seed <= 800; seed++) {
    const [w] = selectTopK(scores, 1, all(8), { offsets: Int32Array.from([0, 8]), gap: 0 }, [], seededRandom(seed));
    first.set(w, (first.get(w) ?? 0) + 1);
  }
  assert.equal(first.size, 8);
  for (const n of first.values()) assert.ok(n > 60 && n < 140, `count ${n} of 800 for one of 8 tied windows`);
});

test('a uniform draw only lands on available windows, dense or sparse', () => {
  const rand = seededRandom(3);
  const sparse = new Uint8Array(1000);
  sparse[17] = sparse[900] = 1;
  const seen = new Set<number>();
  for (let i = 0; i < 50; i++) seen.add(drawUniform((w) => sparse[w] === 1, sparse.length, 2, rand));
  assert.deepEqual([...seen].sort((a, b) => a - b), [17, 900]);
  const dense = all(1000);
  dense[3] = 0;
  for (let i = 0; i < 200; i++) assert.notEqual(drawUniform((w) => dense[w] === 1, dense.length, 999, rand), 3);
  assert.equal(drawUniform(() => false, 5, 0, rand), -1);
});

test('measures: likely is p, uncertainty peaks at p = 0.5, similarity is higher when nearer', () => {
  const p = Float32Array.from([0, 0.25, 0.5, 1]);
  assert.equal(likelihood(p), p);
  assert.deepEqual([...uncertainty(p)], [0, 0.5, 1, 0]);
  assert.deepEqual([...similarity(Float32Array.from([0, 0, 3, 4, 1, 0]), 2, 0)], [-0, -25, -1]);
});
