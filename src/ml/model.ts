import { learnDiscriminantSteps, projectOnDiscriminant, type Discriminant } from './discriminant-space.js';
import { distanceBetween, distanceBetweenBelow, type Vectors } from './distance.js';
import { rowVote, targetProbabilities } from './knn-votes.js';
import { hasLabel, labelSetKey, namesIn, type LabelSet } from './label-sets.js';
import { hasOwnPartition, presenceRows } from './presence-classes.js';
import { insertNeighbor, NeighborIndex, type Coordinates } from './neighbor-index.js';
import { estimateFromLabels, type RecallEstimate } from './recall-estimate.js';
import { runSteps, type Steps } from './steps.js';
import type { FeatureStats } from './z-score.js';
import { fileOfWindow } from '../domain/window-grid.js';

/**
 * A held-out vote leaves out the labels of the same recording within this many seconds as well as the window's own:
 * neighbouring seconds sound alike, and a person who labels by listening through labels them together. Left in,
 * they vote for each other and the estimate credits the model with what the person found: on a store labeled in
 * runs, apply said Guest precision 100% (87-100%) against a measured 62%.
 */
export const HELD_OUT_SECONDS = 5;

/** Which labels a held-out vote leaves out: those within `gap` windows in the same file (a grid's offsets). */
export interface HeldApart {
  offsets: Int32Array;
  gap: number;
}

/** The labels a held-out vote on a grid of `clip`-second windows leaves out (HELD_OUT_SECONDS). */
export function heldApart(offsets: Int32Array, clip: number, seconds = HELD_OUT_SECONDS): HeldApart {
  return { offsets, gap: Math.floor(seconds / clip + 1e-9) };
}

/** Neighbours that vote on each window. */
export const NEIGHBORS = 10;
/** A window is flagged as a label when that label holds the weighted majority of its neighbours' votes. */
export const FLAG_THRESHOLD = 0.5;

/**
 * The kNN model as data: the labeled windows' vectors and classes and the metric learned from them. Plain fields
 * and typed arrays, so it crosses a thread (postMessage) as it is and a machine through encodeModel: whoever holds
 * it scores any windows (scoreWindows) exactly as the machine that fitted it.
 */
export interface Model {
  /** class names, in the order first labeled */
  classes: string[];
  /** neighbours that vote */
  k: number;
  /** values per vector */
  dims: number;
  /** the labeled windows' vectors, examples x dims, in the order labeled (earlier labels win ties) */
  examples: Vectors;
  /** each example's class: an index into `classes`, or classes.length + i for the label set labelSets[i] */
  exampleClass: Int32Array;
  /**
   * the label sets of examples labeled with more than one label (indices into `classes`), each its own class for the
   * metric and a vote for each label it holds; absent when every example has one label
   */
  labelSets?: number[][];
  /** each example's window in the collection: a window is never its own neighbour */
  exampleWindow: Int32Array;
  /** the directions that tell the classes apart, measured beside the vectors; absent while they cannot be learned */
  discriminant?: Discriminant;
  /**
   * per label (as `classes`), the directions that tell clips where it is present from the rest (presence-classes.ts),
   * scoring that label instead of `discriminant`; null for a label no set of several labels holds (its directions are
   * `discriminant`'s) or whose own cannot be learned. Absent when every example has one label, and in models saved
   * before labels had their own (they score every label with `discriminant`, as they were fitted).
   */
  labelDiscriminants?: (Discriminant | null)[];
  /** how raw feature vectors were standardised before quantizing (for scoring features extracted elsewhere) */
  standard?: FeatureStats;
}

/** A model and what it says of its own examples. */
export interface FittedModel {
  model: Model;
  /** heldOut[c][i]: the share of example i's neighbours, itself left out, that are classes[c] */
  heldOut: Float32Array[];
}

