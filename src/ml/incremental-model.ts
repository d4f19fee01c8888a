import { learnDiscriminantSteps, projectOnDiscriminant, type Discriminant } from './discriminant-space.js';
import { rowVote, targetProbabilities } from './knn-votes.js';
import { NEIGHBORS } from './model.js';
import type { Vectors } from './distance.js';
import { NeighborIndex, type Coordinates } from './neighbor-index.js';
import { hasLabel, labelSetKey, type LabelSet } from './label-sets.js';
import { hasOwnPartition, presenceRows } from './presence-classes.js';
import type { Steps } from './steps.js';

/** The metric is first learned from this many labels (fewer say little about which directions matter)... */
export const RELEARN_FROM = 20;
/** ...and again each time the labels have grown by this factor: all rebuilds together cost about 3x the labels' adds. */
export const RELEARN_GROWTH = 1.5;

/** Index rows a step of learning the metric counts as in buildRows' budget: both take about a millisecond. */
const LEARN_STEP_ROWS = 16_384;

/**
 * The model of model.ts kept up to date one label at a time over the whole collection, for the labeling loop: each
 * label costs one pass over the vectors (NeighborIndex), the metric is learned again as the labels grow, and the
 * model is rebuilt with it in slices while the probabilities from before keep ranking clips. Its probabilities are
 * scoreWindows' for the same labels and metric.
 */
export class IncrementalModel {
  /** a class per label set (a single label is its own set), by labelSetKey; each class's labels by id */
  private readonly classIds = new Map<string, number>();
  private readonly classLabels: LabelSet[] = [];
  /** per row (the collection's windows, then any outside rows): the class id of its label, -1 for none */
  private classOf: Int32Array;
  /** labeled windows and their labels, in the order labeled (a relabeled window moves to the end) */
  private readonly labeled = new Map<number, LabelSet>();
  private target?: string;
  private index?: NeighborIndex;
  /** while features are still being extracted: 1 for the windows whose vectors exist; undefined once all do */
  private known?: Uint8Array;
  /** rows at the front of the index's fill order: the unlabeled windows, which rank clips once they are filled */
  private openRows = 0;
  /** labeled windows not yet in the index, the next one last */
  private backlog: number[] = [];
  /** the backlog's last window while its pass over the index is done in slices (buildRows): the rows done */
  private adding?: { window: number; rows: number };
  /** the metric being learned from the labels as they were when relearn() began, in steps; the index ranks meanwhile */
  private learning?: Steps<Discriminant | undefined>;
  /** a newly learned metric whose coordinates are measured in slices before the rebuild; the index ranks meanwhile */
  private projecting?: { learned: Discriminant; into: Coordinates; rows: number };
  private version = 0;
  private probabilityCache?: { version: number; target: string; values: Float32Array };
  /**
   * while the index is rebuilt with a new metric, or takes in labels that wait for buildStep(): the probabilities from
   * before (none when there were none), which rank clips meanwhile
   */
  private stale?: { target?: string; values?: Float32Array };
  private relearnAt = RELEARN_FROM;
  /** the target the metric was last learned for, once one was */
  private metricTarget?: { target?: string };
  /** the collection's vectors as last attached, kept to attach again when outside rows join */
  private attached?: { vectors: Vectors; dims: number; known?: Uint8Array };
  /** vectors of recordings outside the collection (examples), rows after the collection's windows */
  private outside: Vectors[] = [];

  constructor(
    readonly windows: number,
    target?: string,
    /** a label joins the index only through buildStep() or buildRows(), which a caller runs in slices */
    private readonly labelsWaitForBuild = false,
  ) {
    this.classOf = new Int32Array(windows).fill(-1);
    this.target = target;
  }

  /**
   * true once the model ranks clips: it has vectors and has taken in every label, or it is being rebuilt with a newly
   * learned metric and ranks with the probabilities from before
   */
  get ready(): boolean {
    return this.index !== undefined && (this.current() || this.stale !== undefined);
  }

  /** The index has taken in every label for the rows that rank clips (the labeled rows may still be filling). */
  private current(): boolean {
    return this.backlog.length === 0 && this.index !== undefined && this.index.filledRows >= this.openRows;
  }

  get modelVersion(): number {
    return this.ready ? this.version : 0;
  }

  /** The collection's vectors, once attached. */
  get space(): { vectors: Vectors; dims: number } | undefined {
    return this.index && { vectors: this.index.vectors, dims: this.index.dims };
  }

  /** true while only part of the collection has vectors */
  get partial(): boolean {
    return this.known !== undefined;
  }

