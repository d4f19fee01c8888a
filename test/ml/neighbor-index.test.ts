import { test } from 'node:test';
import assert from 'node:assert/strict';
import KNN from 'ml-knn';
import { seededRandom } from '../../src/domain/seeded-random.js';
import { labeledProbabilities, targetProbabilities } from '../../src/ml/knn-votes.js';
import { squaredDistance, squaredDistanceBelow } from '../../src/ml/distance.js';
import { NeighborIndex } from '../../src/ml/neighbor-index.js';

function randomVectors(count: number, dims: number, seed: number): Float32Array {
  const rand = seededRandom(seed);
  return Float32Array.from({ length: count * dims }, () => rand() * 2 - 1);
}

function bruteForceNeighbors(vectors: Float32Array, dims: number, labeled: number[], w: number, k: number): number[] {
  const d2 = (a: number, b: number) => {
    let s = 0;
    for (let d = 0; d < dims; d++) s += (vectors[a * dims + d] - vectors[b * dims + d]) ** 2;
    return s;
  };
  return labeled.filter((m) => m !== w).sort((a, b) => d2(w, a) - d2(w, b)).slice(0, k);
}

function rowOf(index: NeighborIndex, w: number): number[] {
  return [...index.neighbors.subarray(w * index.k, (w + 1) * index.k)].filter((n) => n >= 0);
}

for (const dims of [6, 30]) {
  // at 30 dimensions most candidates are dropped part-way through their distance (squaredDistanceBelow)
  test(`every window keeps exactly its k nearest labeled windows as labels arrive one by one (${dims} dimensions)`, () => {
    const vectors = randomVectors(300, dims, 1);
    const index = new NeighborIndex(vectors, dims, 5);
    const labeled: number[] = [];
    for (const w of [3, 77, 150, 2, 299, 41, 180, 90, 12, 250]) {
      index.add(w);
      labeled.push(w);
    }
    for (let w = 0; w < 300; w++) assert.deepEqual(rowOf(index, w), bruteForceNeighbors(vectors, dims, labeled, w, 5), `window ${w}`);
  });

  test(`undoing a label gives the same neighbours as never having added it (${dims} dimensions)`, () => {
    const vectors = randomVectors(200, dims, 2);
    const index = new NeighborIndex(vectors, dims, 3);
    const labeled = [10, 20, 30, 40, 50, 60, 70];
    labeled.forEach((w) => index.add(w));
    index.remove(40);
    const remaining = labeled.filter((w) => w !== 40);
    assert.equal(index.size, remaining.length);
    for (let w = 0; w < 200; w++) assert.deepEqual(rowOf(index, w), bruteForceNeighbors(vectors, dims, remaining, w, 3), `window ${w}`);
  });
}

test('rows that a new label cannot reach, judged by their nearest neighbour, keep exactly their k nearest', () => {
  // tight clusters far apart: most rows' nearest labeled neighbour shows a new label in another cluster is too far
  const dims = 8;
  const rand = seededRandom(9);
  const centres = Array.from({ length: 6 }, () => Array.from({ length: dims }, () => (rand() - 0.5) * 40));
  const vectors = Float32Array.from({ length: 600 * dims }, (_, i) => centres[Math.floor(i / dims) % 6][i % dims] + rand() - 0.5);
  const index = new NeighborIndex(vectors, dims, 3);
  const labeled: number[] = [];
  for (let i = 0; i < 60; i++) {
    const w = Math.floor(rand() * 600);
    if (labeled.includes(w)) continue;
    index.add(w);
    labeled.push(w);
  }
  for (let w = 0; w < 600; w++) assert.deepEqual(rowOf(index, w), bruteForceNeighbors(vectors, dims, labeled, w, 3), `window ${w}`);
});

test('a distance with a bound is exact below it and stops at or above it', () => {
  const vectors = Float32Array.from({ length: 40 }, (_, i) => (i < 20 ? 0 : 1)); // two rows of 20: distance 20
  assert.equal(squaredDistanceBelow(vectors, 20, 0, 1, 21), 20);
  assert.equal(squaredDistanceBelow(vectors, 20, 0, 1, Infinity), squaredDistance(vectors, 20, 0, 1));
  const stopped = squaredDistanceBelow(vectors, 20, 0, 1, 5);
  assert.ok(stopped >= 5 && stopped < 20, `stopped at ${stopped}`);
});

