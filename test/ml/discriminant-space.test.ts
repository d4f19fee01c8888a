import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Matrix } from 'ml-matrix';
import { seededRandom } from '../../src/domain/seeded-random.js';
import { discriminantCoordinates, shrinkToIdentity, type LabeledRow } from '../../src/ml/discriminant-space.js';
import { targetProbabilities } from '../../src/ml/knn-votes.js';
import { NeighborIndex, type Coordinates } from '../../src/ml/neighbor-index.js';
import type { Vectors } from '../../src/ml/distance.js';

function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/**
 * Two kinds of window told apart only by dimension 0 (means -6 and +6, spread 3), buried under 10 dimensions of
 * noise with spread 10 that the kinds share: what the plain space sees is mostly the noise.
 */
function buriedClasses(count: number, seed: number): { vectors: Int8Array; dims: number; kind: Int32Array } {
  const rand = seededRandom(seed);
  const dims = 11;
  const vectors = new Int8Array(count * dims);
  const kind = new Int32Array(count);
  for (let w = 0; w < count; w++) {
    kind[w] = w % 2;
    vectors[w * dims] = Math.round((kind[w] ? 6 : -6) + 3 * gaussian(rand));
    for (let d = 1; d < dims; d++) vectors[w * dims + d] = Math.max(-127, Math.min(127, Math.round(10 * gaussian(rand))));
  }
  return { vectors, dims, kind };
}

/** Share of the unlabeled windows whose neighbours' weighted majority names their kind. */
function accuracy(vectors: Vectors, dims: number, kind: Int32Array, labeled: readonly LabeledRow[], extra?: Coordinates): number {
  const index = new NeighborIndex(vectors, dims, 10, extra);
  const classOf = new Int32Array(kind.length).fill(-1);
  for (const l of labeled) {
    index.add(l.row);
    classOf[l.row] = l.cls;
  }
  const p = targetProbabilities(index, classOf, 1);
  let right = 0;
  let total = 0;
  for (let w = 0; w < kind.length; w++) {
    if (classOf[w] >= 0) continue;
    total++;
    if ((p[w] > 0.5 ? 1 : 0) === kind[w]) right++;
  }
  return right / total;
}

test('neighbours measured with the discriminant coordinates find the kind the plain space loses in noise', () => {
  const { vectors, dims, kind } = buriedClasses(2000, 1);
  const labeled = Array.from({ length: 100 }, (_, i) => ({ row: i * 19, cls: kind[i * 19] }));
  const plain = accuracy(vectors, dims, kind, labeled);
  const learned = accuracy(vectors, dims, kind, labeled, discriminantCoordinates(vectors, dims, labeled));
  assert.ok(plain < 0.8, `plain space: ${plain}`);
  assert.ok(learned > 0.9, `discriminant space: ${learned}`);
});

test('every row gets one coordinate per class beyond the first', () => {
  const { vectors, dims, kind } = buriedClasses(300, 2);
  const labeled = Array.from({ length: 60 }, (_, i) => ({ row: i * 5, cls: kind[i * 5] + (i % 3 === 0 ? 2 : 0) }));
  const space = discriminantCoordinates(vectors, dims, labeled)!;
  assert.equal(space.dims, 3);
  assert.equal(space.coordinates.length, 300 * 3);
});

test('no discriminant space before the labels hold two classes that vary within themselves', () => {
  const { vectors, dims } = buriedClasses(50, 3);
  assert.equal(discriminantCoordinates(vectors, dims, [{ row: 1, cls: 0 }, { row: 2, cls: 0 }]), undefined);
  assert.equal(discriminantCoordinates(vectors, dims, [{ row: 1, cls: 0 }, { row: 2, cls: 1 }]), undefined);
  assert.equal(discriminantCoordinates(vectors, dims, []), undefined);
});

test('Ledoit-Wolf shrinks all the way for two rows, and halfway when the same two rows come twice', () => {
  const twice = new Matrix([[2, 0], [0, 0], [2, 0], [0, 0]]);
  const covariance = (rows: Matrix) => rows.transpose().mmul(rows).div(rows.rows); // diag(2, 0) for both
  const once = twice.subMatrixRow([0, 1]);
  assert.deepEqual(shrinkToIdentity(covariance(once), once).to2DArray(), [[1, 0], [0, 1]]);
  assert.deepEqual(shrinkToIdentity(covariance(twice), twice).to2DArray(), [[1.5, 0], [0, 0.5]]);
});

test('rows whose outer products all equal the covariance are not shrunk', () => {
  const rows = new Matrix([[1, 1], [-1, -1]]);
  const covariance = rows.transpose().mmul(rows).div(2);
  assert.deepEqual(shrinkToIdentity(covariance, rows).to2DArray(), [[1, 1], [1, 1]]);
});