  /** Sets `out` to 1 for the windows with vectors, 0 for the others. */
  markKnown(out: Uint8Array): void {
    if (this.known) out.set(this.known);
    else out.fill(1);
  }

  isKnown(window: number): boolean {
    return !this.known || window >= this.windows || this.known[window] === 1;
  }

  /** See LearningSession.attachVectors. */
  attachVectors(vectors: Vectors, dims: number, known?: Uint8Array): void {
    if (vectors.length !== this.windows * dims) throw new RangeError(`expected ${this.windows} x ${dims} values, got ${vectors.length}`);
    this.attached = { vectors, dims, known };
    const rows = this.outside.length ? withRowsAfter(vectors, this.outside) : vectors;
    if (this.index?.vectors === rows && this.index.dims === dims) this.index.useCoordinates(undefined);
    else this.index = new NeighborIndex(rows, dims, NEIGHBORS);
    this.stale = undefined;
    this.relearnAt = RELEARN_FROM;
    this.known = known;
    this.backlog = [];
    this.fillWith([...this.labeled.keys()].filter((w) => this.isKnown(w)));
    this.adding = undefined;
    this.learning = undefined;
    this.projecting = undefined;
    this.version++;
    // labels from before (a resumed session) are built once, with the metric learned from them
    if (this.labeled.size >= RELEARN_FROM) this.relearn();
  }

  /** Builds the model for as long as `count` labels' passes over the index take; true when it has taken in every label. */
  buildStep(count = Infinity): boolean {
    return this.index ? this.buildRows(count * this.index.count) : this.built();
  }

  /** buildStep() in steps of about `rows` rows of the index, so one label's pass over a large collection is split. */
  buildRows(rows: number): boolean {
    for (let left = rows; left > 0 && this.index && !this.done(); ) {
      if (this.learning) left -= this.learnSteps(1);
      else if (this.projecting) left -= this.project(left);
      // the rows that rank first; then waiting labels, so they count soon; then the labeled rows
      else if (this.index.filledRows < this.openRows || this.backlog.length === 0) left -= this.fillRows(left);
      else left -= this.addRows(left);
    }
    return this.built();
  }

  /** true once every label is in the index: the probabilities from before are dropped. */
  private built(): boolean {
    if (this.current()) this.stale = undefined;
    return this.index !== undefined && this.done();
  }

  private done(): boolean {
    return this.backlog.length === 0 && !this.learning && !this.projecting && this.index!.filledRows === this.index!.count;
  }

  /**
   * Starts finding every row's neighbours among `members` (labeled windows with vectors), the unlabeled windows'
   * rows first: they rank clips, so the model ranks long before the labeled rows are filled (at 16,000 labels on
   * 16,740 windows, after 740 of them).
   */
  private fillWith(members: number[]): void {
    const index = this.index!;
    this.openRows = 0;
    if (members.length === 0) return; // no neighbours to find
    const labeled = new Uint8Array(index.count);
    for (const m of members) labeled[m] = 1;
    const order = new Int32Array(index.count);
    let at = 0;
    for (let w = 0; w < this.windows; w++) if (!labeled[w]) order[at++] = w;
    this.openRows = at;
    for (let w = 0; w < index.count; w++) if (labeled[w] || w >= this.windows) order[at++] = w;
    index.fill(members, order);
  }

  /**
   * Fills rows of the index for about `budget` distances (each row costs one per member), the rows that rank first;
   * returns the distances it stood for.
   */
  private fillRows(budget: number): number {
    const index = this.index!;
    const perRow = Math.max(1, index.size);
    const rows = Math.max(1, Math.floor(budget / perRow));
    const open = this.openRows - index.filledRows;
    const filled = index.fillRows(open > 0 ? Math.min(rows, open) : rows);
    // the labeled rows' leave-one-out votes computed meanwhile are incomplete: scored afresh once all are filled
    if (index.filledRows === index.count) this.probabilityCache = undefined;
    return Math.max(1, filled * perRow);
  }

  /**
   * Takes up to `count` steps of learning the metric; once learned, its coordinates are measured next. Returns the
   * index rows a step stands for in buildRows' budget: a step of learning costs about as much as a slice of rows.
   */
  private learnSteps(count: number): number {
    for (let i = 0; i < count; i++) {
      const step = this.learning!.next();
      if (!step.done) continue;
      this.learning = undefined;
      const learned = step.value;
      // the version moves when the rebuild starts: until then the model is the one from before
      if (learned) this.projecting = { learned, into: { coordinates: new Int16Array(this.index!.count * learned.dims), dims: learned.dims }, rows: 0 };
      break;
    }
    return LEARN_STEP_ROWS;
  }