export interface Examples {
  /** the labeled windows' vectors, examples x dims, in the order labeled */
  vectors: Vectors;
  dims: number;
  /** each example's label, or labels when its clip holds more than one sound */
  labels: readonly LabelSet[];
  /** each example's window in the collection */
  windows: ArrayLike<number>;
  standard?: FeatureStats;
  /** the labels near each example that its held-out vote leaves out too; only its own label without */
  apart?: HeldApart;
  /**
   * the one label the model is wanted for: then it has one metric, this label's directions (presence-classes.ts), as
   * the labeler's index hunting it, and its figures for this label are the same at a fraction of the learning
   */
  target?: string;
}

/**
 * Fits the kNN model to labeled examples: the metric is learned from them (linear discriminant directions beside
 * the features, discriminant-space.ts; a label that shares clips with others has its own), and each example's
 * held-out vote is what the model says of it without its own label (leave-one-out) — the votes a recall or precision
 * estimate is made from.
 */
export function fitModel(examples: Examples): FittedModel {
  const model = trainModel(examples);
  if (examples.apart) return { model, heldOut: runSteps(heldOutVotesSteps(model, examples.apart, undefined, examples.target)) };
  const { examples: vectors, dims, exampleClass, classes } = model;
  const heldOut: Float32Array[] = classes.map(() => new Float32Array(0));
  for (const [metric, labels] of labelsByMetric(model)) {
    const index = new NeighborIndex(vectors, dims, NEIGHBORS, metric && projectOnDiscriminant(metric, vectors, dims));
    for (let row = 0; row < index.count; row++) index.add(row);
    for (const c of labels) heldOut[c] = targetProbabilities(index, exampleClass, classMask(model, c));
  }
  return { model, heldOut };
}

/** The directions label `c` is scored with: its own when it has them, else the ones every label shares. */
function labelMetric({ discriminant, labelDiscriminants }: Model, c: number): Discriminant | undefined {
  return labelDiscriminants?.[c] ?? discriminant;
}

/** The labels (indices into model.classes) by the metric each is scored with: each metric's neighbours found once. */
function labelsByMetric(model: Model): Map<Discriminant | undefined, number[]> {
  const groups = new Map<Discriminant | undefined, number[]>();
  model.classes.forEach((_, c) => {
    const metric = labelMetric(model, c);
    groups.set(metric, [...(groups.get(metric) ?? []), c]);
  });
  return groups;
}

/** The class ids that vote for label `c` (an index into model.classes): its own, and every label set holding it. */
export function classMask({ classes, labelSets = [] }: Pick<Model, 'classes' | 'labelSets'>, c: number): Uint8Array {
  const mask = new Uint8Array(classes.length + labelSets.length);
  mask[c] = 1;
  labelSets.forEach((set, i) => {
    if (set.includes(c)) mask[classes.length + i] = 1;
  });
  return mask;
}

/** The labels of example j. */
export function exampleLabels({ classes, labelSets = [], exampleClass }: Model, j: number): LabelSet {
  const id = exampleClass[j];
  return id < classes.length ? classes[id] : labelSets[id - classes.length].map((c) => classes[c]);
}

/** The model of labeled examples, its metric learned from them, without the held-out votes fitModel adds. */
export function trainModel(examples: Examples): Model {
  return runSteps(trainModelSteps(examples));
}

