import { CholeskyDecomposition, EigenvalueDecomposition, inverse, Matrix } from 'ml-matrix';
import type { Vectors } from './distance.js';
import type { Coordinates } from './neighbor-index.js';
import { runSteps, type Steps } from './steps.js';

/** A labeled row of a vector matrix and its class id. */
export interface LabeledRow {
  row: number;
  cls: number;
}

/** Labeled rows one step of learnDiscriminantSteps() passes over: about a millisecond at 59 dimensions. */
const LEARN_STEP = 256;

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
  return runSteps(learnDiscriminantSteps(vectors, dims, labeled));
}

/**
 * learnDiscriminant() in steps of LEARN_STEP labeled rows: the passes over the labels (class means, the within-class
 * covariance, its shrinkage) are what grows with them; the rest works on dims x dims matrices, in three more steps.
 */
export function* learnDiscriminantSteps(vectors: Vectors, dims: number, labeled: readonly LabeledRow[]): Steps<Discriminant | undefined> {
  const classes = [...new Set(labeled.map((l) => l.cls))];
  if (classes.length < 2) return undefined;
  const n = labeled.length;
  const slot = new Map(classes.map((c, i) => [c, i]));
  const counts = new Float64Array(classes.length);
  const classMeans = new Float64Array(classes.length * dims);
  for (let i = 0; i < n; i++) {
    if (i % LEARN_STEP === LEARN_STEP - 1) yield;
    const s = slot.get(labeled[i].cls)!;
    counts[s]++;
    for (let d = 0, at = labeled[i].row * dims; d < dims; d++) classMeans[s * dims + d] += vectors[at + d];
  }
  const mean = new Float64Array(dims);
  for (let s = 0; s < classes.length; s++) {
    for (let d = 0; d < dims; d++) {
      mean[d] += classMeans[s * dims + d] / n;
      classMeans[s * dims + d] /= counts[s];
    }
  }
  const residual = new Float64Array(dims);
  const residualOf = (l: LabeledRow) => {
    const at = l.row * dims;
    const m = slot.get(l.cls)! * dims;
    for (let d = 0; d < dims; d++) residual[d] = vectors[at + d] - classMeans[m + d];
    return residual;
  };

  const sum = new Float64Array(dims * dims);
  for (let i = 0; i < n; i++) {
    if (i % LEARN_STEP === LEARN_STEP - 1) yield;
    const r = residualOf(labeled[i]);
    for (let a = 0; a < dims; a++) {
      const ra = r[a];
      for (let b = a; b < dims; b++) sum[a * dims + b] += ra * r[b];
    }
  }
  const within = new Matrix(dims, dims);
  for (let a = 0; a < dims; a++) {
    for (let b = a; b < dims; b++) {
      within.set(a, b, sum[a * dims + b] / n);
      within.set(b, a, sum[a * dims + b] / n);
    }
  }
  const spread = within.trace();
  if (!(spread > 0)) return undefined;
  const scatter = new RowScatter(within);
  for (let i = 0; i < n; i++) {
    if (i % LEARN_STEP === LEARN_STEP - 1) yield;
    scatter.add(residualOf(labeled[i]));
  }
  const shrunk = shrinkWith(within, scatter.total / (n * n));
  // the first run of the algebra below, before the JIT, took half a second in the labeler
  yield;
  const between = Matrix.zeros(dims, dims);
  for (let s = 0; s < classes.length; s++) {
    const offset = Matrix.columnVector(Array.from({ length: dims }, (_, d) => classMeans[s * dims + d] - mean[d]));
    between.add(offset.mmul(offset.transpose()).mul(counts[s] / n));
  }
  // whitened by the shrunk within-class covariance (L L', so by L^-T), the directions that best tell the classes
  // apart are the principal axes of the between-class covariance
  const factor = new CholeskyDecomposition(shrunk);
  if (!factor.isPositiveDefinite()) return undefined;
  const whiten = inverse(factor.lowerTriangularMatrix).transpose();
  yield;
  const betweenEigen = new EigenvalueDecomposition(whiten.transpose().mmul(between).mmul(whiten), { assumeSymmetric: true });
  yield;
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
  return { mean, projection, dims: kept.length };
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
  const scatter = new RowScatter(covariance);
  for (let i = 0; i < rows.rows; i++) scatter.add(rows.getRow(i));
  return shrinkWith(covariance, scatter.total / (rows.rows * rows.rows));
}

/** shrinkToIdentity given the rows' scatter: the mean of |r r' - C|^2 over the rows, divided by their count. */
function shrinkWith(covariance: Matrix, scatter: number): Matrix {
  const mu = covariance.trace() / covariance.rows;
  const target = Matrix.eye(covariance.rows).mul(mu);
  const distance = squaredNorm(Matrix.sub(covariance, target));
  const s = distance > 0 ? Math.min(scatter, distance) / distance : 1;
  return covariance.clone().mul(1 - s).add(target.mul(s));
}

/** How far rows' outer products scatter around a covariance C, summed row by row: |r r' - C|^2 = |r|^4 - 2 r'Cr + |C|^2. */
class RowScatter {
  total = 0;
  private readonly c: Float64Array;
  private readonly dims: number;
  private readonly norm: number;

  constructor(covariance: Matrix) {
    this.dims = covariance.rows;
    this.c = Float64Array.from(covariance.to1DArray());
    this.norm = squaredNorm(covariance);
  }

  add(r: ArrayLike<number>): void {
    const { c, dims } = this;
    let length = 0;
    let quadratic = 0;
    for (let a = 0; a < dims; a++) {
      length += r[a] * r[a];
      let row = 0;
      for (let b = 0; b < dims; b++) row += c[a * dims + b] * r[b];
      quadratic += r[a] * row;
    }
    this.total += length * length - 2 * quadratic + this.norm;
  }
}

const squaredNorm = (m: Matrix) => m.to1DArray().reduce((sum, v) => sum + v * v, 0);