test('a labeled window is judged by its neighbours, not by its own label', () => {
  const vectors = Float32Array.from([0, 0.1, 5, 5.1, 5.2]);
  const index = new NeighborIndex(vectors, 1, 1);
  const classOf = Int32Array.from([0, 0, 1, 1, 1]);
  [0, 1, 2, 3, 4].forEach((w) => index.add(w));
  const p = targetProbabilities(index, classOf, 1);
  assert.deepEqual([...p], [0, 0, 1, 1, 1], 'each sees the nearest other window of its own cluster');
  assert.ok(!rowOf(index, 2).includes(2));
});

test('votes are weighted by inverse distance', () => {
  // window 0 at x=0; labeled neighbours at x=1 (class 0) and x=3 (class 1): weights 1 and 1/3
  const vectors = Float32Array.from([0, 1, 3]);
  const index = new NeighborIndex(vectors, 1, 2);
  const classOf = Int32Array.from([-1, 0, 1]);
  index.add(1);
  index.add(2);
  assert.ok(Math.abs(targetProbabilities(index, classOf, 0)[0] - 0.75) < 1e-6);
  assert.ok(Math.abs(targetProbabilities(index, classOf, 1)[0] - 0.25) < 1e-6);
});

test('the majority among the k nearest agrees with ml-knn wherever the vote is not tied', () => {
  const dims = 3;
  const k = 5;
  const vectors = randomVectors(400, dims, 3);
  const rand = seededRandom(4);
  const labeled = Array.from({ length: 60 }, (_, i) => i * 6);
  const classOf = new Int32Array(400).fill(-1);
  // classes follow the first coordinate with some noise, so neighbourhoods are mostly but not always pure
  for (const w of labeled) classOf[w] = vectors[w * dims] + 0.4 * (rand() - 0.5) > 0 ? 1 : 0;
  const index = new NeighborIndex(vectors, dims, k);
  labeled.forEach((w) => index.add(w));
  const unlabeled = Array.from({ length: 400 }, (_, w) => w).filter((w) => classOf[w] < 0);
  const rows = (ws: number[]) => ws.map((w) => [...vectors.subarray(w * dims, (w + 1) * dims)]);
  const reference = new KNN(rows(labeled), labeled.map((w) => classOf[w]), { k }).predict(rows(unlabeled));
  let compared = 0;
  unlabeled.forEach((w, i) => {
    const counts = [0, 0];
    for (const n of rowOf(index, w)) counts[classOf[n]]++;
    if (counts[0] === counts[1]) return;
    assert.equal(counts[1] > counts[0] ? 1 : 0, reference[i], `window ${w}`);
    compared++;
  });
  assert.ok(compared > 300, `compared ${compared}`);
});

test('the labeled windows alone give them the same leave-one-out votes as an index over the whole collection', () => {
  const dims = 4;
  const vectors = Int8Array.from(randomVectors(500, dims, 8), (v) => Math.round(v * 3)); // coarse, so ties occur
  const rand = seededRandom(9);
  const labeled = [...new Set(Array.from({ length: 60 }, () => Math.floor(rand() * 500)))];
  const classOfWindow = new Int32Array(500).fill(-1);
  labeled.forEach((w, i) => (classOfWindow[w] = i % 3));
  const full = new NeighborIndex(vectors, dims, 5);
  for (const w of labeled) full.add(w);
  const whole = targetProbabilities(full, classOfWindow, 1);

  const rows = new Int8Array(labeled.length * dims);
  labeled.forEach((w, i) => rows.set(vectors.subarray(w * dims, (w + 1) * dims), i * dims));
  const alone = labeledProbabilities(rows, dims, Int32Array.from(labeled, (w) => classOfWindow[w]), 1, 5);
  assert.deepEqual([...alone], labeled.map((w) => whole[w]));
});

test('with coordinates beside the vectors, neighbours are the nearest over both together', () => {
  const dims = 20;
  const vectors = randomVectors(250, dims, 5);
  const rand = seededRandom(6);
  const coordinates = Int16Array.from({ length: 250 * 2 }, () => Math.round((rand() - 0.5) * 4));
  const joined = new Float32Array(250 * (dims + 2));
  for (let w = 0; w < 250; w++) {
    joined.set(coordinates.subarray(w * 2, w * 2 + 2), w * (dims + 2));
    joined.set(vectors.subarray(w * dims, (w + 1) * dims), w * (dims + 2) + 2);
  }
  const index = new NeighborIndex(vectors, dims, 4, { coordinates, dims: 2 });
  const labeled = [7, 19, 200, 33, 150, 88, 240, 1];
  labeled.forEach((w) => index.add(w));
  index.remove(33);
  const remaining = labeled.filter((w) => w !== 33);
  for (let w = 0; w < 250; w++) assert.deepEqual(rowOf(index, w), bruteForceNeighbors(joined, dims + 2, remaining, w, 4), `window ${w}`);
});
