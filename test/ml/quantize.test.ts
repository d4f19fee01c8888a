import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../../src/domain/seeded-random.js';
import { targetProbabilities } from '../../src/ml/knn-votes.js';
import { NeighborIndex } from '../../src/ml/neighbor-index.js';
import { QUANTUM, quantize } from '../../src/ml/quantize.js';

test('standardised values are rounded to the nearest step and clamped to the Int8 range', () => {
  assert.deepEqual([...quantize([0, QUANTUM, -QUANTUM * 2.4, QUANTUM * 2.6, 100, -100])], [0, 1, -2, 3, 127, -127]);
});

/** Standard-normal vectors (Box–Muller), the shape z-scored features have. */
function normalVectors(count: number, dims: number, seed: number): Float32Array {
  const rand = seededRandom(seed);
  return Float32Array.from({ length: count * dims }, () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand()));
}

function probabilities(vectors: Float32Array | Int8Array, dims: number, labeled: number[], classOf: Int32Array): Float32Array {
  const index = new NeighborIndex(vectors, dims, 10);
  for (const w of labeled) index.add(w);
  return targetProbabilities(index, classOf, 1);
}

test('on quantized vectors the model makes the same decisions and its probabilities barely move', () => {
  const dims = 24;
  const count = 3000;
  const vectors = normalVectors(count, dims, 7);
  const classOf = new Int32Array(count).fill(-1);
  const labeled: number[] = [];
  for (let w = 0; w < count; w += 25) {
    labeled.push(w);
    classOf[w] = vectors[w * dims] + vectors[w * dims + 1] > 0.5 ? 1 : 0;
  }
  const exact = probabilities(vectors, dims, labeled, classOf);
  const approx = probabilities(quantize(vectors), dims, labeled, classOf);
  let agree = 0;
  let moved = 0;
  for (let w = 0; w < count; w++) {
    if (exact[w] >= 0.5 === approx[w] >= 0.5) agree++;
    moved += Math.abs(exact[w] - approx[w]);
  }
  // Random 24-dim data is the hard case: neighbours are nearly equidistant, so any rounding swaps a few of them.
  assert.ok(agree / count >= 0.97, `decisions agree on ${agree / count}`);
  assert.ok(moved / count < 0.02, `mean probability change ${moved / count}`);
});