/** trainModel() in steps, for a thread that answers requests between them: learning the metric grows with the labels. */
export function* trainModelSteps({ vectors, dims, labels, windows, standard, target }: Examples): Steps<Model> {
  const classes = [...new Set(labels.flatMap((l) => namesIn(l)))];
  const setKeys: string[] = [];
  const labelSets: number[][] = [];
  const exampleClass = Int32Array.from(labels, (l) => {
    const names = namesIn(l);
    if (names.length === 1) return classes.indexOf(names[0]);
    const key = labelSetKey(l);
    if (!setKeys.includes(key)) {
      setKeys.push(key);
      labelSets.push([...new Set(names)].map((n) => classes.indexOf(n)).sort((a, b) => a - b));
    }
    return classes.length + setKeys.indexOf(key);
  });
  const rows = [...exampleClass].map((cls, row) => ({ row, cls }));
  const hunted = target === undefined ? -1 : classes.indexOf(target);
  const learned = hunted < 0 ? rows : presenceRows(rows, classMask({ classes, labelSets }, hunted));
  const discriminant = yield* learnDiscriminantSteps(vectors, dims, learned);
  const model: Model = { classes, k: NEIGHBORS, dims, examples: vectors, exampleClass, exampleWindow: Int32Array.from(windows), discriminant, standard };
  if (!labelSets.length) return model;
  if (target !== undefined) return { ...model, labelSets };
  const labelDiscriminants: (Discriminant | null)[] = [];
  for (let c = 0; c < classes.length; c++) {
    const holds = classMask({ classes, labelSets }, c);
    labelDiscriminants.push(hasOwnPartition(holds) ? ((yield* learnDiscriminantSteps(vectors, dims, presenceRows(rows, holds))) ?? null) : null);
  }
  return { ...model, labelSets, labelDiscriminants };
}

/** The rows of `vectors` at `windows`, in that order: a model's examples from a collection's vectors. */
export function rowsAt(vectors: Vectors, dims: number, windows: ArrayLike<number>): Vectors {
  const out = new (vectors.constructor as new (length: number) => Vectors)(windows.length * dims);
  for (let i = 0; i < windows.length; i++) out.set(vectors.subarray(windows[i] * dims, (windows[i] + 1) * dims), i * dims);
  return out;
}

/**
 * Every class's probability for the rows of `vectors` (standardised and quantized as the model's examples), which
 * are windows firstWindow, firstWindow + 1, ... or the windows listed: the distance-weighted vote of their k nearest
 * examples, an example never voting on its own window. The same figures as the labeler's NeighborIndex over the
 * whole collection. With `apart`, the examples near a window in its file do not vote on it either (held-out votes).
 */
export function scoreWindows(model: Model, vectors: Vectors, windows: number | ArrayLike<number> = 0, apart?: HeldApart): Float32Array[] {
  const windowOf = typeof windows === 'number' ? (row: number) => windows + row : (row: number) => windows[row];
  const { k, dims, examples, exampleClass, exampleWindow } = model;
  const count = vectors.length / dims;
  const out = model.classes.map(() => new Float32Array(count));
  // each metric keeps its own k nearest, found in one pass over the examples that measures the vector part once
  const groups = [...labelsByMetric(model)].map(([metric, labels]) => ({
    rows: metric && projectOnDiscriminant(metric, vectors, dims),
    examples: metric && examplesProjected(model, metric),
    labels,
    masks: labels.map((c) => classMask(model, c)),
  }));
  const neighbors = new Int32Array(groups.length * k);
  const distances = new Float32Array(groups.length * k);
  const heads = new Float64Array(groups.length);
  const gap = apart?.gap ?? 0;
  const fileOf = (w: number) => (apart ? fileOfWindow(apart.offsets, w) : 0);
  const exampleFile = Int32Array.from(exampleWindow, fileOf);
  for (let w = 0; w < count; w++) {
    neighbors.fill(-1);
    distances.fill(Infinity);
    const self = windowOf(w);
    const file = fileOf(self);
    for (let e = 0; e < exampleWindow.length; e++) {
      if (Math.abs(exampleWindow[e] - self) <= gap && exampleFile[e] === file) continue;
      // discriminant coordinates first (they spread windows widest), then the vector, as NeighborIndex measures; the
      // vector's sum stops once no metric can take the example
      let slack = 0;
      for (let i = 0; i < groups.length; i++) {
        const { rows, examples: projected } = groups[i];
        heads[i] = rows && projected ? distanceBetween(rows.coordinates, w, projected.coordinates, e, rows.dims) : 0;
        slack = Math.max(slack, distances[i * k + k - 1] - heads[i]);
      }
      if (!(slack > 0)) continue;
      const rest = distanceBetweenBelow(vectors, w, examples, e, dims, slack);
      for (let i = 0; i < groups.length; i++) {
        const d2 = heads[i] + rest;
        if (d2 < distances[i * k + k - 1]) insertNeighbor(neighbors, distances, i * k, k, e, d2);
      }
    }
    groups.forEach((g, i) => g.labels.forEach((c, j) => (out[c][w] = rowVote(neighbors, distances, i * k, k, exampleClass, g.masks[j]))));
  }
  return out;
}

