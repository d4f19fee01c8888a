import { CholeskyDecomposition, EigenvalueDecomposition, inverse, Matrix } from 'ml-matrix';
import type { Vectors } from './distance.js';
import type { Coordinates } from './neighbor-index.js';

/** A labeled row of a vector matrix and its class id. */
export interface LabeledRow {
  row: number;
  cls: number;
}

/** Eigenvalues below this share of the largest carry no direction worth keeping. */
const NEGLIGIBLE = 1e-9;

/**
 * The directions that best tell the labeled classes apart, learned from the labeled rows (learnDiscriminant) and
 * measured for any row (discriminantCoordinates): a plain object, so a model carries it to another machine.
 */
export interface Discriminant {
  /** the labeled rows' mean, the origin of the coordinates */
  mean: Float64Array;
  /** dims values per direction, scaled to the same within-class spread as the original values */
  projection: Float64Array;
  /** how many directions */
  dims: number;
}

/**
 * Every row's coordinates on the directions that best tell the labeled classes apart (linear discriminant analysis
 * learned from the labels), to be measured beside the row's own values (NeighborIndex) so that a nearest-neighbour
 * vote listens to what the labels say matters: in the plain space a dimension that never separates two kinds of
 * sound counts as much as one that does. Undefined until the labels hold two classes that vary within themselves.
 */
export function discriminantCoordinates(vectors: Vectors, dims: number, labeled: readonly LabeledRow[]): Coordinates | undefined {
  const learned = learnDiscriminant(vectors, dims, labeled);
  return learned && projectOnDiscriminant(learned, vectors, dims);
}

/**
 * The within-class covariance is shrunk toward a multiple of the identity by the Ledoit–Wolf estimate, so a few
 * labels in many dimensions give a usable metric instead of an overfitted one, and the directions are scaled to the
 * same within-class spread as the original values, so a kind of sound the labels have not yet told apart still
 * finds its neighbours by the original features. Undefined until the labels hold two classes that vary within
 * themselves.
 */
export function learnDiscriminant(vectors: Vectors, dims: number, labeled: readonly LabeledRow[]): Discriminant | undefined {
  const classes = [...new Set(labeled.map((l) => l.cls))];
  if (classes.length < 2) return undefined;
  const n = labeled.length;
  const rowOf = (l: LabeledRow) => Array.from(vectors.subarray(l.row * dims, (l.row + 1) * dims));
  const samples = new Matrix(labeled.map(rowOf));
  const mean = samples.mean('column');
  const members = new Map(classes.map((c) => [c, [...labeled.keys()].filter((i) => labeled[i].cls === c)]));
  const classMeans = new Map(classes.map((c) => [c, samples.subMatrixRow(members.get(c)!).mean('column')]));

  const residuals = new Matrix(labeled.map((l, i) => samples.getRow(i).map((v, d) => v - classMeans.get(l.cls)![d])));
  const within = residuals.transpose().mmul(residuals).div(n);
  const spread = within.trace();
  if (!(spread > 0)) return undefined;
  const shrunk = shrinkToIdentity(within, residuals);
  const between = Matrix.zeros(dims, dims);
  for (const c of classes) {
    const offset = Matrix.columnVector(classMeans.get(c)!.map((v, d) => v - mean[d]));
    const share = members.get(c)!.length / n;
    between.add(offset.mmul(offset.transpose()).mul(share));
  }

  // whitened by the shrunk within-class covariance (L L', so by L^-T), the directions that best tell the classes
  // apart are the principal axes of the between-class covariance
  const factor = new CholeskyDecomposition(shrunk);
  if (!factor.isPositiveDefinite()) return undefined;
  const whiten = inverse(factor.lowerTriangularMatrix).transpose();
  const betweenEigen = new EigenvalueDecomposition(whiten.transpose().mmul(between).mmul(whiten), { assumeSymmetric: true });
  const values = betweenEigen.realEigenvalues;
  const top = Math.max(...values);
  const kept = [...values.keys()]
    .filter((i) => values[i] > NEGLIGIBLE * top)
    .sort((a, b) => values[b] - values[a])
    .slice(0, classes.length - 1);
  if (kept.length === 0) return undefined;
  const directions = whiten.mmul(betweenEigen.eigenvectorMatrix.subMatrixColumn(kept));
  const directionSpread = directions.transpose().mmul(within).mmul(directions).trace();
  const scale = Math.sqrt(spread / directionSpread);
  const projection = Float64Array.from(directions.mul(scale).transpose().to1DArray());
  return { mean: Float64Array.from(mean), projection, dims: kept.length };
}

/**
 * The coordinates of every row of `vectors` on the learned directions, rounded to Int16; or of rows [from, to) only,
 * into `into`, so a large collection can be measured in slices.
 */
export function projectOnDiscriminant(
  { mean, projection, dims: count }: Discriminant,
  vectors: Vectors,
  dims: number,
  into?: Coordinates,
  from = 0,
  to = vectors.length / dims,
): Coordinates {
  const coordinates = into?.coordinates ?? new Int16Array((vectors.length / dims) * count);
  for (let w = from; w < to; w++) {
    for (let k = 0; k < count; k++) {
      let s = 0;
      for (let d = 0; d < dims; d++) s += (vectors[w * dims + d] - mean[d]) * projection[k * dims + d];
      coordinates[w * count + k] = Math.max(-32767, Math.min(32767, Math.round(s)));
    }
  }
  return { coordinates, dims: count };
}


/**
 * The Ledoit–Wolf shrinkage of a covariance toward its average variance times the identity:
 * (1 - s) C + s mu I, with s estimated from how much the outer products of the rows scatter around C.
 */
export function shrinkToIdentity(covariance: Matrix, rows: Matrix): Matrix {
  const dims = covariance.rows;
  const n = rows.rows;
  const mu = covariance.trace() / dims;
  const target = Matrix.eye(dims).mul(mu);
  const distance = squaredNorm(Matrix.sub(covariance, target));
  // the rows' outer products scatter around the covariance by |r r' - C|^2 = |r|^4 - 2 r'Cr + |C|^2 each
  const lengths = Matrix.mul(rows, rows).sum('row');
  const quadratic = rows.mmul(covariance).mul(rows).sum('row');
  const norm = squaredNorm(covariance);
  let scatter = 0;
  for (let i = 0; i < n; i++) scatter += lengths[i] ** 2 - 2 * quadratic[i] + norm;
  scatter /= n * n;
  const s = distance > 0 ? Math.min(scatter, distance) / distance : 1;
  return covariance.clone().mul(1 - s).add(target.mul(s));
}

const squaredNorm = (m: Matrix) => m.to1DArray().reduce((sum, v) => sum + v * v, 0);