  /** Measures up to `rows` more rows on the metric being learned; once all are, the rebuild with it starts. */
  private project(rows: number): number {
    const { learned, into, rows: from } = this.projecting!;
    const index = this.index!;
    const to = Math.min(index.count, from + rows);
    projectOnDiscriminant(learned, index.vectors, index.dims, into, from, to);
    this.projecting!.rows = to;
    if (to === index.count) this.rebuildWith(into);
    return Math.max(1, to - from);
  }

  /** Starts rebuilding the index with new coordinates; the probabilities from before rank clips meanwhile. */
  private rebuildWith(coordinates: Coordinates): void {
    this.projecting = undefined;
    const before = this.targetSeen() ? this.probabilities() : undefined;
    this.stale = before && { target: this.target!, values: before };
    this.index!.useCoordinates(coordinates);
    this.adding = undefined;
    this.backlog = [];
    this.fillWith([...this.labeled.keys()]); // in the order labeled: earlier labels win ties
    this.version++;
  }

  /** Takes the backlog's last window up to `rows` more rows through the index; returns the rows done. */
  private addRows(rows: number): number {
    const index = this.index!;
    const window = this.backlog[this.backlog.length - 1];
    const from = this.adding?.window === window ? this.adding.rows : 0;
    const to = Math.min(index.count, from + rows);
    index.addRows(window, from, to);
    this.adding = to < index.count ? { window, rows: to } : undefined;
    if (!this.adding) this.backlog.pop();
    return Math.max(1, to - from);
  }

  /**
   * See LearningSession.relearn. The index serves the target, so the metric is the target's: the directions that
   * tell clips where it is present from the rest (presence-classes.ts), as scoreWindows scores it.
   */
  relearn(): boolean {
    if (!this.index || this.known) return false;
    const labeled = [...this.labeled];
    this.relearnAt = Math.max(RELEARN_FROM, Math.ceil(labeled.length * RELEARN_GROWTH));
    const rows = labeled.map(([w, label]) => ({ row: w, cls: this.classId(label) }));
    const target = this.target;
    const learned = target === undefined ? rows : presenceRows(rows, this.targetClasses(target));
    if (new Set(learned.map((r) => r.cls)).size < 2) return false;
    this.learning = learnDiscriminantSteps(this.index.vectors, this.index.dims, learned);
    this.metricTarget = { target };
    return true;
  }

  /** The target has directions of its own, unlike a label no set of several labels holds. */
  private hasOwnMetric(target: string | undefined): boolean {
    return target !== undefined && hasOwnPartition(this.targetClasses(target));
  }

  /** relearn() once the labels have grown enough since the metric was last learned. */
  relearnIfDue(): boolean {
    return this.labeled.size >= this.relearnAt && this.relearn();
  }

  /**
   * Hunts another label: a metric learned for the target before is learned again for this one when theirs differ;
   * true when buildStep() then has a rebuild to do.
   */
  setTarget(label: string | undefined): boolean {
    const before = this.metricTarget?.target;
    this.target = label;
    return this.metricTarget !== undefined && label !== before && (this.hasOwnMetric(label) || this.hasOwnMetric(before)) && this.relearn();
  }

  getTarget(): string | undefined {
    return this.target;
  }

  /** A window's label, or labels, join the model (the caller has taken back any earlier one with remove()). */
  add(window: number, label: LabelSet): void {
    this.labeled.set(window, label);
    this.classOf[window] = this.classId(label);
    if (!this.isKnown(window) || !this.index) return;
    if (!this.labelsWaitForBuild) return this.index.add(window);
    // ranked meanwhile by the probabilities from before; queued first, so labels go in in the order given
    if (this.current()) this.stale = { target: this.target, values: this.targetSeen() ? this.probabilities() : undefined };
    this.backlog.unshift(window);
  }

  /**
   * Rows that are no window of the collection (a recording outside it, or clips outside a large collection's pool),
   * standardised and quantized as the collection's vectors, join the model with their labels, one per row, after the
   * collection's windows: they vote like labeled windows and are never ranked. Returns their row numbers. The model
   * is built again (buildStep) when vectors are attached already.
   */
  addOutside(rows: Vectors, labels: readonly LabelSet[]): number[] {
    const dims = this.attached?.dims ?? this.index?.dims;
    const first = this.classOf.length;
    const count = dims ? rows.length / dims : 0;
    if (!dims || !Number.isInteger(count) || count === 0) throw new RangeError('outside rows need vectors attached first, with the same dims');
    if (labels.length !== count) throw new RangeError(`expected a label for each of ${count} rows, got ${labels.length}`);
    this.outside.push(rows);
    const classOf = new Int32Array(first + count).fill(-1);
    classOf.set(this.classOf);
    this.classOf = classOf;
    const ids = Array.from({ length: count }, (_, i) => first + i);
    ids.forEach((id, i) => {
      this.labeled.set(id, labels[i]);
      this.classOf[id] = this.classId(labels[i]);
    });
    const { vectors, known } = this.attached!;
    this.attachVectors(vectors, dims, known);
    return ids;
  }