/** Each model's examples measured on each of its metrics, once: scoreWindows is called a few windows at a time. */
const projectedExamples = new WeakMap<Model, Map<Discriminant, Coordinates>>();

function examplesProjected(model: Model, metric: Discriminant): Coordinates {
  const byMetric = projectedExamples.get(model) ?? new Map<Discriminant, Coordinates>();
  projectedExamples.set(model, byMetric);
  let coordinates = byMetric.get(metric);
  if (!coordinates) byMetric.set(metric, (coordinates = projectOnDiscriminant(metric, model.examples, model.dims)));
  return coordinates;
}

/**
 * Folds of the labels for held-out votes: each fold's examples are voted on in a metric learned without them. In the
 * metric learned from every label, a randomly drawn clip's own label has already pulled it to its side: on the dev
 * corpus, with host the target, drawn clips that were not host came out flagged half as often as their draw chances
 * said they should, and host precision was estimated 0.85 against 0.76 under a likely-heavy queue. Learned without
 * it, the clip misses what its label teaches the clips like it, which apply does use: estimated 0.66. The vote is the
 * mean of the two.
 */
export const HELD_OUT_FOLDS = 5;
/** Examples whose held-out votes one step of heldOutVotesSteps() computes: about two milliseconds per 1,000 labels. */
const VOTE_STEP = 16;

/**
 * Each example's fold (examples as in `windows`): labels within `apart.gap` windows of each other in a recording are
 * chained into one fold, so a run of labels never teaches the metric that measures its own clips.
 */
export function heldOutFolds(windows: ArrayLike<number>, apart: HeldApart, folds = HELD_OUT_FOLDS): Int32Array {
  const order = Array.from(windows, (_, i) => i).sort((a, b) => windows[a] - windows[b]);
  const fold = new Int32Array(windows.length);
  let chain = -1;
  order.forEach((i, r) => {
    const before = r > 0 ? windows[order[r - 1]] : -1;
    const chained = r > 0 && windows[i] - before <= apart.gap && fileOfWindow(apart.offsets, windows[i]) === fileOfWindow(apart.offsets, before);
    if (!chained) chain++;
    fold[i] = chain % folds;
  });
  return fold;
}

/**
 * Every class's held-out vote on the examples at `rows` (all of them by default), as fitModel gives it: the model's
 * vote without the labels near each example (apart), the mean of that vote in the model's metric and in a metric
 * learned without the example's fold (HELD_OUT_FOLDS). In steps: one metric is learned per fold. `target`: the one
 * label the model was trained for (Examples.target), whose directions alone each fold learns.
 */
export function* heldOutVotesSteps(model: Model, apart: HeldApart, rows?: readonly number[], target?: string): Steps<Float32Array[]> {
  const voted = rows ?? Array.from(model.exampleWindow, (_, i) => i);
  const out = model.classes.map(() => new Float32Array(voted.length));
  const fold = heldOutFolds(model.exampleWindow, apart);
  const rowsOf = (picked: readonly number[]) => rowsAt(model.examples, model.dims, picked);
  const windowsOf = (picked: readonly number[]) => picked.map((i) => model.exampleWindow[i]);
  for (let f = 0; f < HELD_OUT_FOLDS; f++) {
    const at = voted.flatMap((i, j) => (fold[i] === f ? [j] : []));
    if (!at.length) continue;
    const rest = Array.from(model.exampleWindow, (_, i) => i).filter((i) => fold[i] !== f);
    const learned = yield* trainModelSteps({ vectors: rowsOf(rest), dims: model.dims, labels: rest.map((i) => exampleLabels(model, i)), windows: windowsOf(rest), target });
    // a label's own directions by name: a fold may lack a label, or meet the labels in another order
    const directions = learned.labelDiscriminants && model.classes.map((name) => learned.labelDiscriminants![learned.classes.indexOf(name)] ?? null);
    const relearned: Model = { ...model, discriminant: learned.discriminant, labelDiscriminants: directions };
    for (let from = 0; from < at.length; from += VOTE_STEP) {
      yield;
      const chunk = at.slice(from, from + VOTE_STEP);
      const picked = chunk.map((j) => voted[j]);
      const [vectors, windows] = [rowsOf(picked), windowsOf(picked)];
      const own = scoreWindows(model, vectors, windows, apart);
      const without = scoreWindows(relearned, vectors, windows, apart);
      out.forEach((votes, c) => chunk.forEach((j, k) => (votes[j] = (own[c][k] + without[c][k]) / 2)));
    }
  }
  return out;
}

/** What the model says of each example for `target` with the example's own label left out (0 for an unknown class). */
export function heldOutVotes({ model, heldOut }: FittedModel, target: string): Float32Array {
  const c = model.classes.indexOf(target);
  return c >= 0 ? heldOut[c] : new Float32Array(model.exampleClass.length);
}

/** A labeled window as the recall estimate needs it. */
export interface SampledExample {
  label: LabelSet;
  /** the random arm drew it: it belongs to the uniform sample */
  random: boolean;
  /** the model's vote for the target without this example's label; undefined while there is no model */
  heldOut?: number;
  /** the chance the random arm's draw of it had, and whether that chance was weighted (LabelRecord) */
  drawProbability?: number;
  weighted?: boolean;
}

/**
 * The recall estimate for `target`, the one way the labeler, `hark stats` and `hark simulate` compute it: the random
 * sample's prevalence, and the model's recall and precision from the held-out votes of the random examples,
 * flagged at FLAG_THRESHOLD.
 */
export function heldOutEstimate(examples: Iterable<SampledExample>, target: string, population: number, goal: number): RecallEstimate {
  const windows = [...examples].map((e) => ({
    positive: hasLabel(e.label, target),
    random: e.random,
    flagged: e.heldOut === undefined ? undefined : e.heldOut >= FLAG_THRESHOLD,
    drawProbability: e.drawProbability,
    weighted: e.weighted,
  }));
  return estimateFromLabels(windows, population, goal);
}

/** A labeled window of a collection, as a fitted estimate needs it. */
export interface LabeledExample {
  window: number;
  label: LabelSet;
  /** in the random sample, so it may stand for the collection in an estimate */
  random: boolean;
  drawProbability?: number;
  weighted?: boolean;
}

/**
 * The recall estimate from the model fitted to `labeled` (rows of the collection's `vectors`, in the order labeled):
 * what `hark stats` says, and what `hark simulate` ends with.
 */
export function fittedEstimate(
  vectors: Vectors,
  dims: number,
  labeled: readonly LabeledExample[],
  target: string,
  apart: HeldApart,
  goal: number,
): RecallEstimate {
  const windows = labeled.map((d) => d.window);
  const population = apart.offsets[apart.offsets.length - 1];
  const fitted = fitModel({ vectors: rowsAt(vectors, dims, windows), dims, labels: labeled.map((d) => d.label), windows, apart, target });
  const votes = heldOutVotes(fitted, target);
  return heldOutEstimate(labeled.map((d, i) => ({ ...d, heldOut: votes[i] })), target, population, goal);
}