  /**
   * Each window's squared distance, in the model's metric, to its nearest labeled window (Infinity before any
   * label), into `out`; undefined until the model has taken in every label.
   */
  labelDistances(out: Float32Array): Float32Array | undefined {
    if (!this.index || !this.current()) return undefined;
    return this.index.nearestDistances(out);
  }

  /** Lowers `distances` (see labelDistances) to each window's distance to `window`, as if it were labeled. */
  lowerDistances(distances: Float32Array, window: number): void {
    const index = this.index!;
    for (let w = 0; w < distances.length; w++) {
      if (distances[w] > 0) distances[w] = Math.min(distances[w], index.distance(w, window));
    }
  }

  /** Takes a window's label out of the model, if it had one. */
  remove(window: number): void {
    if (!this.labeled.delete(window)) return;
    this.classOf[window] = -1;
    // a pass half done would meet rows remove() recomputes against every member: finish it first
    if (this.adding && this.adding.window !== window) this.addRows(this.index!.count);
    if (this.adding?.window === window) this.adding = undefined;
    this.index?.remove(window);
    if (this.backlog.length > 0) this.backlog = this.backlog.filter((w) => w !== window);
  }

  /** Something the model's version counts changed (any decision). */
  changed(): void {
    this.version++;
  }

  /** Labeled windows and their labels, in the order labeled. */
  labels(): IterableIterator<[number, LabelSet]> {
    return this.labeled.entries();
  }

  get labelCount(): number {
    return this.labeled.size;
  }

  /** Per-window probability of the target (leave-one-out for labeled windows); undefined without model or target. */
  probabilities(): Float32Array | undefined {
    if (!this.index || this.target === undefined) return undefined;
    if (!this.current()) return this.stale?.target === this.target ? this.stale.values : undefined;
    const cache = this.probabilityCache;
    if (cache && cache.version === this.version && cache.target === this.target) return cache.values;
    const target = this.targetClasses(this.target);
    const changed = this.index.takeChangedRows();
    if (cache && cache.target === this.target && changed) {
      // only rows whose neighbours changed vote differently: a label changes no one's class but its own
      const { neighbors, distances, k } = this.index;
      for (const w of changed) if (w < this.windows) cache.values[w] = rowVote(neighbors, distances, w * k, k, this.classOf, target);
      cache.version = this.version;
      return cache.values;
    }
    const reuse = cache?.values.length === this.windows && this.index.count === this.windows ? cache.values : undefined;
    const all = targetProbabilities(this.index, this.classOf, target, reuse);
    const values = all.length === this.windows ? all : all.slice(0, this.windows); // outside rows are never ranked
    this.probabilityCache = { version: this.version, target: this.target, values };
    return values;
  }

  /** The target has a labeled example with a vector: "likely" and "uncertain" mean something. */
  targetSeen(): boolean {
    if (this.target === undefined) return false;
    for (const [w, label] of this.labeled) if (hasLabel(label, this.target) && this.isKnown(w)) return true;
    return false;
  }

  /** The classes that vote for `target`: every label set holding it. */
  private targetClasses(target: string): Uint8Array {
    return Uint8Array.from(this.classLabels, (labels) => (hasLabel(labels, target) ? 1 : 0));
  }

  private classId(label: LabelSet): number {
    const key = labelSetKey(label);
    let id = this.classIds.get(key);
    if (id === undefined) {
      id = this.classIds.size;
      this.classIds.set(key, id);
      this.classLabels.push(label);
    }
    return id;
  }
}

/** `vectors` with the rows of `more` after its own, in a new array. */
function withRowsAfter(vectors: Vectors, more: readonly Vectors[]): Vectors {
  const out = new (vectors.constructor as new (length: number) => Vectors)(vectors.length + more.reduce((n, m) => n + m.length, 0));
  out.set(vectors);
  let at = vectors.length;
  for (const m of more) {
    out.set(m, at);
    at += m.length;
  }
  return out;
}
